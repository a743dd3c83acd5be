using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace MetaStudio.Emulator.Data;

/// <summary>
/// Deterministic, realistic smart-live data: every documented SmartLiveJob field (API reference
/// §1.5–1.6) across all states, optional fields sometimes absent, Chinese and English room names,
/// and runs of jobs sharing one create time (so paging must be stable on ties). Rooms get every
/// room field from <see cref="RoomDataGenerator"/>, which draws from its own random sequence so the
/// jobs of a seed stay what they were.
/// </summary>
public static class DemoDataGenerator
{
    public static readonly string[] States = { "WAITING", "PROCESSING", "SUCCEED", "FAILED", "BLOCKED" };
    private static readonly string[] RoomNames = { "直播间-美妆专场", "Demo Room", "数字人直播 01", "Night Shift Sales", "新品发布会", "Weekend Live" };
    private static readonly string[] UserTypes = { "CAPTURE", "ANIMATION", "RENDER", "PLAYER", "INFERENCE_USER", "END_USER" };
    private static readonly string[] ResourceTypes = { "PERIOD", "ONDEMAND", "ONE_TIME", "UNKNOW" };
    private static readonly string[] AuthTypes = { "NONE", "MSS_A", "MSS_A_HEAD", "MEITUAN_DEFAULT" };
    private static readonly string[] CallbackEvents = { "SHOOT_SCRIPT_SWITCH", "RTMP_STREAM_STATE_CHANGE", "REPLY_COMMAND_FINISH" };
    private static readonly string[] RtcCallbackEvents = { "LIVE_PROGRESS", "REPLY_COMMAND_FINISH" };
    private static readonly (string Code, string Message)[] JobErrors =
    {
        ("MSS.42000007", "Infer Error"),
        ("MSS.20010135", "Concurrency exhausted"),
        ("MSS.00000002", "Internal error: render node lost"),
    };

    // Real services send UTF-8 as is (直播间, not \u76F4\u64AD\u95F4).
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static readonly DateTimeOffset Epoch = new(2026, 1, 5, 1, 0, 0, TimeSpan.Zero);

    /// <param name="fullyPopulated">Every optional field present (benchmarks); otherwise some are absent.</param>
    public static void Populate(JobStore store, int seed, int rooms, int jobsPerRoom, bool fullyPopulated = false)
    {
        var random = new Random(seed);
        for (int r = 0; r < rooms; r++)
        {
            string roomId = NewId(random);
            string roomName = RoomNames[r % RoomNames.Length] + (r >= RoomNames.Length ? $" {r + 1}" : string.Empty);
            var (roomJson, ownType) = RoomDataGenerator.Room(seed, r, roomId, roomName, Epoch.AddDays(r), fullyPopulated);
            store.AddRoom(roomJson, ownType);

            var factories = new List<Func<long, StoredJob>>(jobsPerRoom);
            var created = Epoch.AddDays(r);
            for (int j = 0; j < jobsPerRoom; j++)
            {
                // Runs of 1–6 jobs share a create time.
                if (j == 0 || random.Next(6) == 0)
                {
                    created = created.AddMinutes(1 + random.Next(90));
                }

                var job = NewJob(random, roomId, roomName, created, fullyPopulated);
                factories.Add(seq => new StoredJob(job.JobId, roomId, roomName, job.State, job.Created, job.Updated, seq, job.Json, job.Start, job.End));
            }

            store.AddGenerated(roomId, factories);
        }
    }

    private static (string JobId, string State, DateTimeOffset Created, DateTimeOffset Updated, byte[] Json, DateTimeOffset? Start, DateTimeOffset? End) NewJob(
        Random random, string roomId, string roomName, DateTimeOffset created, bool full)
    {
        string jobId = NewId(random);
        string state = States[random.Next(States.Length)];
        bool started = state != "WAITING";
        bool ended = state is "SUCCEED" or "FAILED" or "BLOCKED";
        var start = created.AddSeconds(5 + random.Next(120));
        double duration = ended ? Math.Round(60 + (random.NextDouble() * 4 * 3600), 3) : state == "PROCESSING" ? Math.Round(random.NextDouble() * 3600, 3) : 0;
        var end = start.AddSeconds(duration);
        var updated = ended ? end : started ? start.AddSeconds(duration) : created;
        bool Maybe(int percent) => full || random.Next(100) < percent;

        using var buffer = new MemoryStream(1536);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("job_id", jobId);
            w.WriteString("room_id", roomId);
            w.WriteString("room_name", roomName);
            w.WriteString("state", state);
            if (started)
            {
                w.WriteNumber("duration", duration);
                w.WriteString("start_time", Format(start));
            }

            if (ended)
            {
                w.WriteString("end_time", Format(end));
            }

            if (state == "FAILED" || (full && state != "SUCCEED"))
            {
                var (code, message) = JobErrors[random.Next(JobErrors.Length)];
                w.WriteStartObject("error_info");
                w.WriteString("error_code", code);
                w.WriteString("error_msg", message);
                w.WriteEndObject();
            }

            w.WriteString("create_time", Format(created));
            w.WriteString("lastupdate_time", Format(updated));

            if (state == "PROCESSING" || (started && Maybe(40)))
            {
                w.WriteStartObject("rtc_room_info");
                w.WriteString("app_id", "rtc-app-" + random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture));
                w.WriteString("room_id", "rtc-" + jobId.Substring(0, 8));
                w.WriteStartArray("users");
                int users = 1 + random.Next(3);
                for (int u = 0; u < users; u++)
                {
                    w.WriteStartObject();
                    w.WriteString("user_type", UserTypes[random.Next(UserTypes.Length)]);
                    w.WriteString("user_id", "user-" + random.Next(100000, 999999).ToString(CultureInfo.InvariantCulture));
                    w.WriteString("signature", "rtcsig-" + NewId(random).Replace("-", string.Empty, StringComparison.Ordinal));
                    w.WriteNumber("ctime", start.AddHours(24).ToUnixTimeSeconds());
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            if (Maybe(70))
            {
                w.WriteString("live_event_report_url", $"https://metastudio-live.example.com/v1/live-event-report/{jobId}?auth_key=demo");
            }

            if (Maybe(50))
            {
                w.WriteStartObject("live_event_callback_config");
                w.WriteString("live_event_type_callback_url", "https://callback.example.com/metastudio/events");
                w.WriteString("auth_type", AuthTypes[random.Next(AuthTypes.Length)]);
                w.WriteString("key", "cbkey" + random.Next(100000, 999999).ToString(CultureInfo.InvariantCulture));
                w.WriteStartArray("callback_event_type");
                foreach (var e in CallbackEvents)
                {
                    if (full || random.Next(2) == 0)
                    {
                        w.WriteStringValue(e);
                    }
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            if (Maybe(40))
            {
                w.WriteStartObject("rtc_callback_config");
                w.WriteStartArray("rtc_callback_event_type");
                foreach (var e in RtcCallbackEvents)
                {
                    w.WriteStringValue(e);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            if (started)
            {
                w.WriteNumber("stream_duration", Math.Round(duration * (0.9 + (random.NextDouble() * 0.1)), 3));
            }

            if (state == "BLOCKED" || (full && state != "SUCCEED"))
            {
                w.WriteString("block_reason", "直播内容违规 (content violates platform rules)");
            }

            if (Maybe(80))
            {
                w.WriteString("cover_url", $"https://obs.example.com/covers/{roomId}.png");
            }

            if (Maybe(30))
            {
                w.WriteStartObject("co_streamer_config");
                w.WriteStartObject("voice_config");
                w.WriteString("voice_asset_id", NewId(random));
                w.WriteNumber("speed", 100);
                w.WriteNumber("pitch", 100);
                w.WriteNumber("volume", 140);
                w.WriteEndObject();
                w.WriteString("streamer_action", random.Next(2) == 0 ? "SILENCE" : "VOLUME_DOWN");
                w.WriteEndObject();
            }

            if (ended || Maybe(20))
            {
                w.WriteStartObject("live_job_log");
                foreach (var name in new[] { "interaction_records_url", "job_config_records_url", "scripts_records_url", "command_reviced_records_url", "command_exec_records_url" })
                {
                    w.WriteString(name, $"https://obs.example.com/logs/{jobId}/{name.Replace("_url", string.Empty, StringComparison.Ordinal)}.json");
                }

                w.WriteEndObject();
            }

            if (Maybe(30))
            {
                w.WriteStartObject("relation_live_platform_info");
                w.WriteString("platform_id", "pf-" + random.Next(100, 999).ToString(CultureInfo.InvariantCulture));
                w.WriteString("platform", "meituan");
                w.WriteString("account", "opBiz" + random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture));
                w.WriteString("live_id", "live-" + random.Next(1000000, 9999999).ToString(CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }

            w.WriteString("used_resource_type", ResourceTypes[random.Next(ResourceTypes.Length)]);
            w.WriteBoolean("is_ai_mark_on", random.Next(2) == 0);
            w.WriteEndObject();
        }

        // The served times are whole seconds; the store keeps the same values.
        return (jobId, state, created, updated, buffer.ToArray(), started ? Truncate(start) : null, ended ? Truncate(end) : null);
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    internal static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string NewId(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString("D");
    }
}
