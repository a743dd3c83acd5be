using System.Collections.Generic;
using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using MetaStudio.Client.LiveEvents;
using MetaStudio.Tests.Emulator;
using Xunit;

namespace MetaStudio.Tests.Events;

/// <summary>
/// The emulator's live events (--events) to a receiver on 127.0.0.1, on a stepped clock that starts now:
/// signed as configured (checked here with HMACSHA256 over literal text, and with the module's checker),
/// only the types the live listed, paragraphs on the job clock, and receivers that are down or hang.
/// </summary>
public sealed class EmulatorEventTests : IAsyncLifetime
{
    private const string Key = "emulator-callback-key";
    private readonly ConcurrentQueue<string> log = new();
    private LiveEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await LiveEmulator.StartAsync(o =>
    {
        o.Events = true;
        o.StartDelayMs = 0;
        o.EventParagraphMs = 3000;
        o.EventTimeout = TimeSpan.FromMilliseconds(500);
        o.EventLog = log.Enqueue;
    }, DateTimeOffset.UtcNow);

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    private static string StartBody(string url, string authType, params string[] types) => JsonSerializer.Serialize(new
    {
        output_urls = new[] { "rtmp://push.example.com/live/room" },
        stream_keys = new[] { "sk-emulated-1" },
        live_event_callback_config = new { live_event_type_callback_url = url, auth_type = authType, key = Key, callback_event_type = types },
    });

    private async Task<(string Room, string Job)> StartAsync(string url, string authType, params string[] types)
    {
        string room = emulator.AddRoom();
        string job = await emulator.StartJobAsync(room, StartBody(url, authType, types));
        await emulator.ShowAsync(room, job); // on air at the first read
        return (room, job);
    }

    private static (string Type, JsonElement Message) Parse(ReceivedCallback callback)
    {
        using var body = JsonDocument.Parse(callback.Body);
        string type = body.RootElement.GetProperty("event_type").GetString()!;
        return (type, JsonDocument.Parse(body.RootElement.GetProperty("message").GetString()!).RootElement.Clone());
    }

    private static string Hmac(string text)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Key));
        return Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
    }

    [Fact]
    public async Task MssAAppendsHwSecretAndHwTimeToTheQueryOfTheCallbackUrl()
    {
        using var receiver = new CallbackReceiver();
        var (room, job) = await StartAsync($"{receiver.Base}/cb?z=2&a=1", "MSS_A");
        emulator.Server.Events!.DispatchDue();
        var got = await receiver.WaitForAsync(3);

        string time = emulator.Clock.Now.ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture);
        string expected = Hmac($"127.0.0.1:{receiver.Port}/cb?a=1&z=2{time}");
        Assert.All(got, c => Assert.Equal($"?z=2&a=1&hwSecret={expected}&hwTime={time}", c.Url.Query));
        Assert.All(got, c => Assert.False(c.Headers.ContainsKey("x-hw-mss-secret")));
        Assert.All(got, c => Assert.StartsWith("application/json", c.Headers["content-type"], StringComparison.Ordinal));

        var events = got.Select(Parse).ToList();
        Assert.Equal(new[] { "RTMP_STREAM_STATE_CHANGE", "RTMP_STREAM_STATE_CHANGE", "SHOOT_SCRIPT_SWITCH" }, events.Select(e => e.Type));
        Assert.Equal(new[] { "CONNECTING", "CONNECTED" }, events.Take(2).Select(e => e.Message.GetProperty("state").GetString()));
        Assert.All(events, e => Assert.Equal((room, job), (e.Message.GetProperty("room_id").GetString(), e.Message.GetProperty("job_id").GetString())));
        Assert.Equal("rtmp://push.example.com/live/room", events[0].Message.GetProperty("output_url").GetString());
        Assert.Equal("sk-emulated-1", events[0].Message.GetProperty("stream_key").GetString());
        Assert.Equal(("s1", "1"), (events[2].Message.GetProperty("scene_script_name").GetString(), events[2].Message.GetProperty("shoot_script_sequence_no").GetString()));

        // The module's checker agrees with the emulator's signer, and a receiver sees nothing secret in the delivery log.
        var fields = SignatureFields.FromUrl(got[0].Url.AbsoluteUri);
        var result = LiveEventSignature.Verify(fields.AuthType, fields.Secrets, fields.Times, $"{receiver.Base}/cb?z=2&a=1", Key, TimeSpan.FromMinutes(5), emulator.Clock.Now);
        Assert.Equal(LiveEventSignatureReason.Valid, result.Reason);
        Assert.All(emulator.Server.Events.Deliveries, d => Assert.DoesNotContain("hwSecret", d.Url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MssAHeadSignsInHeadersAndNoneSendsTheUrlAsConfigured()
    {
        using var receiver = new CallbackReceiver();
        await StartAsync($"{receiver.Base}/head", "MSS_A_HEAD", "RTMP_STREAM_STATE_CHANGE");
        emulator.Server.Events!.DispatchDue();
        var got = await receiver.WaitForAsync(2);
        string time = emulator.Clock.Now.ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture);
        Assert.All(got, c => Assert.Equal("/head", c.Url.PathAndQuery));
        Assert.All(got, c => Assert.Equal((Hmac($"127.0.0.1:{receiver.Port}/head{time}"), time), (c.Headers["x-hw-mss-secret"], c.Headers["x-hw-mss-time"])));

        using var plain = new CallbackReceiver();
        await StartAsync($"{plain.Base}/none?token=abc", "NONE", "RTMP_STREAM_STATE_CHANGE");
        emulator.Server.Events.DispatchDue();
        var unsigned = await plain.WaitForAsync(2);
        Assert.All(unsigned, c => Assert.Equal("/none?token=abc", c.Url.PathAndQuery));
        Assert.All(unsigned, c => Assert.False(c.Headers.ContainsKey("x-hw-mss-secret")));
        Assert.All(emulator.Server.Events.Deliveries, d => Assert.DoesNotContain("token=abc", d.Url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnlyTheListedTypesAreSentAndParagraphsFollowTheJobClockRoundTheScript()
    {
        using var receiver = new CallbackReceiver();
        var (room, job) = await StartAsync($"{receiver.Base}/paragraphs", "MSS_A_HEAD", "SHOOT_SCRIPT_SWITCH");
        emulator.Server.Events!.DispatchDue();
        emulator.Advance(TimeSpan.FromMilliseconds(3000 * 4 + 1));
        emulator.Server.Events.DispatchDue();
        await emulator.Http.StopAsync(room, job);
        emulator.Server.Events.DispatchDue();
        var got = await receiver.WaitForAsync(5);
        await Task.Delay(300); // nothing else may follow: no RTMP state, no sixth paragraph
        var events = receiver.Received.Select(Parse).ToList();
        Assert.Equal(5, events.Count);
        Assert.All(events, e => Assert.Equal("SHOOT_SCRIPT_SWITCH", e.Type));
        // The room's four paragraphs (s1 #1, s1 #2, s2 #1, s2 #2), then round again.
        Assert.Equal(new[] { "s1 1", "s1 2", "s2 1", "s2 2", "s1 1" },
            events.Select(e => e.Message.GetProperty("scene_script_name").GetString() + " " + e.Message.GetProperty("shoot_script_sequence_no").GetString()));
        Assert.Equal(0, emulator.Server.Events.TrackedJobs);
    }

    [Fact]
    public async Task TheStopSendsEndAndReplyCommandFinishIsSentOnRequest()
    {
        using var receiver = new CallbackReceiver();
        var (room, job) = await StartAsync($"{receiver.Base}/end", "MSS_A_HEAD", "RTMP_STREAM_STATE_CHANGE", "REPLY_COMMAND_FINISH");
        emulator.Server.Events!.DispatchDue();
        Assert.True(emulator.Server.Events.EmitReplyCommandFinish(room, job, "reply-42"));
        Assert.False(emulator.Server.Events.EmitReplyCommandFinish(room, "no-such-job", "reply-43"));
        await emulator.Http.StopAsync(room, job);
        emulator.Server.Events.DispatchDue();
        var events = (await receiver.WaitForAsync(4)).Select(Parse).ToList();
        Assert.Equal(new[] { "CONNECTING", "CONNECTED", "reply-42", "END" },
            events.Select(e => e.Type == "REPLY_COMMAND_FINISH" ? e.Message.GetProperty("reply_id").GetString() : e.Message.GetProperty("state").GetString()));
        Assert.False(emulator.Server.Events.EmitReplyCommandFinish(room, job, "after-the-end"));
    }

    [Fact]
    public async Task AnInsertedTextOrAudioReportsReplyCommandFinishWithTheCommandsIdAndOtherCommandsDoNot()
    {
        using var receiver = new CallbackReceiver();
        var (room, job) = await StartAsync($"{receiver.Base}/replies", "MSS_A", "REPLY_COMMAND_FINISH");
        string commandPath = $"{emulator.Http.RoomJobs(room)}/{Uri.EscapeDataString(job)}/command";

        var ids = new List<string>();
        foreach (string body in new[]
        {
            "{\"command\":\"INSERT_PLAY_SCRIPT\",\"params\":{\"text_config\":{\"text\":\"hello\"}}}",
            "{\"command\":\"GET_CURRENT_PLAYING_SCRIPTS\"}",
            "{\"command\":\"INSERT_PLAY_AUDIO\",\"params\":{\"audio_url\":\"https://example.com/a.mp3\"}}",
        })
        {
            using var response = await emulator.Http.PostAsync(commandPath, body);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            ids.Add(answer.RootElement.GetProperty("command_id").GetString()!);
        }

        var events = (await receiver.WaitForAsync(2)).Select(Parse).ToList();
        Assert.All(events, e => Assert.Equal("REPLY_COMMAND_FINISH", e.Type));
        Assert.Equal(new[] { ids[0], ids[2] }, events.Select(e => e.Message.GetProperty("reply_id").GetString()).OrderBy(id => ids.IndexOf(id!)));
    }

    [Fact]
    public async Task AReceiverThatIsDownOrHangsCostsABoundedTimeAndIsLogged()
    {
        int closed = CallbackReceiver.FreePort();
        await StartAsync($"http://127.0.0.1:{closed}/down", "MSS_A_HEAD", "RTMP_STREAM_STATE_CHANGE");
        using var hung = new CallbackReceiver { Silent = true };
        await StartAsync($"{hung.Base}/hung", "MSS_A_HEAD", "RTMP_STREAM_STATE_CHANGE");
        emulator.Server.Events!.DispatchDue();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (emulator.Server.Events.Deliveries.Count(d => d.Error != null) < 4 && DateTime.UtcNow < deadline)
        {
            // The emulator keeps answering meanwhile.
            await emulator.Http.GetJsonAsync(emulator.Http.RoomJobs(emulator.AddRoom()));
            await Task.Delay(50);
        }

        var failed = emulator.Server.Events.Deliveries.Where(d => d.Error != null).ToList();
        Assert.Equal(2, failed.Count(d => d.Url.EndsWith("/down", StringComparison.Ordinal) && d.Status == 0));
        Assert.Equal(2, failed.Count(d => d.Url.EndsWith("/hung", StringComparison.Ordinal) && d.Error!.StartsWith("no answer within 0.5 s", StringComparison.Ordinal)));
        Assert.Contains(log, line => line.Contains("/down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallbacksToAnotherHostInClearTextAreRefusedAtStart()
    {
        var (status, body) = await emulator.Http.StartAsync(emulator.AddRoom(), StartBody("http://events.example.com/cb", "MSS_A"));
        Assert.Equal(400, status);
        Assert.Contains("http:// only to a loopback address", body.GetProperty("error_msg").GetString(), StringComparison.Ordinal);
    }
}
