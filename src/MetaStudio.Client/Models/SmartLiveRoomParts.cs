using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaStudio.Client.Models;

/// <summary>A digital-human model of a room (API ModelInfo).</summary>
public sealed class ModelInfo
{
    [JsonPropertyName("model_asset_id")]
    public string? ModelAssetId { get; set; }

    [JsonPropertyName("asset_name")]
    public string? AssetName { get; set; }

    [JsonPropertyName("backup_model_asset_ids")]
    public string[]? BackupModelAssetIds { get; set; }

    public override string ToString() => Text.ConsoleText.Escape(string.IsNullOrEmpty(AssetName) ? ModelAssetId ?? string.Empty : $"{AssetName} ({ModelAssetId})");
}

/// <summary>Sharing of a room or template (API SharedConfig).</summary>
public sealed class SharedConfig
{
    /// <summary>PRIVATE, PUBLIC, SHARED.</summary>
    [JsonPropertyName("shared_type")]
    public string? SharedType { get; set; }

    /// <summary>PUBLISHED, DRAFT, REVIEW.</summary>
    [JsonPropertyName("shared_state")]
    public string? SharedState { get; set; }

    [JsonPropertyName("expire_time")]
    public DateTime? ExpireTime { get; set; }

    [JsonPropertyName("allowed_project_ids")]
    public string[]? AllowedProjectIds { get; set; }

    public override string ToString() => Text.ConsoleText.Escape(string.Join(" ", new[] { SharedType, SharedState }.Where(p => !string.IsNullOrEmpty(p))));
}

/// <summary>A scene script of a room (API LiveVideoScriptInfo).</summary>
public sealed class SceneScript
{
    [JsonPropertyName("script_id")]
    public string? ScriptId { get; set; }

    [JsonPropertyName("script_name")]
    public string? ScriptName { get; set; }

    [JsonPropertyName("script_description")]
    public string? ScriptDescription { get; set; }

    /// <summary>The digital human.</summary>
    [JsonPropertyName("dh_id")]
    public string? DhId { get; set; }

    [JsonPropertyName("model_asset_id")]
    public string? ModelAssetId { get; set; }

    [JsonPropertyName("voice_config")]
    public VoiceConfig? VoiceConfig { get; set; }

    /// <summary>Backgrounds (API BackgroundConfigInfo), as the service's JSON.</summary>
    [JsonPropertyName("background_config")]
    public JsonElement[]? BackgroundConfig { get; set; }

    /// <summary>Layers (API LayerConfig), as the service's JSON.</summary>
    [JsonPropertyName("layer_config")]
    public JsonElement[]? LayerConfig { get; set; }

    [JsonPropertyName("shoot_scripts")]
    public ShootScript[]? ShootScripts { get; set; }

    public override string ToString()
    {
        int items = ShootScripts?.Length ?? 0;
        return Text.ConsoleText.Escape($"{ScriptName} ({items} {(items == 1 ? "item" : "items")})");
    }
}

/// <summary>One paragraph of a scene script (API LiveShootScriptItem).</summary>
public sealed class ShootScript
{
    [JsonPropertyName("sequence_no")]
    public int? SequenceNo { get; set; }

    [JsonPropertyName("title")]
    public string? Title { get; set; }

    /// <summary>What the digital human says (API TextConfig.text).</summary>
    [JsonPropertyName("text_config")]
    public TextConfig? TextConfig { get; set; }

    [JsonPropertyName("audio_config")]
    public LiveAudioConfig? AudioConfig { get; set; }

    [JsonPropertyName("relation_product")]
    public RelationProduct? RelationProduct { get; set; }

    public override string ToString() => Text.ConsoleText.Escape($"{SequenceNo}. {Title}");
}

/// <summary>A text to speak (API TextConfig).</summary>
public sealed class TextConfig
{
    [JsonPropertyName("text")]
    public string? Text { get; set; }

    public override string ToString() => MetaStudio.Client.Text.ConsoleText.Shorten(Text, 80);
}

/// <summary>An audio to play (API LiveAudioConfig).</summary>
public sealed class LiveAudioConfig
{
    [JsonPropertyName("asset_id")]
    public string? AssetId { get; set; }

    [JsonPropertyName("audio_url")]
    public string? AudioUrl { get; set; }

    [JsonPropertyName("subtitle_url")]
    public string? SubtitleUrl { get; set; }

    public override string ToString() => AudioUrl != null ? Text.ConsoleText.EscapeUrl(AudioUrl) : Text.ConsoleText.Escape(AssetId);
}

/// <summary>A product a paragraph presents (API RelationProductInfo).</summary>
public sealed class RelationProduct
{
    [JsonPropertyName("product_id")]
    public string? ProductId { get; set; }

    [JsonPropertyName("product_title")]
    public string? ProductTitle { get; set; }

    public override string ToString() => Text.ConsoleText.Escape(ProductTitle ?? ProductId ?? string.Empty);
}

/// <summary>How replies are played (API LiveRoomInteractionConfig).</summary>
public sealed class InteractionConfig
{
    /// <summary>APPEND, INSERT, PLAY_NOW.</summary>
    [JsonPropertyName("play_type")]
    public string? PlayType { get; set; }

    [JsonPropertyName("ignore_current_sentence")]
    public bool? IgnoreCurrentSentence { get; set; }

    public override string ToString() => Text.ConsoleText.Escape(PlayType ?? string.Empty);
}

/// <summary>An interaction rule of a room (API LiveRoomInteractionRuleInfo).</summary>
public sealed class InteractionRule
{
    [JsonPropertyName("rule_index")]
    public string? RuleIndex { get; set; }

    [JsonPropertyName("rule_name")]
    public string? RuleName { get; set; }

    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    /// <summary>1 comment (danmaku), 2 entering, 3 like, 4 gift, 10 preset.</summary>
    [JsonPropertyName("event_type")]
    public int? EventType { get; set; }

    /// <summary>When the rule fires (API HitCondition), as the service's JSON.</summary>
    [JsonPropertyName("hit_condition")]
    public JsonElement? HitCondition { get; set; }

    /// <summary>What it does (API TriggerProcess), as the service's JSON.</summary>
    [JsonPropertyName("trigger")]
    public JsonElement? Trigger { get; set; }

    [JsonPropertyName("review_config")]
    public ReviewConfig? ReviewConfig { get; set; }

    [JsonPropertyName("group_id")]
    public string? GroupId { get; set; }

    [JsonPropertyName("group_name")]
    public string? GroupName { get; set; }

    [JsonPropertyName("enabled_scenes")]
    public string[]? EnabledScenes { get; set; }

    public override string ToString() => Text.ConsoleText.Escape($"{RuleName}{(Enabled == false ? " (disabled)" : string.Empty)}");
}

/// <summary>Review settings (API ReviewConfig).</summary>
public sealed class ReviewConfig
{
    [JsonPropertyName("no_need_review")]
    public bool? NoNeedReview { get; set; }

    public override string ToString() => NoNeedReview == true ? "no review" : "review";
}

/// <summary>How a room plays (API PlayPolicy).</summary>
public sealed class PlayPolicy
{
    /// <summary>-1 repeats until stopped, 0 plays once, n plays n+1 times.</summary>
    [JsonPropertyName("repeat_count")]
    public int? RepeatCount { get; set; }

    [JsonPropertyName("auto_play_script")]
    public bool? AutoPlayScript { get; set; }

    /// <summary>TEXT, AUDIO, NO_PRESET.</summary>
    [JsonPropertyName("play_mode")]
    public string? PlayMode { get; set; }

    /// <summary>NONE, SCENE, SCRIPT_ITEM, SCENE_AND_SCRIPT_ITEM.</summary>
    [JsonPropertyName("random_play_mode")]
    public string? RandomPlayMode { get; set; }

    [JsonPropertyName("need_independent_capture_client")]
    public bool? NeedIndependentCaptureClient { get; set; }

    [JsonPropertyName("live_exit_config")]
    public LiveExitConfig? LiveExitConfig { get; set; }

    [JsonPropertyName("is_rewrite_delay")]
    public bool? IsRewriteDelay { get; set; }

    public override string ToString() => Text.ConsoleText.Escape(string.Join("; ", new[]
    {
        PlayMode, RepeatCount is { } r ? (r < 0 ? "repeat until stopped" : $"repeat {r}") : null, LiveExitConfig?.ToString(),
    }.Where(p => !string.IsNullOrEmpty(p))));
}

/// <summary>When a live ends by itself (API LiveExitConfig).</summary>
public sealed class LiveExitConfig
{
    /// <summary>Hours, up to 168; 0 = unlimited.</summary>
    [JsonPropertyName("max_live_duration")]
    public int? MaxLiveDuration { get; set; }

    /// <summary>FORCE_EXIT, SEGMENT_END, SCENE_END, SCRIPT_END.</summary>
    [JsonPropertyName("auto_stop_mode")]
    public string? AutoStopMode { get; set; }

    /// <summary>Minutes, up to 60; 0 = unlimited.</summary>
    [JsonPropertyName("max_exception_waiting_duration")]
    public int? MaxExceptionWaitingDuration { get; set; }

    public override string ToString() => MaxLiveDuration is { } h ? (h == 0 ? "no time limit" : $"at most {h} h") : string.Empty;
}

/// <summary>The output video (API VideoConfig).</summary>
public sealed class VideoConfig
{
    /// <summary>RESIZE, CROP.</summary>
    [JsonPropertyName("clip_mode")]
    public string? ClipMode { get; set; }

    /// <summary>H264, VP8, QTRLE.</summary>
    [JsonPropertyName("codec")]
    public string? Codec { get; set; }

    /// <summary>kbit/s.</summary>
    [JsonPropertyName("bitrate")]
    public int? Bitrate { get; set; }

    [JsonPropertyName("width")]
    public int? Width { get; set; }

    [JsonPropertyName("height")]
    public int? Height { get; set; }

    [JsonPropertyName("frame_rate")]
    public string? FrameRate { get; set; }

    [JsonPropertyName("is_subtitle_enable")]
    public bool? IsSubtitleEnable { get; set; }

    /// <summary>Subtitles (API SubtitleConfig), as the service's JSON.</summary>
    [JsonPropertyName("subtitle_config")]
    public JsonElement? SubtitleConfig { get; set; }

    [JsonPropertyName("dx")]
    public int? Dx { get; set; }

    [JsonPropertyName("dy")]
    public int? Dy { get; set; }

    [JsonPropertyName("is_enable_super_resolution")]
    public bool? IsEnableSuperResolution { get; set; }

    [JsonPropertyName("is_end_at_first_frame")]
    public bool? IsEndAtFirstFrame { get; set; }

    [JsonPropertyName("output_external_url")]
    public string? OutputExternalUrl { get; set; }

    [JsonPropertyName("is_vocabulary_config_enable")]
    public bool? IsVocabularyConfigEnable { get; set; }

    public override string ToString() => Text.ConsoleText.Escape($"{Width}x{Height} {Codec} {Bitrate} kbit/s".Trim());
}
