using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Serialization;

namespace MetaStudio.Client.Models;

/// <summary>Error details of a job (API ErrorResponse).</summary>
public sealed class JobErrorInfo
{
    [JsonPropertyName("error_code")]
    public string? ErrorCode { get; set; }

    [JsonPropertyName("error_msg")]
    public string? ErrorMessage { get; set; }

    public override string ToString() => Text.ConsoleText.Escape(string.IsNullOrEmpty(ErrorMessage) ? ErrorCode ?? string.Empty : $"{ErrorCode}: {ErrorMessage}");
}

/// <summary>The RTC room of a job (API RTCRoomInfoList).</summary>
public sealed class RtcRoomInfo
{
    [JsonPropertyName("app_id")]
    public string? AppId { get; set; }

    /// <summary>The RTC room id (not the live room).</summary>
    [JsonPropertyName("room_id")]
    public string? RoomId { get; set; }

    [JsonPropertyName("users")]
    public RtcUserInfo[]? Users { get; set; }

    public override string ToString() =>
        Text.ConsoleText.Escape($"RTC room {RoomId} (app {AppId}; users: {string.Join(", ", (Users ?? Array.Empty<RtcUserInfo>()).Select(u => u.ToString()))})");
}

/// <summary>An RTC user (API RTCUserInfo).</summary>
public sealed class RtcUserInfo
{
    /// <summary>CAPTURE, ANIMATION, RENDER, PLAYER, INFERENCE_USER, END_USER.</summary>
    [JsonPropertyName("user_type")]
    public string? UserType { get; set; }

    [JsonPropertyName("user_id")]
    public string? UserId { get; set; }

    /// <summary>The RTC authentication token of this user. Never part of <see cref="ToString"/>.</summary>
    [JsonPropertyName("signature")]
    public string? Signature { get; set; }

    /// <summary>When <see cref="Signature"/> expires, as Unix seconds.</summary>
    [JsonPropertyName("ctime")]
    public long? Ctime { get; set; }

    /// <summary><see cref="Ctime"/> as a UTC time.</summary>
    [JsonIgnore]
    public DateTime? SignatureExpiresAt => Ctime is { } s ? DateTimeOffset.FromUnixTimeSeconds(s).UtcDateTime : null;

    public override string ToString() => Text.ConsoleText.Escape($"{UserType} {UserId}");
}

/// <summary>Event callback settings (API LiveEventCallBackConfig).</summary>
public sealed class LiveEventCallbackConfig
{
    [JsonPropertyName("live_event_type_callback_url")]
    public string? LiveEventTypeCallbackUrl { get; set; }

    /// <summary>NONE, MSS_A, MSS_A_HEAD, MEITUAN_DEFAULT.</summary>
    [JsonPropertyName("auth_type")]
    public string? AuthType { get; set; }

    /// <summary>The callback HMAC key. Never part of <see cref="ToString"/>.</summary>
    [JsonPropertyName("key")]
    public string? Key { get; set; }

    /// <summary>SHOOT_SCRIPT_SWITCH, RTMP_STREAM_STATE_CHANGE, REPLY_COMMAND_FINISH.</summary>
    [JsonPropertyName("callback_event_type")]
    public string[]? CallbackEventType { get; set; }

    /// <summary>"url (auth type; event types)", with only the parts it has.</summary>
    public override string ToString()
    {
        string events = string.Join(",", (CallbackEventType ?? Array.Empty<string>()).Where(e => !string.IsNullOrEmpty(e)));
        string details = string.Join("; ", new[] { AuthType, events }.Where(p => !string.IsNullOrEmpty(p)));
        // With auth type NONE the URL carries its own credential ("URL中自带认证"): its query values are masked like any URL's.
        return Text.ConsoleText.Escape((details.Length == 0 ? Text.ConsoleText.MaskUrl(LiveEventTypeCallbackUrl) : $"{Text.ConsoleText.MaskUrl(LiveEventTypeCallbackUrl)} ({details})").TrimStart());
    }
}

/// <summary>RTC event callback settings (API RTCLiveEventCallBackConfig).</summary>
public sealed class RtcCallbackConfig
{
    /// <summary>LIVE_PROGRESS, REPLY_COMMAND_FINISH.</summary>
    [JsonPropertyName("rtc_callback_event_type")]
    public string[]? RtcCallbackEventType { get; set; }

    public override string ToString() => Text.ConsoleText.Escape(string.Join(",", RtcCallbackEventType ?? Array.Empty<string>()));
}

/// <summary>Assistant-anchor settings (API CoStreamerConfig).</summary>
public sealed class CoStreamerConfig
{
    [JsonPropertyName("voice_config")]
    public VoiceConfig? VoiceConfig { get; set; }

    /// <summary>What the main anchor does while the assistant speaks: SILENCE, VOLUME_DOWN.</summary>
    [JsonPropertyName("streamer_action")]
    public string? StreamerAction { get; set; }

    public override string ToString() => Text.ConsoleText.Escape($"{StreamerAction}; voice {VoiceConfig}");
}

/// <summary>A voice (API VoiceConfig).</summary>
public sealed class VoiceConfig
{
    [JsonPropertyName("voice_asset_id")]
    public string? VoiceAssetId { get; set; }

    /// <summary>50 = 0.5×, 100 = normal, 200 = 2×.</summary>
    [JsonPropertyName("speed")]
    public int? Speed { get; set; }

    [JsonPropertyName("pitch")]
    public int? Pitch { get; set; }

    [JsonPropertyName("volume")]
    public int? Volume { get; set; }

    public override string ToString() =>
        Text.ConsoleText.Escape(string.Format(CultureInfo.InvariantCulture, "{0} (speed {1}, pitch {2}, volume {3})", VoiceAssetId, Speed, Pitch, Volume));
}

/// <summary>URLs of a job's log files (API LiveJobLog).</summary>
public sealed class LiveJobLog
{
    [JsonPropertyName("interaction_records_url")]
    public string? InteractionRecordsUrl { get; set; }

    [JsonPropertyName("job_config_records_url")]
    public string? JobConfigRecordsUrl { get; set; }

    [JsonPropertyName("scripts_records_url")]
    public string? ScriptsRecordsUrl { get; set; }

    /// <summary>Commands received (the API spells it command_reviced_records_url).</summary>
    [JsonPropertyName("command_reviced_records_url")]
    public string? CommandReceivedRecordsUrl { get; set; }

    [JsonPropertyName("command_exec_records_url")]
    public string? CommandExecRecordsUrl { get; set; }

    public override string ToString()
    {
        int count = new[] { InteractionRecordsUrl, JobConfigRecordsUrl, ScriptsRecordsUrl, CommandReceivedRecordsUrl, CommandExecRecordsUrl }.Count(u => !string.IsNullOrEmpty(u));
        return count == 1 ? "1 log file" : $"{count} log files";
    }
}

/// <summary>The third-party platform a job is linked to (API PlatformLiveDetailInfo).</summary>
public sealed class PlatformLiveDetailInfo
{
    [JsonPropertyName("platform_id")]
    public string? PlatformId { get; set; }

    [JsonPropertyName("platform")]
    public string? Platform { get; set; }

    [JsonPropertyName("account")]
    public string? Account { get; set; }

    [JsonPropertyName("live_id")]
    public string? LiveId { get; set; }

    public override string ToString() => Text.ConsoleText.Escape($"{Platform} live {LiveId} ({Account})");
}
