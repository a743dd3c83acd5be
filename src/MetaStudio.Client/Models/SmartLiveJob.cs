using System;
using System.Text.Json.Serialization;

namespace MetaStudio.Client.Models;

/// <summary>
/// A smart live job (API SmartLiveJob): every documented field, times in UTC, enumerations as
/// strings (the service adds values). Nested objects render a short <see cref="ToString"/>, so
/// Export-Csv writes readable cells.
/// </summary>
public sealed class SmartLiveJob
{
    [JsonPropertyName("job_id")]
    public string? JobId { get; set; }

    [JsonPropertyName("room_id")]
    public string? RoomId { get; set; }

    [JsonPropertyName("room_name")]
    public string? RoomName { get; set; }

    /// <summary>WAITING, PROCESSING, SUCCEED, FAILED, BLOCKED (or a value added later).</summary>
    [JsonPropertyName("state")]
    public string? State { get; set; }

    /// <summary>Live duration in seconds.</summary>
    [JsonPropertyName("duration")]
    public double? Duration { get; set; }

    [JsonPropertyName("start_time")]
    public DateTime? StartTime { get; set; }

    [JsonPropertyName("end_time")]
    public DateTime? EndTime { get; set; }

    [JsonPropertyName("error_info")]
    public JobErrorInfo? ErrorInfo { get; set; }

    [JsonPropertyName("create_time")]
    public DateTime? CreateTime { get; set; }

    [JsonPropertyName("lastupdate_time")]
    public DateTime? LastUpdateTime { get; set; }

    [JsonPropertyName("rtc_room_info")]
    public RtcRoomInfo? RtcRoomInfo { get; set; }

    /// <summary>Where live-room events (comments and so on) are reported to trigger interaction.</summary>
    [JsonPropertyName("live_event_report_url")]
    public string? LiveEventReportUrl { get; set; }

    [JsonPropertyName("live_event_callback_config")]
    public LiveEventCallbackConfig? LiveEventCallbackConfig { get; set; }

    [JsonPropertyName("rtc_callback_config")]
    public RtcCallbackConfig? RtcCallbackConfig { get; set; }

    /// <summary>Seconds actually streamed.</summary>
    [JsonPropertyName("stream_duration")]
    public double? StreamDuration { get; set; }

    [JsonPropertyName("block_reason")]
    public string? BlockReason { get; set; }

    [JsonPropertyName("cover_url")]
    public string? CoverUrl { get; set; }

    [JsonPropertyName("co_streamer_config")]
    public CoStreamerConfig? CoStreamerConfig { get; set; }

    [JsonPropertyName("live_job_log")]
    public LiveJobLog? LiveJobLog { get; set; }

    [JsonPropertyName("relation_live_platform_info")]
    public PlatformLiveDetailInfo? RelationLivePlatformInfo { get; set; }

    /// <summary>PERIOD, ONDEMAND, ONE_TIME, UNKNOW (sic), or a value added later.</summary>
    [JsonPropertyName("used_resource_type")]
    public string? UsedResourceType { get; set; }

    [JsonPropertyName("is_ai_mark_on")]
    public bool? IsAiMarkOn { get; set; }

    /// <summary>The job's error code (from <see cref="ErrorInfo"/>), flat for tables and filters.</summary>
    [JsonIgnore]
    public string? ErrorCode => ErrorInfo?.ErrorCode;

    /// <summary>The job's error message (from <see cref="ErrorInfo"/>).</summary>
    [JsonIgnore]
    public string? ErrorMessage => ErrorInfo?.ErrorMessage;

    /// <summary><see cref="Duration"/> as a time span, whole seconds; null when the job has not started.</summary>
    [JsonIgnore]
    public TimeSpan? DurationSpan => ToSpan(Duration);

    /// <summary><see cref="StreamDuration"/> as a time span, whole seconds.</summary>
    [JsonIgnore]
    public TimeSpan? StreamDurationSpan => ToSpan(StreamDuration);

    public override string ToString() => Text.ConsoleText.Escape($"{JobId} ({State})");

    private static TimeSpan? ToSpan(double? seconds) =>
        seconds is { } s && !double.IsNaN(s) && !double.IsInfinity(s) && s >= 0 && s < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(Math.Round(s))
            : null;
}
