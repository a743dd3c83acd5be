using System;
using System.Linq;
using System.Text.Json.Serialization;

namespace MetaStudio.Client.Models;

/// <summary>
/// What StartSmartLive answered (API StartSmartLiveResponse) for a room: the new job's id and RTC room,
/// where to report live events, warnings about the room, and the duration limit. Pipes into
/// Get-/Wait-/Stop-MSSmartLiveJob by its RoomId and JobId.
/// </summary>
public sealed class StartedSmartLiveJob
{
    /// <summary>The room the live was started in (from the request).</summary>
    [JsonIgnore]
    public string? RoomId { get; set; }

    [JsonPropertyName("job_id")]
    public string? JobId { get; set; }

    [JsonPropertyName("rtc_room_info")]
    public RtcRoomInfo? RtcRoomInfo { get; set; }

    [JsonPropertyName("live_event_report_url")]
    public string? LiveEventReportUrl { get; set; }

    [JsonPropertyName("live_event_callback_config")]
    public LiveEventCallbackConfig? LiveEventCallbackConfig { get; set; }

    [JsonPropertyName("live_warning_info")]
    public LiveWarning[]? LiveWarningInfo { get; set; }

    /// <summary>The configured longest live, in hours; 0 = unlimited.</summary>
    [JsonPropertyName("limit_duration")]
    public int? LimitDuration { get; set; }

    /// <summary>The warning types, flat for tables.</summary>
    [JsonIgnore]
    public string[] Warnings => (LiveWarningInfo ?? Array.Empty<LiveWarning>()).Select(w => w.WarningType ?? string.Empty).Where(w => w.Length > 0).ToArray();

    /// <summary>The X-Request-Id of the start request.</summary>
    [JsonIgnore]
    public string? RequestId { get; set; }

    public override string ToString() => Text.ConsoleText.Escape($"{JobId} (started in room {RoomId})");
}

/// <summary>A warning about a room's content when a live starts (API LiveWarningItem).</summary>
public sealed class LiveWarning
{
    /// <summary>TOO_LESSS_SCRIPT_ITEMS (sic), TOO_SHORT_SCRIPT_TIME, TOO_LESS_DANMAKU_RULES, RANDOM_PLAY_CLOSED, ROTATION_MODEL_CLOSED.</summary>
    [JsonPropertyName("warning_type")]
    public string? WarningType { get; set; }

    public override string ToString() => Text.ConsoleText.Escape(WarningType ?? string.Empty);
}
