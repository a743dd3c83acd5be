using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace MetaStudio.Emulator.Data;

/// <summary>
/// A smart live room: its JSON object as stored (every SmartLiveRoomBaseInfo and ShowSmartLiveRoom
/// field it has, unknown ones included), plus the values the server filters on, read from it once.
/// </summary>
public sealed class StoredRoom
{
    /// <summary>Names that ListSmartLiveRooms returns (SmartLiveRoomBaseInfo) and ShowSmartLiveRoom does not.</summary>
    internal static readonly HashSet<string> ListOnlyFields = new(StringComparer.Ordinal)
    {
        "project_id", "model_infos", "last_job_start_time", "last_job_end_time", "last_job_status",
    };

    /// <summary>Names that ShowSmartLiveRoom returns and ListSmartLiveRooms does not.</summary>
    internal static readonly HashSet<string> DetailOnlyFields = new(StringComparer.Ordinal)
    {
        "scene_scripts", "interaction_config", "interaction_rules", "play_policy", "video_config", "output_urls", "stream_keys",
        "backup_model_asset_ids", "live_event_callback_config", "rtc_callback_config", "review_config", "co_streamer_config",
        "relation_live_platform_info", "script_version",
    };

    internal StoredRoom(byte[] json, long sequence, string? templateOwnType)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("A room must be a JSON object.");
        }

        Json = json;
        Sequence = sequence;
        RoomId = String(root, "room_id") ?? throw new FormatException("A room needs a string 'room_id'.");
        RoomName = String(root, "room_name") ?? RoomId;
        RoomType = String(root, "room_type");
        RoomState = String(root, "room_state");
        ConfirmState = String(root, "confirm_state");
        TemplateOwnType = templateOwnType ?? "OWNED";
        CoverUrl = String(root, "cover_url");
        CreateTime = String(root, "create_time") is { } ct && Api.ListQuery.TryParseRfc3339(ct, out var t) ? t : null;
        StoredLastJobStatus = String(root, "last_job_status");
        StoredLastJobStart = String(root, "last_job_start_time");
        StoredLastJobEnd = String(root, "last_job_end_time");

        var models = Objects(root, "model_infos").ToList();
        ModelNames = models.Select(m => String(m, "asset_name")).OfType<string>().ToArray();
        ModelAssetIds = models.Select(m => String(m, "model_asset_id")).OfType<string>().ToArray();
        var scripts = Objects(root, "scene_scripts").ToList();
        DhIds = scripts.Select(s => String(s, "dh_id")).OfType<string>().ToArray();
        ShootScriptCount = scripts.Sum(s => Objects(s, "shoot_scripts").Count());
        Paragraphs = scripts.SelectMany(s => Objects(s, "shoot_scripts").Select(p => new ScriptParagraph(
            String(s, "script_name") ?? string.Empty,
            p.TryGetProperty("sequence_no", out var n) ? (n.ValueKind == JsonValueKind.String ? n.GetString() ?? string.Empty : n.GetRawText()) : string.Empty,
            String(p, "title") ?? string.Empty))).ToArray();
        DanmakuRuleCount = Objects(root, "interaction_rules").Count(r =>
            r.TryGetProperty("event_type", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int n) && n == 1 &&
            !(r.TryGetProperty("enabled", out var en) && en.ValueKind == JsonValueKind.False));
        if (root.TryGetProperty("play_policy", out var policy) && policy.ValueKind == JsonValueKind.Object)
        {
            RandomPlayMode = String(policy, "random_play_mode");
            if (policy.TryGetProperty("live_exit_config", out var exit) && exit.ValueKind == JsonValueKind.Object &&
                exit.TryGetProperty("max_live_duration", out var max) && max.ValueKind == JsonValueKind.Number && max.TryGetInt32(out int hours))
            {
                MaxLiveDurationHours = hours;
            }
        }

        if (root.TryGetProperty("relation_live_platform_info", out var platform) && platform.ValueKind == JsonValueKind.Object)
        {
            RelationLivePlatformInfo = platform.GetRawText();
        }
    }

    public string RoomId { get; }

    public string RoomName { get; }

    /// <summary><c>NORMAL</c>, <c>TEMP</c> or <c>TEMPLATE</c>; null when the room has none.</summary>
    public string? RoomType { get; }

    /// <summary><c>ENABLE</c>, <c>DISABLE</c> or <c>BLOCKED</c>; null when the room has none (it may start jobs).</summary>
    public string? RoomState { get; }

    /// <summary><c>UNCONFIRM</c>, <c>CONFIRMED</c> or <c>REJECT</c>; null when the room has none.</summary>
    public string? ConfirmState { get; }

    /// <summary>
    /// The ownership <c>template_own_type</c> filters on (OWNED, SHARED_TO_OHTERS, SHARED_FROM_OHTERS, PUBLIC). Not a
    /// room field in the API: generated rooms get one, a data file may give one, otherwise OWNED.
    /// </summary>
    public string TemplateOwnType { get; }

    public DateTimeOffset? CreateTime { get; }

    public string? CoverUrl { get; }

    /// <summary><c>model_infos[].asset_name</c>, what <c>model_name</c> matches.</summary>
    public IReadOnlyList<string> ModelNames { get; }

    /// <summary><c>model_infos[].model_asset_id</c>.</summary>
    public IReadOnlyList<string> ModelAssetIds { get; }

    /// <summary><c>scene_scripts[].dh_id</c>.</summary>
    public IReadOnlyList<string> DhIds { get; }

    /// <summary>The script's paragraphs (shoot scripts) in play order: scene script by scene script, as listed.</summary>
    public IReadOnlyList<ScriptParagraph> Paragraphs { get; }

    /// <summary>Script items (shoot scripts) over every scene script.</summary>
    public int ShootScriptCount { get; }

    /// <summary>Enabled interaction rules for danmaku (event_type 1).</summary>
    public int DanmakuRuleCount { get; }

    public string? RandomPlayMode { get; }

    /// <summary><c>play_policy.live_exit_config.max_live_duration</c> of the room, in hours.</summary>
    public int? MaxLiveDurationHours { get; }

    internal string? RelationLivePlatformInfo { get; }

    /// <summary>Insertion order: the order of ListSmartLiveRooms.</summary>
    public long Sequence { get; }

    /// <summary>The room object as stored (without the computed project_id and last_job_* unless it carried them).</summary>
    public byte[] Json { get; }

    internal string? StoredLastJobStatus { get; }

    internal string? StoredLastJobStart { get; }

    internal string? StoredLastJobEnd { get; }

    /// <summary>
    /// Reads a room object (as a data file or a test gives it): <c>jobs</c> and <c>template_own_type</c> are taken out
    /// (they are not room fields), and <c>room_name</c> defaults to the id.
    /// </summary>
    internal static (byte[] Json, string? TemplateOwnType) Normalise(JsonElement room)
    {
        if (room.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("A room must be a JSON object.");
        }

        string id = String(room, "room_id") ?? throw new FormatException("A room needs a string 'room_id'.");
        string? ownType = String(room, "template_own_type");
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, DemoDataGenerator.WriterOptions))
        {
            w.WriteStartObject();
            bool hasName = false;
            foreach (var p in room.EnumerateObject())
            {
                if (p.NameEquals("jobs") || p.NameEquals("template_own_type"))
                {
                    continue;
                }

                if (p.NameEquals("room_name") && p.Value.ValueKind == JsonValueKind.String)
                {
                    hasName = true;
                }
                else if (p.NameEquals("room_name"))
                {
                    continue;
                }

                p.WriteTo(w);
            }

            if (!hasName)
            {
                w.WriteString("room_name", id);
            }

            w.WriteEndObject();
        }

        return (buffer.ToArray(), ownType);
    }

    private static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<JsonElement> Objects(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object).Select(x => x.Clone()).ToArray()
            : Enumerable.Empty<JsonElement>();
}

/// <summary>A paragraph of a room's script, as SHOOT_SCRIPT_SWITCH names it.</summary>
public sealed record ScriptParagraph(string SceneScriptName, string SequenceNo, string Title);
