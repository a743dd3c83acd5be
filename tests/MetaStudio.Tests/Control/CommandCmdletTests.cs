using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Models;
using MetaStudio.Emulator;
using MetaStudio.Tests.Lifecycle;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Control;

/// <summary>
/// Invoke-MSSmartLiveCommand against the emulator in a hosted engine: every parameter set, jobs piped in,
/// -WhatIf and -Confirm, reads that never ask, the service's refusal of a live not on air, a command that
/// may have arrived sent once, bad input refused before any request, and a hostile result shown escaped.
/// </summary>
public sealed class CommandCmdletTests : IClassFixture<LifecycleFixture>, IDisposable
{
    private readonly LifecycleFixture fixture;
    private readonly AnsweringHost host = new();
    private readonly HostedPowerShell pwsh;

    public CommandCmdletTests(LifecycleFixture fixture)
    {
        this.fixture = fixture;
        fixture.Reset();
        pwsh = new HostedPowerShell(host: host).ConnectTo(fixture.Server);
    }

    public void Dispose() => pwsh.Dispose();

    /// <summary>A live on air in a room of its own (the emulator's jobs leave WAITING at once in these tests).</summary>
    private (string Room, string Job) OnAir(string extra = "")
    {
        string room = fixture.Room(extra: extra);
        var started = (StartedSmartLiveJob)pwsh.Invoke("Start-MSSmartLiveJob -RoomId $args[0] -Confirm:$false", room).Single().BaseObject;
        fixture.Server.ClearRequests();
        return (room, started.JobId!);
    }

    private List<RecordedRequest> CommandPosts(string room, string job) =>
        fixture.Server.Requests.Where(r => r.Method == "POST" && r.Path == $"{fixture.RoomJobsPath(room)}/{job}/command").ToList();

    private IReadOnlyList<MetaStudio.Emulator.Data.ExecutedCommand> Received(string room, string job) =>
        fixture.Server.Commands.All.Where(c => c.RoomId == room && c.JobId == job).ToList();

    private static SmartLiveCommandResult Result(RunResult run) => Assert.IsType<SmartLiveCommandResult>(Assert.Single(run.Output).BaseObject);

    [Fact]
    public void TextAudioAndAnyCommandReachTheLiveWithTheirParams()
    {
        var (room, job) = OnAir();

        var text = Result(pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -JobId $args[1] | Invoke-MSSmartLiveCommand -Text '欢迎来到直播间' -Force", room, job));
        var audio = Result(pwsh.Run("Invoke-MSSmartLiveCommand $args[0] $args[1] -AudioUrl https://obs.example.com/a/reply.mp3?sig=1 -Confirm:$false", room, job));
        var hashtable = Result(pwsh.Run("Invoke-MSSmartLiveCommand $args[0] $args[1] -Command reset_exit_config -Parameters @{ max_live_duration = 5; auto_stop_mode = 'FORCE_EXIT' } -Force", room, job));
        var custom = Result(pwsh.Run("Invoke-MSSmartLiveCommand $args[0] $args[1] CLEAN_UP_INSERT_COMMAND ([pscustomobject]@{ ids = @(1, 2) }) -Force", room, job));

        Assert.Equal(("INSERT_PLAY_SCRIPT", "SUCCESS", room, job), (text.Command, text.Result as string, text.RoomId, text.JobId));
        Assert.Equal("INSERT_PLAY_AUDIO", audio.Command);
        Assert.Equal("RESET_EXIT_CONFIG", hashtable.Command);
        Assert.False(string.IsNullOrEmpty(text.CommandId));
        Assert.NotNull(text.RequestId);
        var received = Received(room, job);
        Assert.Equal(new[] { "INSERT_PLAY_SCRIPT", "INSERT_PLAY_AUDIO", "RESET_EXIT_CONFIG", "CLEAN_UP_INSERT_COMMAND" }, received.Select(c => c.Command));
        Assert.All(received, c => Assert.Equal("EXTERNAL", c.Source));
        Assert.Equal("欢迎来到直播间", JsonDocument.Parse(received[0].ParamsJson!).RootElement.GetProperty("text_config").GetProperty("text").GetString());
        Assert.Equal("https://obs.example.com/a/reply.mp3?sig=1", JsonDocument.Parse(received[1].ParamsJson!).RootElement.GetProperty("audio_url").GetString());
        var exit = JsonDocument.Parse(received[2].ParamsJson!).RootElement;
        Assert.Equal((5, "FORCE_EXIT"), (exit.GetProperty("max_live_duration").GetInt32(), exit.GetProperty("auto_stop_mode").GetString()));
        Assert.Equal("[1,2]", JsonDocument.Parse(received[3].ParamsJson!).RootElement.GetProperty("ids").GetRawText());
        Assert.Equal(text.CommandId, received[0].CommandId);
    }

    [Fact]
    public void TextAndAudioGoAsPlayTextInfoAndPlayAudioInfoWithWhenAndWhoWhenGiven()
    {
        var (room, job) = OnAir();
        int before = Received(room, job).Count;

        Result(pwsh.Run("Invoke-MSSmartLiveCommand $args[0] $args[1] -Text 'hi' -PlayType insert -PlayRole co_streamer -Force", room, job));
        Result(pwsh.Run("Invoke-MSSmartLiveCommand $args[0] $args[1] -AudioUrl https://obs.example.com/a.mp3 -PlayType PLAY_NOW -Force", room, job));
        var refused = pwsh.Run("Invoke-MSSmartLiveCommand $args[0] $args[1] -Text 'hi' -PlayType 'now!' -Force", room, job);

        var received = Received(room, job).Skip(before).ToList();
        Assert.Equal(2, received.Count);
        Assert.Equal("{\"text_config\":{\"text\":\"hi\"},\"play_type\":\"INSERT\",\"play_role\":\"CO_STREAMER\"}", received[0].ParamsJson);
        Assert.Equal("{\"audio_url\":\"https://obs.example.com/a.mp3\",\"play_type\":\"PLAY_NOW\"}", received[1].ParamsJson);
        var error = refused.FirstError;
        Assert.NotNull(error);
        Assert.Contains("-PlayType 'now!'", error!.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("APPEND, INSERT, PLAY_NOW", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartedJobsPipeInAndCommandResultsPipeIntoTheListing()
    {
        string room = fixture.Room();

        var run = pwsh.Run("Start-MSSmartLiveJob -RoomId $args[0] -Confirm:$false | Invoke-MSSmartLiveCommand -Text 'hi' -Force | Get-MSSmartLiveCommand", room);

        Assert.Empty(run.Errors);
        var listed = Assert.IsType<InsertCommand>(Assert.Single(run.Output).BaseObject);
        Assert.Equal(("INSERT_PLAY_SCRIPT", "EXTERNAL", room), (listed.Command, listed.Source, listed.RoomId));
        Assert.Equal("hi", ((PSObject)((PSObject)listed.Parameters!).Properties["text_config"].Value).Properties["text"].Value);
    }

    [Fact]
    public void TheCurrentScriptsAndTheJobConfigAreReadFromTheRoomIntoObjectsWithoutItsSecretsInViews()
    {
        const string Secret = "room-stream-key-0123456789";
        var (room, job) = OnAir($"\"output_urls\":[\"rtmp://push.example.com/live\"],\"stream_keys\":[\"{Secret}\"]");

        var scripts = Result(pwsh.Run("Invoke-MSSmartLiveCommand -RoomId $args[0] -JobId $args[1] -CurrentPlayingScript", room, job));
        var config = pwsh.Run("$r = Invoke-MSSmartLiveCommand -RoomId $args[0] -JobId $args[1] -LiveJobConfig; $r; $r | Format-List | Out-String; $r | Format-Table | Out-String; $r.Result | Out-String", room, job);

        var names = ((object[])((PSObject)scripts.Result!).Properties["scene_scripts"].Value).Select(s => ((PSObject)s).Properties["script_name"].Value);
        Assert.Equal(new object[] { "s1", "s2" }, names);
        var configResult = Assert.IsType<SmartLiveCommandResult>(config.Output[0].BaseObject);
        var roomConfig = Assert.IsType<SmartLiveRoom>(configResult.Result);
        Assert.Equal((room, Secret), (roomConfig.RoomId, roomConfig.StreamKeys!.Single()));
        Assert.All(config.Output.Skip(1), o => Assert.DoesNotContain(Secret, (string)o.BaseObject, StringComparison.Ordinal));
        string wholeLine = MetaStudio.Client.Json.JsonSummary.OneLine(configResult.ResultText, 1_000_000);
        Assert.Contains("\"stream_keys\":\"***\"", wholeLine, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, wholeLine, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, configResult.ToString(), StringComparison.Ordinal);
        Assert.Equal(new[] { "GET_CURRENT_PLAYING_SCRIPTS", "GET_LIVE_JOB_CONFIG_INFO" }, Received(room, job).Select(c => c.Command));
    }

    [Fact]
    public void WhatIfSendsNothingAndDeclinedConfirmationSendsNothing()
    {
        var (room, job) = OnAir();
        host.Answers.Enqueue("No");

        var whatIf = pwsh.Run("Invoke-MSSmartLiveCommand $args[0] $args[1] -Text 'hi' -WhatIf; Invoke-MSSmartLiveCommand $args[0] $args[1] -AudioUrl https://a.example.com/x.mp3 -Force -WhatIf; " +
                              "& { $WhatIfPreference = $true; Invoke-MSSmartLiveCommand $args[0] $args[1] RESET_EXIT_CONFIG @{ max_live_duration = 1 } } @args", room, job);
        var declined = pwsh.Run("Invoke-MSSmartLiveCommand $args[0] $args[1] -Text 'hi' -Confirm", room, job);

        Assert.Empty(whatIf.Output);
        Assert.Empty(declined.Output);
        Assert.Equal(3, host.Lines.Count(l => l.Contains($"on target \"job {job} in room {room}\"", StringComparison.Ordinal) && l.Contains("What if: Performing the operation \"Send ", StringComparison.Ordinal)));
        Assert.Contains("Send INSERT_PLAY_SCRIPT", Assert.Single(host.Prompts).Message, StringComparison.Ordinal);
        Assert.Empty(CommandPosts(room, job));
        Assert.Empty(Received(room, job));
    }

    [Fact]
    public void ChangesAskUnderMediumPreferenceButReadsNeverAskEvenUnderLow()
    {
        var (room, job) = OnAir();
        host.Answers.Enqueue("Yes");

        var asked = pwsh.Run("& { $ConfirmPreference = 'Medium'; Invoke-MSSmartLiveCommand $args[0] $args[1] -Text 'hi' } @args", room, job);
        var reads = pwsh.Run("& { $ConfirmPreference = 'Low'; Invoke-MSSmartLiveCommand $args[0] $args[1] -CurrentPlayingScript; Invoke-MSSmartLiveCommand $args[0] $args[1] -LiveJobConfig; " +
                             "Invoke-MSSmartLiveCommand $args[0] $args[1] -Command GET_CURRENT_PLAYING_SCRIPTS } @args", room, job);
        var byDefault = pwsh.Run("Invoke-MSSmartLiveCommand $args[0] $args[1] -Text 'again'", room, job);

        Assert.Single(host.Prompts);
        Assert.Single(asked.Output);
        Assert.Equal(3, reads.Output.Count);
        Assert.Single(byDefault.Output); // Medium impact: the default $ConfirmPreference (High) does not ask
        Assert.Equal(5, CommandPosts(room, job).Count);
    }

    [Fact]
    public void ACommandToALiveNotOnAirIsTheServicesErrorWithTheJobAsTarget()
    {
        fixture.Server.StartDelayMs = 600_000;
        string room = fixture.Room();
        string job = ((StartedSmartLiveJob)pwsh.Invoke("Start-MSSmartLiveJob -RoomId $args[0] -Confirm:$false", room).Single().BaseObject).JobId!;

        var run = pwsh.Run("Invoke-MSSmartLiveCommand $args[0] $args[1] -Text 'hi' -Force; 'next'", room, job);

        var error = Assert.Single(run.Errors);
        Assert.Equal("MSS.10001006,MetaStudio.Commands.InvokeMSSmartLiveCommandCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal($"{room}/{job}", error.TargetObject);
        Assert.Contains("WAITING", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains($"Get-MSSmartLiveJob -RoomId {room} -JobId {job}", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("next", Assert.Single(run.Output).BaseObject);
        Assert.Single(CommandPosts(room, job));
        Assert.Empty(Received(room, job));
    }

    [Fact]
    public void ACommandLostAfterItWasSentIsNotRetriedAndSaysHowToCheck()
    {
        var (room, job) = OnAir();
        fixture.Server.AddFault($"reset-after@/{job}/command");

        var run = pwsh.Run("Invoke-MSSmartLiveCommand $args[0] $args[1] -Text 'once' -Force -MaxRetry 3", room, job);
        LifecycleFixture.WaitUntil(() => CommandPosts(room, job).Count > 0, "the reset command in the emulator's log");

        var error = Assert.Single(run.Errors);
        var e = Assert.IsType<MetaStudioServiceException>(error.Exception);
        Assert.True(e.OutcomeUnknown);
        Assert.Contains($"Get-MSSmartLiveCommand -RoomId {room} -JobId {job}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"Get-MSSmartLiveCommand -RoomId {room} -JobId {job}", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { 0 }, CommandPosts(room, job).Select(r => r.Status));
        Assert.Single(Received(room, job)); // it did arrive: sending it again would have said it twice
    }

    [Fact]
    public void ACommandThrottledBeforeItArrivedIsRetried()
    {
        var (room, job) = OnAir();
        fixture.Server.AddFault($"status:429@/{job}/command");

        var result = Result(pwsh.Run("Invoke-MSSmartLiveCommand $args[0] $args[1] -Text 'once' -Force", room, job));

        Assert.Equal("INSERT_PLAY_SCRIPT", result.Command);
        Assert.Equal(new[] { 429, 200 }, CommandPosts(room, job).Select(r => r.Status));
        Assert.Single(Received(room, job));
    }

    [Theory]
    [InlineData("-Command PLAY_NOW", "Command", "is not a smart live command. Use one of: INSERT_PLAY_SCRIPT, INSERT_PLAY_AUDIO, REWRITE_PLAY_SCRIPT, REWRITE_INTERACTION_RULES, GET_CURRENT_PLAYING_SCRIPTS, SHOW_LAYER, REFRESH_OUTPUT_URL, GET_LIVE_JOB_CONFIG_INFO, CLEAN_UP_INSERT_COMMAND, RESET_EXIT_CONFIG")]
    [InlineData("-Text ('x' * 131073)", "Text", "-Text has 131,073 characters; the API takes at most 131,072")]
    [InlineData("-Text ('<break time=\"1s\"/>' + 'y' * 10001)", "Text", "-Text has 10,001 characters outside SSML tags; the API takes at most 10,000")]
    [InlineData("-Text ' '", "Text", "-Text is empty")]
    [InlineData("-Text hi -PlayRole 'co streamer'", "PlayRole", "-PlayRole 'co streamer' is not a play role: use one of STREAMER, CO_STREAMER")]
    [InlineData("-AudioUrl ftp://a.example.com/x.mp3", "AudioUrl", "is not an absolute http:// or https:// address of an MP3 file")]
    [InlineData("-AudioUrl reply.mp3", "AudioUrl", "is not an absolute http:// or https:// address")]
    [InlineData("-AudioUrl 'https://user:pw@a.example.com/x.mp3'", "AudioUrl", "has a user name or password in it")]
    [InlineData("-AudioUrl ('https://a.example.com/' + 'a' * 2048 + '.mp3')", "AudioUrl", "the API takes at most 2,048 (PlayAudioInfo audio_url)")]
    [InlineData("-Command SHOW_LAYER -Parameters @{ layer = @{ onShow = { 'x' } } }", "Parameters", "-Parameters has a script block at layer.onShow")]
    [InlineData("-Command SHOW_LAYER -Parameters @{ scale = [double]::NaN }", "Parameters", "-Parameters has NaN, a number JSON cannot carry at scale")]
    [InlineData("-Command SHOW_LAYER -Parameters @{ a = [xml]'<a/>' }", "Parameters", "-Parameters has a System.Xml.XmlDocument, which has no JSON form at a")]
    [InlineData("-Command SHOW_LAYER -Parameters @{ layers = @(@{ 1 = 'a' }) }", "Parameters", "-Parameters has a key that is not a string (1, of type Int32) at layers[0]")]
    [InlineData("-Command SHOW_LAYER -Parameters $($h = @{}; $h.self = $h; $h)", "Parameters", "-Parameters is nested more than 32 levels deep at self.self")]
    [InlineData("-Command SHOW_LAYER -Parameters (Get-Date)", "Parameters", "-Parameters must be a hashtable, an object or JSON text of an object, not a DateTime")]
    public void BadInputIsRefusedNamingTheParameterAndNothingIsSent(string arguments, string parameter, string expected)
    {
        var run = pwsh.Run($"Invoke-MSSmartLiveCommand -RoomId room-x -JobId job-x {arguments} -Force");

        var error = run.FirstError!;
        Assert.Equal($"Invalid{parameter},MetaStudio.Commands.InvokeMSSmartLiveCommandCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(parameter, error.TargetObject);
        Assert.Contains(expected, error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(run.Output);
        Assert.Equal(0, fixture.Server.ReceivedCount);
    }

    [Fact]
    public void AHostileResultIsKeptAsTextAndShownEscapedAndShort()
    {
        var (room, job) = OnAir();
        fixture.Server.AddFault($"hostile-result:256@/{job}/command");

        var run = pwsh.Run("$r = Invoke-MSSmartLiveCommand $args[0] $args[1] -CurrentPlayingScript; $r; ($r | Out-String -Width 120); ($r | Format-List | Out-String -Width 120)", room, job);

        Assert.Empty(run.Errors);
        var result = Assert.IsType<SmartLiveCommandResult>(run.Output[0].BaseObject);
        Assert.StartsWith("\u001b]0;owned\u0007", result.ResultText, StringComparison.Ordinal);
        Assert.Equal(result.ResultText, result.Result); // not JSON: kept as the text
        Assert.True(result.ResultText!.Length > 256 * 1024);
        foreach (string shown in run.Output.Skip(1).Select(o => (string)o.BaseObject))
        {
            Assert.DoesNotContain('\u001b', shown);
            Assert.DoesNotContain('\u0007', shown);
            Assert.Contains("`e]0;owned`a", shown, StringComparison.Ordinal);
            Assert.True(shown.Length < 2_000, $"{shown.Length} characters shown");
        }
    }
}
