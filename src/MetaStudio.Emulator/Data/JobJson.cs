using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MetaStudio.Emulator.Data;

/// <summary>The JSON of jobs whose state changes: rendered for API jobs, patched for generated and data-file jobs.</summary>
internal static class JobJson
{
    private static readonly JsonSerializerOptions NodeOptions = new() { Encoder = DemoDataGenerator.WriterOptions.Encoder };

    /// <summary>A job started through the API, as ShowSmartLive serves it at <paramref name="now"/>.</summary>
    public static byte[] Render(StoredJob job, DateTimeOffset now)
    {
        var live = job.Live ?? throw new InvalidOperationException("Only jobs started through the API are rendered.");
        using var buffer = new MemoryStream(1024);
        using (var w = new Utf8JsonWriter(buffer, DemoDataGenerator.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("job_id", job.JobId);
            w.WriteString("room_id", job.RoomId);
            w.WriteString("room_name", job.RoomName);
            w.WriteString("state", job.State);
            double? duration = null;
            if (job.StartTime is { } start)
            {
                duration = Seconds((job.EndTime ?? now) - start);
                w.WriteNumber("duration", duration.Value);
                w.WriteString("start_time", DemoDataGenerator.Format(start));
            }
            else if (job.EndTime != null)
            {
                w.WriteNumber("duration", 0); // stopped while WAITING: it never started
            }

            if (job.EndTime is { } end)
            {
                w.WriteString("end_time", DemoDataGenerator.Format(end));
            }

            if (job.State == JobStates.Failed)
            {
                w.WriteStartObject("error_info");
                w.WriteString("error_code", live.FailureCode);
                w.WriteString("error_msg", live.FailureMessage);
                w.WriteEndObject();
            }

            w.WriteString("create_time", DemoDataGenerator.Format(job.CreateTime));
            w.WriteString("lastupdate_time", DemoDataGenerator.Format(job.UpdateTime));
            Raw(w, "rtc_room_info", live.RtcRoomInfo);
            w.WriteString("live_event_report_url", live.LiveEventReportUrl);
            Raw(w, "live_event_callback_config", live.LiveEventCallbackConfig);
            Raw(w, "rtc_callback_config", live.RtcCallbackConfig);
            if (duration is { } d)
            {
                w.WriteNumber("stream_duration", d);
            }

            if (job.State == JobStates.Blocked)
            {
                w.WriteString("block_reason", live.BlockReason);
            }

            if (live.CoverUrl != null)
            {
                w.WriteString("cover_url", live.CoverUrl);
            }

            Raw(w, "co_streamer_config", live.CoStreamerConfig);
            if (job.EndTime != null)
            {
                w.WriteStartObject("live_job_log");
                foreach (var name in new[] { "interaction_records_url", "job_config_records_url", "scripts_records_url", "command_reviced_records_url", "command_exec_records_url" })
                {
                    w.WriteString(name, $"https://obs.example.com/logs/{job.JobId}/{name.Replace("_url", string.Empty, StringComparison.Ordinal)}.json");
                }

                w.WriteEndObject();
            }

            Raw(w, "relation_live_platform_info", live.RelationLivePlatformInfo);
            w.WriteString("used_resource_type", live.UsedResourceType);
            w.WriteBoolean("is_ai_mark_on", false);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A generated or data-file job stopped at <paramref name="at"/>: state SUCCEED, end_time and
    /// lastupdate_time set, duration from its start_time (0 when it never started); every other field kept.
    /// </summary>
    public static byte[] Stopped(byte[] json, DateTimeOffset? startTime, DateTimeOffset at)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node["state"] = JobStates.Succeed;
        node["end_time"] = DemoDataGenerator.Format(at);
        node["lastupdate_time"] = DemoDataGenerator.Format(at);
        node["duration"] = startTime is { } s ? Seconds(at - s) : 0;
        return JsonSerializer.SerializeToUtf8Bytes(node, NodeOptions);
    }

    private static double Seconds(TimeSpan span) => Math.Round(Math.Max(0, span.TotalSeconds), 3);

    private static void Raw(Utf8JsonWriter w, string name, string? json)
    {
        if (json != null)
        {
            w.WritePropertyName(name);
            w.WriteRawValue(json, skipInputValidation: true);
        }
    }
}
