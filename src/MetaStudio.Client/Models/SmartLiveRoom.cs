using System;
using System.Text.Json.Serialization;

namespace MetaStudio.Client.Models;

/// <summary>
/// A smart live room: the base info ListSmartLiveRooms returns (SmartLiveRoomBaseInfo) and, from
/// ShowSmartLiveRoom (Get-MSSmartLiveRoom -RoomId), its full definition (scripts, rules, policies,
/// outputs). Detail properties are empty in a listing. Times in UTC, enumerations as strings.
/// <see cref="StreamKeys"/> and the callback key are secrets: kept as the service sends them (they are
/// the user's data), never in <see cref="ToString"/> or a default view.
/// </summary>
public sealed class SmartLiveRoom
{
    [JsonPropertyName("room_id")]
    public string? RoomId { get; set; }

    [JsonPropertyName("project_id")]
    public string? ProjectId { get; set; }

    [JsonPropertyName("room_name")]
    public string? RoomName { get; set; }

    /// <summary>NORMAL, TEMP (removed after its job), TEMPLATE.</summary>
    [JsonPropertyName("room_type")]
    public string? RoomType { get; set; }

    /// <summary>ENABLE, DISABLE, BLOCKED (the reason in <see cref="ErrorInfo"/>).</summary>
    [JsonPropertyName("room_state")]
    public string? RoomState { get; set; }

    /// <summary>LANDSCAPE, VERTICAL.</summary>
    [JsonPropertyName("view_mode")]
    public string? ViewMode { get; set; }

    [JsonPropertyName("error_info")]
    public JobErrorInfo? ErrorInfo { get; set; }

    [JsonPropertyName("shared_config")]
    public SharedConfig? SharedConfig { get; set; }

    [JsonPropertyName("room_description")]
    public string? RoomDescription { get; set; }

    [JsonPropertyName("cover_url")]
    public string? CoverUrl { get; set; }

    [JsonPropertyName("thumbnail")]
    public string? Thumbnail { get; set; }

    [JsonPropertyName("model_infos")]
    public ModelInfo[]? ModelInfos { get; set; }

    [JsonPropertyName("create_time")]
    public DateTime? CreateTime { get; set; }

    [JsonPropertyName("update_time")]
    public DateTime? UpdateTime { get; set; }

    [JsonPropertyName("last_job_start_time")]
    public DateTime? LastJobStartTime { get; set; }

    [JsonPropertyName("last_job_end_time")]
    public DateTime? LastJobEndTime { get; set; }

    /// <summary>WAITING, PROCESSING, SUCCEED, FAILED, CANCELED, BLOCKED (a room's live-state filter says SUCCESS).</summary>
    [JsonPropertyName("last_job_status")]
    public string? LastJobStatus { get; set; }

    /// <summary>Private data the user stored with the room, echoed back.</summary>
    [JsonPropertyName("priv_data")]
    public string? PrivData { get; set; }

    /// <summary>UNCONFIRM, CONFIRMED, REJECT.</summary>
    [JsonPropertyName("confirm_state")]
    public string? ConfirmState { get; set; }

    // ShowSmartLiveRoom only.

    [JsonPropertyName("scene_scripts")]
    public SceneScript[]? SceneScripts { get; set; }

    [JsonPropertyName("interaction_config")]
    public InteractionConfig? InteractionConfig { get; set; }

    [JsonPropertyName("interaction_rules")]
    public InteractionRule[]? InteractionRules { get; set; }

    [JsonPropertyName("play_policy")]
    public PlayPolicy? PlayPolicy { get; set; }

    [JsonPropertyName("video_config")]
    public VideoConfig? VideoConfig { get; set; }

    /// <summary>RTMP push addresses of the third-party platform.</summary>
    [JsonPropertyName("output_urls")]
    public string[]? OutputUrls { get; set; }

    /// <summary>The stream keys of <see cref="OutputUrls"/>. Secret: never in <see cref="ToString"/> or a default view.</summary>
    [JsonPropertyName("stream_keys")]
    public string[]? StreamKeys { get; set; }

    [JsonPropertyName("backup_model_asset_ids")]
    public string[]? BackupModelAssetIds { get; set; }

    [JsonPropertyName("live_event_callback_config")]
    public LiveEventCallbackConfig? LiveEventCallbackConfig { get; set; }

    [JsonPropertyName("rtc_callback_config")]
    public RtcCallbackConfig? RtcCallbackConfig { get; set; }

    [JsonPropertyName("review_config")]
    public ReviewConfig? ReviewConfig { get; set; }

    [JsonPropertyName("co_streamer_config")]
    public CoStreamerConfig? CoStreamerConfig { get; set; }

    [JsonPropertyName("relation_live_platform_info")]
    public PlatformLiveDetailInfo? RelationLivePlatformInfo { get; set; }

    /// <summary>Bumped whenever the room is updated (a timestamp string).</summary>
    [JsonPropertyName("script_version")]
    public string? ScriptVersion { get; set; }

    /// <summary>The avatar of the first model, flat for tables.</summary>
    [JsonIgnore]
    public string? ModelName => ModelInfos is { Length: > 0 } models ? models[0].AssetName : null;

    /// <summary>True when the room came from ShowSmartLiveRoom (Get-MSSmartLiveRoom -RoomId) with its full definition.</summary>
    [JsonIgnore]
    public bool IsDetailed => SceneScripts != null || PlayPolicy != null || VideoConfig != null || ScriptVersion != null;

    public override string ToString() => Text.ConsoleText.Escape($"{RoomName} ({RoomId})");
}
