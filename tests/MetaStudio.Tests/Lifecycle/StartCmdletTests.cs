using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Models;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Lifecycle;

/// <summary>
/// Start-MSSmartLiveJob against the emulator in a hosted engine: -WhatIf and -Confirm, the body the
/// service receives, its business errors, secrets, and which failures are retried (only what surely
/// never reached the service) as the emulator's request log shows.
/// </summary>
public sealed class StartCmdletTests : IClassFixture<LifecycleFixture>, IDisposable
{
    private readonly LifecycleFixture fixture;
    private readonly AnsweringHost host = new();
    private readonly HostedPowerShell pwsh;

    public StartCmdletTests(LifecycleFixture fixture)
    {
        this.fixture = fixture;
        fixture.Reset();
        pwsh = new HostedPowerShell(host: host).ConnectTo(fixture.Server);
    }

    public void Dispose() => pwsh.Dispose();

    private static StartedSmartLiveJob Started(RunResult result) => Assert.IsType<StartedSmartLiveJob>(Assert.Single(result.Output).BaseObject);

    [Fact]
    public void WhatIfSendsNothing()
    {
        string room = fixture.Room();

        var result = pwsh.Run("Start-MSSmartLiveJob -RoomId $args[0] -OutputUrl rtmp://push.example.com/live -StreamKey $args[1] -Wait -WhatIf; " +
                              "$args[0] | Start-MSSmartLiveJob -WhatIf; & { $WhatIfPreference = $true; Start-MSSmartLiveJob $args[0] } $args[0]",
            room, HostedPowerShell.Secure("stream-key-whatif-0001"));

        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Empty(fixture.Server.Requests);
        Assert.Empty(fixture.JobsIn(room));
        Assert.Equal(3, host.Lines.Count(l => l.Contains($"What if: Performing the operation \"Start a live\" on target \"room {room}\".", StringComparison.Ordinal)));
        Assert.Empty(host.Prompts);
    }

    [Fact]
    public void ConfirmAsksBeforeEachStartAndOnlyAYesStarts()
    {
        string declined = fixture.Room(), accepted = fixture.Room(), asked = fixture.Room(), quiet = fixture.Room();
        host.Answers.Enqueue("No");
        host.Answers.Enqueue("Yes");
        host.Answers.Enqueue("No");

        var confirm = pwsh.Run("$args[0], $args[1] | Start-MSSmartLiveJob -Confirm", declined, accepted);
        // Medium impact: $ConfirmPreference = 'Medium' asks without -Confirm; -Confirm:$false does not ask.
        var preference = pwsh.Run("& { $ConfirmPreference = 'Medium'; Start-MSSmartLiveJob -RoomId $args[0]; Start-MSSmartLiveJob -RoomId $args[1] -Confirm:$false } @args", asked, quiet);
        var byDefault = pwsh.Run("Start-MSSmartLiveJob -RoomId $args[0]", quiet);

        Assert.Equal(3, host.Prompts.Count);
        Assert.All(host.Prompts, p => Assert.Contains("Start a live", p.Message, StringComparison.Ordinal));
        Assert.Contains(declined, host.Prompts[0].Message, StringComparison.Ordinal);
        Assert.Contains(accepted, host.Prompts[1].Message, StringComparison.Ordinal);
        Assert.Contains(asked, host.Prompts[2].Message, StringComparison.Ordinal);
        Assert.Equal(accepted, Started(confirm).RoomId);
        Assert.Equal(quiet, Started(preference).RoomId);
        Assert.Equal(quiet, Started(byDefault).RoomId); // the default $ConfirmPreference (High) does not ask
        Assert.Empty(fixture.StartsIn(declined));
        Assert.Empty(fixture.StartsIn(asked));
        Assert.Single(fixture.StartsIn(accepted));
        Assert.Equal(2, fixture.StartsIn(quiet).Count);
        Assert.Empty(fixture.JobsIn(declined));
    }

    [Fact]
    public void TheBodyIsMergedWithTheTypedParametersAndReachesTheService()
    {
        string room = fixture.Room();
        const string Body = "@{ PlayPolicy = @{ LiveExitConfig = @{ MaxLiveDuration = 5 }; random_play_mode = 'NONE' } }";

        var fromBody = Started(pwsh.Run($"Start-MSSmartLiveJob -RoomId $args[0] -Body {Body} -Confirm:$false", room));
        var typedOver = Started(pwsh.Run($"Start-MSSmartLiveJob -RoomId $args[0] -Body {Body} -MaxLiveDurationHours 2 -Confirm:$false", room));
        var fromJson = Started(pwsh.Run("Start-MSSmartLiveJob -RoomId $args[0] -Body '{\"play_policy\":{\"live_exit_config\":{\"max_live_duration\":7}}}' -Confirm:$false", room));

        // The emulator answers the max live duration as limit_duration and warns when random play is off.
        Assert.Equal((5, "RANDOM_PLAY_CLOSED"), (fromBody.LimitDuration!.Value, string.Join(",", fromBody.Warnings)));
        Assert.Equal((2, "RANDOM_PLAY_CLOSED"), (typedOver.LimitDuration!.Value, string.Join(",", typedOver.Warnings)));
        Assert.Equal((7, ""), (fromJson.LimitDuration!.Value, string.Join(",", fromJson.Warnings)));
        Assert.Equal(3, fixture.StartsIn(room).Count);
        Assert.Equal(new[] { fromBody.JobId, typedOver.JobId, fromJson.JobId }.Order(), fixture.JobsIn(room).Select(j => j.JobId).Order());
    }

    [Theory]
    [InlineData("@{ play_polcy = @{} }", "-Body has 'play_polcy', which StartSmartLive does not take. Known keys: video_config, play_policy, output_urls, stream_keys")]
    [InlineData("'{\"play_policy\":{\"live_exit_config\":{\"max_hours\":3}}}'", "'max_hours' in play_policy.live_exit_config, which StartSmartLive does not take. Known keys there: max_live_duration, auto_stop_mode, max_exception_waiting_duration")]
    public void AnUnknownBodyKeyIsRefusedNamingTheKnownOnesAndNothingIsSent(string body, string expected)
    {
        string room = fixture.Room();

        var result = pwsh.Run($"$args[0] | Start-MSSmartLiveJob -Body {body} -Confirm:$false; 'next'", room);

        var error = Assert.Single(result.Errors);
        Assert.Equal("InvalidBody,MetaStudio.Commands.StartMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("Body", error.TargetObject);
        Assert.Contains(expected, error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("next", Assert.Single(result.Output).BaseObject);
        Assert.Empty(fixture.Server.Requests);
    }

    /// <summary>The service's refusals of a start: each carries its code, the room as target and what to do; none is retried or creates a job.</summary>
    [Theory]
    [InlineData("single job", 400, "MSS.10001003", ErrorCategory.InvalidArgument, "start without -SingleJobInRoom")]
    [InlineData("quota", 400, "MSS.20010135", ErrorCategory.InvalidArgument, "raise the quota")]
    [InlineData("unknown room", 404, "MSS.10001004", ErrorCategory.ObjectNotFound, "Get-MSSmartLiveRoom lists the project's rooms")]
    [InlineData("disabled room", 400, "MSS.10001005", ErrorCategory.InvalidArgument, "that the room is enabled")]
    public void ABusinessErrorCarriesTheServiceCodeTheRoomAndWhatToDo(string refusal, int status, string code, ErrorCategory category, string advice)
    {
        string room = refusal switch
        {
            "unknown room" => "no-such-room",
            "disabled room" => fixture.Room(state: "DISABLE"),
            _ => fixture.Room(),
        };
        int jobsBefore = 0;
        if (refusal == "single job")
        {
            pwsh.Invoke("Start-MSSmartLiveJob -RoomId $args[0] -Confirm:$false", room);
            jobsBefore = 1;
        }
        else if (refusal == "quota")
        {
            fixture.Server.MaxRunningJobs = fixture.Server.Store.RunningJobCount;
        }

        fixture.Server.ClearRequests();

        var result = pwsh.Run("Start-MSSmartLiveJob -RoomId $args[0] -SingleJobInRoom -Confirm:$false; 'next'", room);

        var error = Assert.Single(result.Errors);
        Assert.Equal(code + ",MetaStudio.Commands.StartMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(room, error.TargetObject);
        Assert.Contains(advice, error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        var e = Assert.IsType<MetaStudioServiceException>(error.Exception);
        Assert.Equal((status, code, false), (e.StatusCode!.Value, e.ErrorCode, e.OutcomeUnknown));
        var start = Assert.Single(fixture.StartsIn(room)); // refused, so not sent again
        Assert.Equal((status, start.RequestId), (start.Status, e.RequestId));
        Assert.Equal("next", Assert.Single(result.Output).BaseObject);
        Assert.Equal(jobsBefore, fixture.JobsIn(room).Count);
    }

    /// <summary>
    /// A start the service may have received is never sent again (one POST in the emulator's log), whether
    /// or not it took effect: the error says its outcome is unknown and how to find out.
    /// </summary>
    [Theory]
    [InlineData("reset-after", "NetworkError", ErrorCategory.ConnectionError, 1)]
    [InlineData("status-after:503", "MSS.00000002", ErrorCategory.ConnectionError, 1)]
    [InlineData("stall-after:5000", "Timeout", ErrorCategory.OperationTimeout, 1)]
    [InlineData("reset", "NetworkError", ErrorCategory.ConnectionError, 0)]
    public void AStartThatMayHaveArrivedIsNotRetriedAndItsOutcomeIsUnknown(string fault, string errorId, ErrorCategory category, int jobsCreated)
    {
        string room = fixture.Room();
        fixture.Server.AddFault($"{fault}@{fixture.RoomJobsPath(room)}");

        // The listing first, so the start goes over a connection already open (kept alive), as in a session.
        var result = pwsh.Run("Get-MSSmartLiveRoom -First 1 | Out-Null; Start-MSSmartLiveJob -RoomId $args[0] -MaxRetry 3 -TimeoutSec 1 -Confirm:$false -Verbose", room);

        var error = Assert.Single(result.Errors);
        Assert.Equal(errorId + ",MetaStudio.Commands.StartMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(room, error.TargetObject);
        var e = Assert.IsType<MetaStudioServiceException>(error.Exception);
        Assert.True(e.OutcomeUnknown);
        Assert.Equal(1, e.Attempts);
        Assert.Contains("The request may have reached the service, so it was not sent again: its outcome is unknown.", e.Message, StringComparison.Ordinal);
        Assert.Contains($"Get-MSSmartLiveJob -RoomId {room} -State WAITING,PROCESSING", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("could not connect", e.Message, StringComparison.Ordinal); // it did connect, and sent the request
        Assert.StartsWith("Do not simply run it again", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        // (The emulator logs a request it reset or saw abandoned once its handler ends, which may be after the client gave up.)
        LifecycleFixture.WaitUntil(() => fixture.StartsIn(room).Count > 0, "the start in the emulator's log");
        Assert.Single(fixture.StartsIn(room));
        Assert.Single(result.Verbose, v => v.StartsWith("POST ", StringComparison.Ordinal));
        Assert.Empty(result.Output);
        Assert.Equal(jobsCreated, fixture.JobsIn(room).Count);

        // What the message says to run finds the job the lost answer would have named.
        var running = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -State WAITING,PROCESSING", room).Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId);
        Assert.Equal(fixture.JobsIn(room).Select(j => j.JobId), running);
    }

    [Fact]
    public void AStartRefusedWith429BeforeAnyWorkIsRetried()
    {
        string room = fixture.Room();
        fixture.Server.AddFault($"status:429@{fixture.RoomJobsPath(room)}");

        var result = pwsh.Run("Start-MSSmartLiveJob -RoomId $args[0] -Confirm:$false -Verbose", room);

        Assert.Empty(result.Errors);
        var started = Started(result);
        Assert.Equal(new[] { 429, 202 }, fixture.StartsIn(room).Select(r => r.Status));
        Assert.Equal(started.JobId, Assert.Single(fixture.JobsIn(room)).JobId);
        Assert.Contains(result.Verbose, v => v.StartsWith("POST ", StringComparison.Ordinal) && v.Contains("-> 429", StringComparison.Ordinal) && v.Contains("retrying in", StringComparison.Ordinal));
    }

    [Fact]
    public void StartsThrottledByTheServicesPerOperationLimitAreRetriedUntilTheyGetThrough()
    {
        string a = fixture.Room(), b = fixture.Room();
        fixture.Server.SetRateLimit("StartSmartLive", 1); // the module paces starts at 4/s, the documented rate

        var result = pwsh.Run("$args | Start-MSSmartLiveJob -MaxRetry 10 -Confirm:$false", a, b);

        Assert.Empty(result.Errors);
        Assert.Equal(new[] { a, b }, result.Output.Select(o => ((StartedSmartLiveJob)o.BaseObject).RoomId));
        Assert.Equal(new[] { 202 }, fixture.StartsIn(a).Select(r => r.Status));
        var posts = fixture.StartsIn(b);
        Assert.Equal(202, posts[^1].Status);
        Assert.True(posts.Count > 1 && posts.SkipLast(1).All(r => r.Status == 429), string.Join(", ", posts.Select(r => r.Status)));
        Assert.All(new[] { a, b }, room => Assert.Single(fixture.JobsIn(room)));
    }

    [Fact]
    public void AStartThatCannotConnectIsRetriedAndSaysNothingArrived()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: every attempt is refused before a byte is sent

        var result = pwsh.Run("Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] -ProjectId $args[2] -Endpoint $args[3] -MaxRetry 1; " +
                              "Start-MSSmartLiveJob -RoomId room-1 -Confirm:$false -Verbose",
            EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure(EmulatorOptions.DemoSecretKey), fixture.Project, $"http://127.0.0.1:{port}");

        var error = Assert.Single(result.Errors);
        Assert.Equal("NetworkError,MetaStudio.Commands.StartMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        var e = Assert.IsType<MetaStudioServiceException>(error.Exception);
        Assert.Equal((2, false), (e.Attempts, e.OutcomeUnknown));
        Assert.Contains($"could not connect to http://127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("outcome is unknown", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Verbose.Count(v => v.StartsWith("POST ", StringComparison.Ordinal)));
    }

    [Fact]
    public void StreamAndCallbackKeysNeverShowInViewsTracesOrErrors()
    {
        const string RoomStreamKey = "sk_ROOM_SECRET_0123456789", RoomCallbackKey = "CB_ROOM_SECRET_0001";
        const string StreamKey = "sk_START_SECRET_9876543210", CallbackKey = "CB_START_SECRET_0002", RefusedKey = "sk REFUSED SECRET 5555";
        string room = fixture.Room(extra: $$"""
            "output_urls":["rtmp://push.example.com/live/r"],"stream_keys":["{{RoomStreamKey}}"],
            "live_event_callback_config":{"live_event_type_callback_url":"https://cb.example.com/room","auth_type":"MSS_A","key":"{{RoomCallbackKey}}"}
            """);

        var result = pwsh.Run("""
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            $room = Get-MSSmartLiveRoom -RoomId $args[0]
            $room | Out-String -Width 300; $room | Format-List | Out-String -Width 300; $room | Format-Wide | Out-String; "$room"
            $started = Start-MSSmartLiveJob -RoomId $args[0] -OutputUrl rtmp://push.example.com/live/s -StreamKey $args[1] -CallbackUrl https://cb.example.com/start `
                -CallbackAuthType MSS_A -CallbackKey $args[2] -CallbackEventType SHOOT_SCRIPT_SWITCH -Confirm:$false
            $started | Out-String -Width 300; "$started"
            $job = $started | Get-MSSmartLiveJob
            $job | Out-String -Width 300; $job | Format-List | Out-String -Width 300; $job | Format-Table | Out-String -Width 300; "$job"
            $started | Stop-MSSmartLiveJob -Force -PassThru | Out-String -Width 300
            Start-MSSmartLiveJob -RoomId $args[0] -OutputUrl rtmp://push.example.com/live/s -StreamKey $args[3] -Confirm:$false
            """, room, HostedPowerShell.Secure(StreamKey), HostedPowerShell.Secure(CallbackKey), HostedPowerShell.Secure(RefusedKey));

        // The keys were really there: in the room the service sent, in the started job, and refused by the service.
        Assert.Contains(RoomStreamKey, System.Text.Encoding.UTF8.GetString(fixture.Server.Store.FindRoom(room)!.Json), StringComparison.Ordinal);
        var job = fixture.JobsIn(room).First();
        Assert.Contains(CallbackKey, System.Text.Encoding.UTF8.GetString(job.Json), StringComparison.Ordinal);
        var refused = Assert.Single(result.Errors);
        Assert.Equal("MSS.10000003,MetaStudio.Commands.StartMSSmartLiveJobCommand", refused.FullyQualifiedErrorId);
        Assert.Contains("stream_keys[0] is rejected", refused.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-OutputUrl and -StreamKey", refused.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains(result.Verbose, v => v.StartsWith("POST ", StringComparison.Ordinal));
        Assert.Contains(result.Debug, d => d.StartsWith("POST ", StringComparison.Ordinal));
        Assert.Contains(result.Output, o => o.BaseObject is string s && s.Contains("https://cb.example.com/room (MSS_A", StringComparison.Ordinal));

        var seen = result.AllVisibleText().ToList();
        foreach (var secret in new[] { RoomStreamKey, RoomCallbackKey, StreamKey, CallbackKey, RefusedKey, "REFUSED SECRET" })
        {
            Assert.DoesNotContain(seen, t => t.Contains(secret, StringComparison.Ordinal));
        }
    }
}
