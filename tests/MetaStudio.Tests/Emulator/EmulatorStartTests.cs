using System;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Emulator;

/// <summary>StartSmartLive: the body as the service validates it, the room checks, one job per room, the quota, the response.</summary>
public class EmulatorStartTests
{
    private const string Video = "\"video_config\":{\"bitrate\":4000,\"width\":1080,\"height\":1920}";

    public static TheoryData<string, string?, string, string> InvalidBodies() => new()
    {
        // body, content type, expected code, text the message must contain
        { "{}", "text/plain", "MSS.10000002", "Content-Type" },
        { "{}", null, "MSS.10000002", "Content-Type" },
        { "{\"video_config\":", "application/json", "MSS.10000002", "Request JSON exception" },
        { "not json", "application/json", "MSS.10000002", "Request JSON exception" },
        { "[]", "application/json", "MSS.00000002", "the body" },
        { "\"text\"", "application/json", "MSS.00000002", "the body" },
        { "{\"video_config\":\"1080p\"}", "application/json", "MSS.00000002", "video_config" },
        { "{\"video_config\":{\"bitrate\":\"4000\",\"width\":1080,\"height\":1920}}", "application/json", "MSS.00000002", "video_config.bitrate" },
        { "{\"video_config\":{\"bitrate\":4000.5,\"width\":1080,\"height\":1920}}", "application/json", "MSS.00000002", "video_config.bitrate" },
        { "{\"video_config\":{\"width\":1080,\"height\":1920}}", "application/json", "MSS.10000003", "video_config.bitrate" },
        { "{\"video_config\":{\"bitrate\":999,\"width\":1080,\"height\":1920}}", "application/json", "MSS.10000003", "video_config.bitrate" },
        { "{\"video_config\":{\"bitrate\":8001,\"width\":1080,\"height\":1920}}", "application/json", "MSS.10000003", "video_config.bitrate" },
        { "{\"video_config\":{\"bitrate\":4000,\"height\":1920}}", "application/json", "MSS.10000003", "video_config.width" },
        { "{\"video_config\":{\"bitrate\":4000,\"width\":1000,\"height\":1000}}", "application/json", "MSS.10000003", "video_config.width" },
        { "{\"video_config\":{\"bitrate\":4000,\"width\":1080,\"height\":1920,\"codec\":\"VP8\"}}", "application/json", "MSS.10000003", "video_config.codec" },
        { "{\"video_config\":{\"bitrate\":4000,\"width\":1080,\"height\":1920,\"clip_mode\":\"ZOOM\"}}", "application/json", "MSS.10000003", "video_config.clip_mode" },
        { "{\"video_config\":{\"bitrate\":4000,\"width\":1080,\"height\":1920,\"subtitle_config\":{\"opacity\":1.5}}}", "application/json", "MSS.10000003", "video_config.subtitle_config.opacity" },
        { "{\"play_policy\":{\"repeat_count\":-2}}", "application/json", "MSS.10000003", "play_policy.repeat_count" },
        { "{\"play_policy\":{\"repeat_count\":\"forever\"}}", "application/json", "MSS.00000002", "play_policy.repeat_count" },
        { "{\"play_policy\":{\"play_mode\":\"VIDEO\"}}", "application/json", "MSS.10000003", "play_policy.play_mode" },
        { "{\"play_policy\":{\"random_play_mode\":\"ALL\"}}", "application/json", "MSS.10000003", "play_policy.random_play_mode" },
        { "{\"play_policy\":{\"auto_play_script\":\"yes\"}}", "application/json", "MSS.00000002", "play_policy.auto_play_script" },
        { "{\"play_policy\":{\"live_exit_config\":{\"max_live_duration\":169}}}", "application/json", "MSS.10000003", "max_live_duration" },
        { "{\"play_policy\":{\"live_exit_config\":{\"max_live_duration\":-1}}}", "application/json", "MSS.10000003", "max_live_duration" },
        { "{\"play_policy\":{\"live_exit_config\":{\"max_exception_waiting_duration\":61}}}", "application/json", "MSS.10000003", "max_exception_waiting_duration" },
        { "{\"play_policy\":{\"live_exit_config\":{\"auto_stop_mode\":\"NEVER\"}}}", "application/json", "MSS.10000003", "auto_stop_mode" },
        { "{\"output_urls\":\"rtmp://push.example.com/live\"}", "application/json", "MSS.00000002", "output_urls" },
        { "{\"output_urls\":[\"rtmp://a.example.com/live\",\"rtmp://b.example.com/live\"],\"stream_keys\":[\"k1\",\"k2\"]}", "application/json", "MSS.10000003", "output_urls" },
        { "{\"output_urls\":[\"https://push.example.com/live\"]}", "application/json", "MSS.10000003", "output_urls[0]" },
        { "{\"output_urls\":[\"rtmp://push.example.com/live\"],\"stream_keys\":[]}", "application/json", "MSS.10000003", "stream_keys" },
        { "{\"stream_keys\":[\"key\"]}", "application/json", "MSS.10000003", "stream_keys" },
        { "{\"output_urls\":[\"rtmp://push.example.com/live\"],\"stream_keys\":[\"bad key\"]}", "application/json", "MSS.10000003", "stream_keys[0] is rejected" },
        { "{\"output_urls\":[\"rtmp://push.example.com/live\"],\"stream_keys\":[1]}", "application/json", "MSS.00000002", "stream_keys" },
        { "{\"interaction_callback_url\":\"ftp://x.example.com\"}", "application/json", "MSS.10000003", "interaction_callback_url" },
        { "{\"live_event_callback_config\":{\"live_event_type_callback_url\":\"http://cb.example.com\"}}", "application/json", "MSS.10000003", "live_event_type_callback_url" },
        { "{\"live_event_callback_config\":{\"auth_type\":\"HMAC\"}}", "application/json", "MSS.10000003", "live_event_callback_config.auth_type" },
        { "{\"live_event_callback_config\":{\"key\":\"123456789012345678901234567890123\"}}", "application/json", "MSS.10000003", "live_event_callback_config.key" },
        { "{\"live_event_callback_config\":{\"callback_event_type\":[\"EVERYTHING\"]}}", "application/json", "MSS.10000003", "callback_event_type" },
        { "{\"rtc_callback_config\":{\"rtc_callback_event_type\":[\"EVERYTHING\"]}}", "application/json", "MSS.10000003", "rtc_callback_event_type" },
        { "{\"view_mode\":\"SQUARE\"}", "application/json", "MSS.10000003", "view_mode" },
        { "{\"co_streamer_config\":{\"voice_config\":{\"speed\":100}}}", "application/json", "MSS.10000003", "voice_asset_id" },
        { "{\"co_streamer_config\":{\"streamer_action\":\"SHOUT\"}}", "application/json", "MSS.10000003", "streamer_action" },
        { "{\"job_run_config\":{\"allow_resource_type\":\"FREE\"}}", "application/json", "MSS.10000003", "allow_resource_type" },
        { "{\"job_run_config\":{\"single_job_in_room\":\"yes\"}}", "application/json", "MSS.00000002", "single_job_in_room" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task InvalidBodiesAreRefusedWithTheDocumentedCodeAndCreateNothing(string body, string? contentType, string code, string mentions)
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();

        using var response = await emu.Http.PostAsync(emu.Http.RoomJobs(room), body, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (actualCode, message) = await SignedHttp.ErrorOf(response);
        Assert.Equal(code, actualCode);
        Assert.Contains(mentions, message, StringComparison.Ordinal);
        Assert.Empty(emu.Server.Store.JobsOf(room));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "application/json")]
    [InlineData("{}", "application/json")]
    [InlineData("null", "application/json")]
    [InlineData("{\"unknown_future_field\":{\"a\":1},\"video_config\":null}", "application/json")]
    [InlineData("{" + Video + ",\"view_mode\":\"VERTICAL\",\"play_policy\":{\"repeat_count\":-1,\"auto_play_script\":true,\"play_mode\":\"TEXT\",\"random_play_mode\":\"SCENE\"," +
                "\"need_independent_capture_client\":false,\"is_rewrite_delay\":false,\"live_exit_config\":{\"max_live_duration\":168,\"auto_stop_mode\":\"SCRIPT_END\",\"max_exception_waiting_duration\":60}}," +
                "\"output_urls\":[\"rtmps://push.example.com/live/app\"],\"stream_keys\":[\"sk_live_0123\"],\"interaction_callback_url\":\"https://i.example.com/cb\"," +
                "\"live_event_callback_config\":{\"live_event_type_callback_url\":\"https://cb.example.com/e\",\"auth_type\":\"MSS_A_HEAD\",\"key\":\"k\",\"callback_event_type\":[\"REPLY_COMMAND_FINISH\"]}," +
                "\"rtc_callback_config\":{\"rtc_callback_event_type\":[\"LIVE_PROGRESS\"]},\"co_streamer_config\":{\"voice_config\":{\"voice_asset_id\":\"v-1\",\"speed\":120},\"streamer_action\":\"SILENCE\"}," +
                "\"job_run_config\":{\"allow_resource_type\":\"UNLIMITED\",\"single_job_in_room\":false}}", "application/json")]
    [InlineData("{\"video_config\":{\"bitrate\":1000,\"width\":1280,\"height\":720,\"codec\":\"H264\",\"clip_mode\":\"RESIZE\"}}", "application/json")]
    [InlineData("{\"video_config\":{\"bitrate\":8000,\"width\":900,\"height\":1600,\"clip_mode\":\"CROP\",\"dx\":90,\"dy\":160}}", "application/json")]
    public async Task ValidBodiesStartAJob(string? body, string? contentType)
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();

        using var response = await emu.Http.PostAsync(emu.Http.RoomJobs(room), body, contentType);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(emu.Server.Store.JobsOf(room));
    }

    [Fact]
    public async Task TheResponseCarriesTheDocumentedFields()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        const string callback = "{\"live_event_type_callback_url\":\"https://cb.example.com/e\",\"auth_type\":\"MSS_A\",\"key\":\"user-secret-key\",\"callback_event_type\":[\"SHOOT_SCRIPT_SWITCH\"]}";

        var (status, response) = await emu.Http.StartAsync(room, "{\"live_event_callback_config\":" + callback + ",\"play_policy\":{\"need_independent_capture_client\":true}}");

        Assert.Equal(202, status);
        string job = response.GetProperty("job_id").GetString()!;
        Assert.True(Guid.TryParse(job, out _));
        var rtc = response.GetProperty("rtc_room_info");
        Assert.False(string.IsNullOrEmpty(rtc.GetProperty("app_id").GetString()));
        Assert.False(string.IsNullOrEmpty(rtc.GetProperty("room_id").GetString()));
        var users = rtc.GetProperty("users").EnumerateArray().ToList();
        Assert.Contains(users, u => u.GetProperty("user_type").GetString() == "CAPTURE");
        Assert.All(users, u =>
        {
            Assert.StartsWith("rtcsig-", u.GetProperty("signature").GetString(), StringComparison.Ordinal);
            Assert.Equal((LiveEmulator.Start + TimeSpan.FromDays(1)).ToUnixTimeSeconds(), u.GetProperty("ctime").GetInt64());
        });
        Assert.Contains(job, response.GetProperty("live_event_report_url").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonDocument.Parse(callback).RootElement.GetRawText(), response.GetProperty("live_event_callback_config").GetRawText());
        Assert.Equal(JsonValueKind.Array, response.GetProperty("live_warning_info").ValueKind);
        Assert.Equal(0, response.GetProperty("limit_duration").GetInt32());

        // The job carries what it was started with.
        var shown = await emu.ShowAsync(room, job);
        Assert.Equal("user-secret-key", shown.GetProperty("live_event_callback_config").GetProperty("key").GetString());
        Assert.Equal(rtc.GetRawText(), shown.GetProperty("rtc_room_info").GetRawText());
        Assert.Equal(response.GetProperty("live_event_report_url").GetString(), shown.GetProperty("live_event_report_url").GetString());
    }

    [Fact]
    public async Task TheJobEchoesItsCallbackAndCoStreamerConfigsAndResourceType()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        string job = await emu.StartJobAsync(room, """
            {"rtc_callback_config":{"rtc_callback_event_type":["REPLY_COMMAND_FINISH"]},
             "co_streamer_config":{"voice_config":{"voice_asset_id":"voice-9"},"streamer_action":"VOLUME_DOWN"},
             "job_run_config":{"allow_resource_type":"ONDEMAND"}}
            """);

        var shown = await emu.ShowAsync(room, job);
        Assert.Equal("REPLY_COMMAND_FINISH", shown.GetProperty("rtc_callback_config").GetProperty("rtc_callback_event_type")[0].GetString());
        Assert.Equal("voice-9", shown.GetProperty("co_streamer_config").GetProperty("voice_config").GetProperty("voice_asset_id").GetString());
        Assert.Equal("ONDEMAND", shown.GetProperty("used_resource_type").GetString());
        Assert.False(shown.TryGetProperty("live_event_callback_config", out _));
    }

    [Fact]
    public async Task WarningsDescribeAThinRoom()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string thin = emu.AddRoom("""{"room_id":"thin","room_name":"Thin","scene_scripts":[{"script_name":"s","shoot_scripts":[{"sequence_no":1},{"sequence_no":2}]}],"play_policy":{"random_play_mode":"NONE"}}""");
        string rich = emu.AddRoom();

        var (_, thinResponse) = await emu.Http.StartAsync(thin);
        var (_, richResponse) = await emu.Http.StartAsync(rich);
        var (_, closed) = await emu.Http.StartAsync(rich, "{\"play_policy\":{\"random_play_mode\":\"NONE\"}}");

        static string[] Warnings(JsonElement r) => r.GetProperty("live_warning_info").EnumerateArray().Select(w => w.GetProperty("warning_type").GetString()!).ToArray();
        Assert.Equal(new[] { "TOO_LESSS_SCRIPT_ITEMS", "TOO_LESS_DANMAKU_RULES", "RANDOM_PLAY_CLOSED" }, Warnings(thinResponse));
        Assert.Empty(Warnings(richResponse));
        Assert.Equal(new[] { "RANDOM_PLAY_CLOSED" }, Warnings(closed));
    }

    [Fact]
    public async Task AnUnknownRoomIs404()
    {
        await using var emu = await LiveEmulator.StartAsync();
        using var response = await emu.Http.PostAsync(emu.Http.RoomJobs("no-such-room"), "{}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var (code, message) = await SignedHttp.ErrorOf(response);
        Assert.Equal("MSS.10001004", code);
        Assert.Contains("no-such-room", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, "DISABLE")]
    [InlineData(7, "BLOCKED")]
    public async Task ARoomThatIsNotEnabledCannotStart(int generatedRoom, string state)
    {
        await using var emu = await LiveEmulator.StartAsync();
        var room = emu.Server.Store.Rooms[generatedRoom];
        Assert.Equal(state, room.RoomState);
        int before = emu.Server.Store.JobsOf(room.RoomId).Count;

        using var response = await emu.Http.PostAsync(emu.Http.RoomJobs(room.RoomId), "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message) = await SignedHttp.ErrorOf(response);
        Assert.Equal("MSS.10001005", code);
        Assert.Contains(room.RoomId, message, StringComparison.Ordinal);
        Assert.Contains(state, message, StringComparison.Ordinal);
        Assert.Equal(before, emu.Server.Store.JobsOf(room.RoomId).Count);
    }

    [Fact]
    public async Task OneJobPerRoomRefusesASecondRunningJobNamingTheFirst()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        const string single = "{\"job_run_config\":{\"single_job_in_room\":true}}";
        string first = await emu.StartJobAsync(room, single);

        using var refused = await emu.Http.PostAsync(emu.Http.RoomJobs(room), single);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var (code, message) = await SignedHttp.ErrorOf(refused);
        Assert.Equal("MSS.10001003", code);
        Assert.Contains(room, message, StringComparison.Ordinal);
        Assert.Contains(first, message, StringComparison.Ordinal);

        emu.Advance(TimeSpan.FromSeconds(5)); // PROCESSING counts too
        Assert.Equal(400, (await emu.Http.StartAsync(room, single)).Status);

        // Without the flag a second job may run; once every job has ended the flag passes again.
        string second = await emu.StartJobAsync(room);
        await emu.Http.StopAsync(room, first);
        Assert.Equal(400, (await emu.Http.StartAsync(room, single)).Status);
        await emu.Http.StopAsync(room, second);
        Assert.Equal(202, (await emu.Http.StartAsync(room, single)).Status);
    }

    [Fact]
    public async Task OneJobPerRoomHoldsUnderConcurrentStarts()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => emu.Http.StartAsync(room, "{\"job_run_config\":{\"single_job_in_room\":true}}")));

        Assert.Equal(1, results.Count(r => r.Status == 202));
        Assert.Equal(11, results.Count(r => r.Status == 400 && r.Body.GetProperty("error_code").GetString() == "MSS.10001003"));
        Assert.Single(emu.Server.Store.JobsOf(room));
    }

    [Fact]
    public async Task OneJobPerRoomCountsAGeneratedRunningJob()
    {
        await using var emu = await LiveEmulator.StartAsync(o => o.JobsPerRoom = 20);
        var room = emu.Server.Store.Rooms.Take(3).First(r => emu.Server.Store.JobsOf(r.RoomId).Any(j => j.IsRunning));

        var (status, body) = await emu.Http.StartAsync(room.RoomId, "{\"job_run_config\":{\"single_job_in_room\":true}}");

        Assert.Equal(400, status);
        Assert.Equal("MSS.10001003", body.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task TheRunningJobsQuotaRefusesStartsBeyondIt()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        int running = emu.Server.Store.RunningJobCount;
        emu.Server.MaxRunningJobs = running + 1;

        string job = await emu.StartJobAsync(room);
        using var refused = await emu.Http.PostAsync(emu.Http.RoomJobs(room), "{}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var (code, message) = await SignedHttp.ErrorOf(refused);
        Assert.Equal("MSS.20010135", code);
        Assert.Contains((running + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);

        await emu.Http.StopAsync(room, job);
        Assert.Equal(202, (await emu.Http.StartAsync(room)).Status);
        emu.Server.MaxRunningJobs = null;
        Assert.Equal(202, (await emu.Http.StartAsync(room)).Status);
    }

    [Fact]
    public async Task TheQuotaComesFromTheOptions()
    {
        await using var emu = await LiveEmulator.StartAsync(o => o.MaxRunningJobs = 0);
        var (status, body) = await emu.Http.StartAsync(emu.AddRoom());
        Assert.Equal(400, status);
        Assert.Equal("MSS.20010135", body.GetProperty("error_code").GetString());
    }
}
