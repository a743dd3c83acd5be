using System;
using System.Collections;
using System.IO;
using System.Linq;
using MetaStudio.Client.LiveEvents;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Events;

/// <summary>ConvertFrom-MSLiveEvent and LiveEventParser: the API page's examples, every input form, hostile and broken bodies.</summary>
public sealed class ConverterTests : IDisposable
{
    // The API page's examples (LiveEventCallBackConfig), as sent: the message is JSON text.
    private const string ShootSwitch = """{"event_type":"SHOOT_SCRIPT_SWITCH","message":"{\"room_id\":\"26f065244f754b3aa853b649a21aaf66\",\"job_id\":\"e87104f76d7546ce8a46ac6b04c49c3c\",\"scene_script_name\":\"商品1\",\"shoot_script_sequence_no\":\"2\",\"shoot_script_title\":\"段落2\"}"}""";
    private const string Rtmp = """{"event_type":"RTMP_STREAM_STATE_CHANGE","message":"{\"room_id\":\"26f065244f754b3aa853b649a21aaf66\",\"job_id\":\"e87104f76d7546ce8a46ac6b04c49c3c\",\"output_url\":\"rtmp://push.example.com/live/r1\",\"stream_key\":\"sk-SECRET-9f3a\",\"state\":\"CONNECTED\"}"}""";
    private const string Reply = """{"event_type":"REPLY_COMMAND_FINISH","message":"{\"room_id\":\"26f065244f754b3aa853b649a21aaf66\",\"job_id\":\"e87104f76d7546ce8a46ac6b04c49c3c\",\"reply_id\":\"r-77\"}"}""";

    // The page's own REPLY_COMMAND_FINISH example: the quote after reply_id's value is not escaped, so it is not JSON.
    private const string PagesBrokenReply = """{"event_type":"REPLY_COMMAND_FINISH","message":"{\"room_id\":\"26f065244f754b3aa853b649a21aaf66\",\"job_id\":\"e87104f76d7546ce8a46ac6b04c49c3c\",\"reply_id\":\"e87104f76d7546ce8a46ac6b04c49c3c"}"}""";

    private readonly HostedPowerShell pwsh = new();

    public void Dispose() => pwsh.Dispose();

    [Fact]
    public void EachDocumentedTypeBecomesItsClassWithPascalCaseFields()
    {
        var events = pwsh.Invoke<LiveEvent>("$args | ConvertFrom-MSLiveEvent", ShootSwitch, Rtmp, Reply);
        var shoot = Assert.IsType<ShootScriptSwitchEvent>(events[0]);
        Assert.Equal(("SHOOT_SCRIPT_SWITCH", "26f065244f754b3aa853b649a21aaf66", "e87104f76d7546ce8a46ac6b04c49c3c"), (shoot.EventType, shoot.RoomId, shoot.JobId));
        Assert.Equal(("商品1", 2, "段落2"), (shoot.SceneScriptName, shoot.ShootScriptSequenceNo, shoot.ShootScriptTitle));
        Assert.Null(shoot.Message);
        var rtmp = Assert.IsType<RtmpStreamStateChangeEvent>(events[1]);
        Assert.Equal(("rtmp://push.example.com/live/r1", "CONNECTED", "sk-SECRET-9f3a"), (rtmp.OutputUrl, rtmp.State, rtmp.StreamKey));
        Assert.Equal("r-77", Assert.IsType<ReplyCommandFinishEvent>(events[2]).ReplyId);
    }

    [Fact]
    public void AnUnknownTypeKeepsItsRawMessage()
    {
        var unknown = LiveEventParser.Parse("""{"event_type":"LIVE_WARNING","message":"{\"room_id\":\"r\",\"job_id\":\"j\",\"level\":3}"}""");
        Assert.Equal(typeof(LiveEvent), unknown.GetType());
        Assert.Equal(("LIVE_WARNING", "r", "j"), (unknown.EventType, unknown.RoomId, unknown.JobId));
        Assert.Equal("""{"room_id":"r","job_id":"j","level":3}""", unknown.Message);
    }

    [Fact]
    public void ParsedBodiesAndEmbeddedMessagesAreAccepted()
    {
        var fromJson = pwsh.Invoke<LiveEvent>("$args[0] | ConvertFrom-Json | ConvertFrom-MSLiveEvent", Reply).Single();
        Assert.Equal("r-77", ((ReplyCommandFinishEvent)fromJson).ReplyId);

        var fromTable = pwsh.Invoke<LiveEvent>(
            "@{ event_type = 'SHOOT_SCRIPT_SWITCH'; message = @{ room_id = 'r1'; job_id = 'j1'; scene_script_name = 's'; shoot_script_sequence_no = 3; shoot_script_title = 't' } } | ConvertFrom-MSLiveEvent").Single();
        var shoot = Assert.IsType<ShootScriptSwitchEvent>(fromTable);
        Assert.Equal(("r1", "j1", 3), (shoot.RoomId, shoot.JobId, shoot.ShootScriptSequenceNo));

        var embeddedUnknown = pwsh.Invoke<LiveEvent>("@{ event_type = 'NEW_TYPE'; message = [ordered]@{ room_id = 'r1'; n = 1 } } | ConvertFrom-MSLiveEvent").Single();
        Assert.Equal("""{"room_id":"r1","n":1}""", embeddedUnknown.Message);
    }

    [Fact]
    public void ABodyThatIsNotALiveEventIsAnErrorNamingWhatIsWrongAndTheNextIsConverted()
    {
        var result = pwsh.Run("$args | ConvertFrom-MSLiveEvent", ShootSwitch, """{"message":"{}"}""", "not json", """{"event_type":"X"}""",
            """{"event_type":"X","message":"{oops"}""", """{"event_type":"X","message":7}""", "[1,2]", PagesBrokenReply, Reply);
        Assert.Equal(new[] { "SHOOT_SCRIPT_SWITCH", "REPLY_COMMAND_FINISH" }, result.Output.Select(o => ((LiveEvent)o.BaseObject).EventType));
        Assert.Equal(7, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("NotALiveEvent,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
        string[] messages = result.Errors.Select(e => e.ToString()).ToArray();
        Assert.Contains("Item 2 is not a live event: The body has no event_type", messages[0], StringComparison.Ordinal);
        Assert.Contains("Item 3", messages[1], StringComparison.Ordinal);
        Assert.Contains("not JSON", messages[1], StringComparison.Ordinal);
        Assert.Contains("has no message", messages[2], StringComparison.Ordinal);
        Assert.Contains("message is not a JSON object", messages[3], StringComparison.Ordinal);
        Assert.Contains("message is a number", messages[4], StringComparison.Ordinal);
        Assert.Contains("not of an object", messages[5], StringComparison.Ordinal);
        Assert.Contains("Item 8 is not a live event: The body is not a live event: it is not JSON", messages[6], StringComparison.Ordinal);
    }

    [Fact]
    public void AnObjectThatIsNoCallbackBodySaysWhatToGiveOnce()
    {
        var result = pwsh.Run("[datetime]::UtcNow, @{ event_type = 'REPLY_COMMAND_FINISH'; message = @{ reply_id = 'r1'; bad = { 1 } } } | ConvertFrom-MSLiveEvent");

        Assert.Equal(2, result.Errors.Count);
        Assert.Equal("Item 1 is not a live event: a System.DateTime is not a callback body. Give the body's JSON text, its file (-Path), or the object ConvertFrom-Json or a web framework made of it.",
            result.Errors[0].Exception.Message);
        string second = result.Errors[1].Exception.Message;
        Assert.StartsWith("Item 2 is not a live event: -InputObject has a script block at message.bad", second, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(second, @"\(Parameter 'InputObject'\)"));
    }

    [Fact]
    public void SizeAndDepthAreBounded()
    {
        string big = "{\"event_type\":\"X\",\"message\":\"{\\\"pad\\\":\\\"" + new string('a', LiveEventParser.MaxBodyChars) + "\\\"}\"}";
        Assert.Contains("65,536", Assert.Throws<LiveEventFormatException>(() => LiveEventParser.Parse(big)).Message, StringComparison.Ordinal);
        string deep = """{"event_type":"X","message":"{\"a\":""" + new string('[', 40) + new string(']', 40) + "}\"}";
        Assert.Contains("not a JSON object", Assert.Throws<LiveEventFormatException>(() => LiveEventParser.Parse(deep)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PathReadsRegularFilesOfBoundedSizeOnly()
    {
        string dir = Directory.CreateTempSubdirectory("ms-events-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.json"), ShootSwitch);
            File.WriteAllText(Path.Combine(dir, "b.json"), Rtmp);
            File.WriteAllText(Path.Combine(dir, "huge.txt"), new string(' ', LiveEventParser.MaxBodyChars + 1));
            Directory.CreateDirectory(Path.Combine(dir, "sub.json"));

            var events = pwsh.Invoke<LiveEvent>("ConvertFrom-MSLiveEvent -Path (Join-Path $args[0] '*.json') -ErrorAction SilentlyContinue", dir);
            Assert.Equal(new[] { "SHOOT_SCRIPT_SWITCH", "RTMP_STREAM_STATE_CHANGE" }, events.Select(e => e.EventType));

            var result = pwsh.Run("ConvertFrom-MSLiveEvent -Path (Join-Path $args[0] 'huge.txt'), (Join-Path $args[0] 'sub.json'), (Join-Path $args[0] 'missing.json')", dir);
            Assert.Empty(result.Output);
            Assert.Equal(3, result.Errors.Count);
            Assert.Contains("read up to 64 KiB", result.Errors[0].ToString(), StringComparison.Ordinal);
            Assert.Contains("directory", result.Errors[1].ToString(), StringComparison.Ordinal);
            Assert.Equal("PathNotFound,MetaStudio.Commands.ConvertFromMSLiveEventCommand", result.Errors[2].FullyQualifiedErrorId);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void TheStreamKeyStaysOnTheObjectButNoViewOrToStringShowsIt()
    {
        string shown = string.Join("\n", pwsh.Invoke<string>(
            "$e = $args[0] | ConvertFrom-MSLiveEvent; ($e | Out-String -Width 200); ($e | Format-List | Out-String -Width 200); ($e | Format-Table | Out-String -Width 80); $e.ToString(); \"$e\"", Rtmp));
        Assert.Contains("CONNECTED", shown, StringComparison.Ordinal);
        Assert.Contains("rtmp://push.example.com/live/r1", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-SECRET-9f3a", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void HostileTextIsEscapedInEveryView()
    {
        string body = """{"event_type":"SHOOT_SCRIPT_SWITCH","message":"{\"room_id\":\"r\\u001b[2J\",\"job_id\":\"j\\u0007\",\"scene_script_name\":\"\\u001b]0;pwned\\u0007\",\"shoot_script_sequence_no\":\"1\",\"shoot_script_title\":\"a\\u202eb\\nc\"}"}""";
        var shoot = (ShootScriptSwitchEvent)LiveEventParser.Parse(body);
        Assert.Equal("\u001b]0;pwned\u0007", shoot.SceneScriptName); // the object keeps the value
        string shown = string.Join("\n", pwsh.Invoke<string>(
            "$e = $args[0] | ConvertFrom-MSLiveEvent; ($e | Out-String -Width 200); ($e | Format-List | Out-String -Width 200); $e.ToString()", body));
        Assert.DoesNotContain('\u001b', shown);
        Assert.DoesNotContain('\u0007', shown);
        Assert.DoesNotContain('\u202e', shown);
        Assert.Contains("`e]0;pwned`a", shown, StringComparison.Ordinal);
        Assert.Contains("a`u{202E}b`nc", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void PathParameterErrorsNameThePathAndWhatItTakes()
    {
        var provider = pwsh.Run("ConvertFrom-MSLiveEvent -Path Env:/PATH");
        Assert.Empty(provider.Output);
        var error = Assert.Single(provider.Errors);
        Assert.Contains("-Path 'Env:/PATH'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("give a file system path", error.ToString(), StringComparison.Ordinal);

        var both = pwsh.Run("ConvertFrom-MSLiveEvent -Path x.json -InputObject '{}'");
        Assert.Equal("AmbiguousParameterSet,MetaStudio.Commands.ConvertFromMSLiveEventCommand", both.FirstError!.FullyQualifiedErrorId);
        var none = pwsh.Run("ConvertFrom-MSLiveEvent -Path @()");
        Assert.StartsWith("ParameterArgumentValidationError", none.FirstError!.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void NullInputGivesNothingAndAnObjectThatCannotBeJsonIsAnError()
    {
        Assert.Empty(pwsh.Run("$null | ConvertFrom-MSLiveEvent").Output);
        var result = pwsh.Run("@{ event_type = 'X'; message = @{ f = { 'script block' } } } | ConvertFrom-MSLiveEvent");
        Assert.Empty(result.Output);
        Assert.Equal("NotALiveEvent,MetaStudio.Commands.ConvertFromMSLiveEventCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }
}
