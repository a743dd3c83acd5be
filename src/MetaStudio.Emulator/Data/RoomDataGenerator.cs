using System;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace MetaStudio.Emulator.Data;

/// <summary>
/// A generated room with every SmartLiveRoomBaseInfo field (API reference §1.12) and every
/// ShowSmartLiveRoom field (§1.13), deterministic for a seed and room index. Each room draws from
/// its own random sequence, so adding room fields never changes the generated jobs.
/// </summary>
/// <remarks>
/// The enumerations follow the room index in a cycle of nine, so the first three rooms (the default)
/// are ordinary rooms that can start jobs, and nine rooms show every value:
/// <code>
/// index            0          1          2          3                 4        5          6                   7          8
/// room_type        NORMAL     NORMAL     NORMAL     TEMPLATE          NORMAL   TEMP       TEMPLATE            NORMAL     TEMPLATE
/// room_state       ENABLE     ENABLE     ENABLE     ENABLE            DISABLE  ENABLE     ENABLE              BLOCKED    ENABLE
/// confirm_state    CONFIRMED  CONFIRMED  UNCONFIRM  CONFIRMED         REJECT   CONFIRMED  CONFIRMED           CONFIRMED  UNCONFIRM
/// template owner   OWNED      OWNED      OWNED      SHARED_TO_OHTERS  OWNED    OWNED      SHARED_FROM_OHTERS  OWNED      PUBLIC
/// </code>
/// </remarks>
public static class RoomDataGenerator
{
    private static readonly string[] RoomTypes = { "NORMAL", "NORMAL", "NORMAL", "TEMPLATE", "NORMAL", "TEMP", "TEMPLATE", "NORMAL", "TEMPLATE" };
    private static readonly string[] RoomStates = { "ENABLE", "ENABLE", "ENABLE", "ENABLE", "DISABLE", "ENABLE", "ENABLE", "BLOCKED", "ENABLE" };
    private static readonly string[] ConfirmStates = { "CONFIRMED", "CONFIRMED", "UNCONFIRM", "CONFIRMED", "REJECT", "CONFIRMED", "CONFIRMED", "CONFIRMED", "UNCONFIRM" };
    private static readonly string[] OwnTypes = { "OWNED", "OWNED", "OWNED", "SHARED_TO_OHTERS", "OWNED", "OWNED", "SHARED_FROM_OHTERS", "OWNED", "PUBLIC" };
    private static readonly string[] ModelNames = { "云溪 2D 主播", "小雅-美妆", "Ethan Host", "晓晨 直播形象", "Mia Studio", "阿杰 3C 讲解" };
    private static readonly string[] ScriptNames = { "开场介绍", "产品讲解", "限时促销", "互动答疑" };
    private static readonly string[] ShootTitles = { "欢迎词", "卖点一", "卖点二", "限时优惠", "下单引导", "结束语" };
    private static readonly string[] ShootTexts =
    {
        "欢迎来到直播间，今天给大家带来几款好物。",
        "这款精华质地轻薄，吸收很快。",
        "Three shades, all tested on sensitive skin.",
        "今晚下单立减五十元，库存有限。",
        "点击下方小黄车就可以下单哦。",
        "感谢大家的陪伴，我们明天同一时间见。",
    };

    private static readonly string[] PlayTypes = { "APPEND", "INSERT", "PLAY_NOW" };
    private static readonly string[] RandomPlayModes = { "NONE", "SCENE", "SCRIPT_ITEM", "SCENE_AND_SCRIPT_ITEM" };
    private static readonly string[] AutoStopModes = { "FORCE_EXIT", "SEGMENT_END", "SCENE_END", "SCRIPT_END" };
    private static readonly string[] AuthTypes = { "NONE", "MSS_A", "MSS_A_HEAD" };
    private static readonly int[] EventTypes = { 1, 2, 3, 4, 10 };

    /// <summary>The room's JSON and its template ownership.</summary>
    /// <param name="index">The room's position among the generated rooms (chooses its enumerations).</param>
    /// <param name="firstJobDay">The day of the room's first job; the room is created before it.</param>
    /// <param name="full">Every optional field present; otherwise some are absent, as in real data.</param>
    public static (byte[] Json, string TemplateOwnType) Room(int seed, int index, string roomId, string roomName, DateTimeOffset firstJobDay, bool full)
    {
        var random = new Random(unchecked((seed * 1_000_003) + (index * 7_919) + 0x5EED));
        bool Maybe(int percent) => full || random.Next(100) < percent;
        int cycle = index % RoomTypes.Length;
        string type = RoomTypes[cycle], state = RoomStates[cycle], ownType = type == "TEMPLATE" ? OwnTypes[cycle] : "OWNED";
        var created = firstJobDay.AddDays(-20).AddMinutes(random.Next(24 * 60));
        var updated = created.AddHours(1 + random.Next(72));
        string modelId = DemoDataGenerator.NewId(random);

        using var buffer = new MemoryStream(4096);
        using (var w = new Utf8JsonWriter(buffer, DemoDataGenerator.WriterOptions))
        {
            w.WriteStartObject();

            // SmartLiveRoomBaseInfo (§1.12); project_id and last_job_* are added when served.
            w.WriteString("room_id", roomId);
            w.WriteString("room_name", roomName);
            w.WriteString("room_type", type);
            w.WriteString("room_state", state);
            w.WriteString("view_mode", index % 3 == 1 ? "LANDSCAPE" : "VERTICAL");
            if (state != "ENABLE")
            {
                w.WriteStartObject("error_info");
                w.WriteString("error_code", "MSS.00000004");
                w.WriteString("error_msg", state == "BLOCKED" ? "直播间内容违规，已封禁 (blocked: content violates platform rules)" : "直播间已停用 (disabled by the owner)");
                w.WriteEndObject();
            }

            if (type == "TEMPLATE" || full)
            {
                w.WriteStartObject("shared_config");
                w.WriteString("shared_type", type != "TEMPLATE" ? "PRIVATE" : ownType == "PUBLIC" ? "PUBLIC" : "SHARED");
                w.WriteString("shared_state", "PUBLISHED");
                w.WriteString("expire_time", DemoDataGenerator.Format(created.AddDays(365)));
                w.WriteStartArray("allowed_project_ids");
                if (type == "TEMPLATE" && ownType != "PUBLIC")
                {
                    w.WriteStringValue(DemoDataGenerator.NewId(random).Replace("-", string.Empty, StringComparison.Ordinal));
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            if (Maybe(70))
            {
                w.WriteString("room_description", roomName + "：数字人智能直播间 (digital-human live room)");
            }

            if (Maybe(80))
            {
                w.WriteString("cover_url", $"https://obs.example.com/covers/{roomId}.png");
            }

            if (Maybe(60))
            {
                w.WriteString("thumbnail", $"https://obs.example.com/thumbnails/{roomId}.jpg");
            }

            int models = 1 + random.Next(2);
            w.WriteStartArray("model_infos");
            for (int m = 0; m < models; m++)
            {
                w.WriteStartObject();
                w.WriteString("model_asset_id", m == 0 ? modelId : DemoDataGenerator.NewId(random));
                w.WriteString("asset_name", ModelNames[(index + m) % ModelNames.Length]);
                if (Maybe(30))
                {
                    w.WriteStartArray("backup_model_asset_ids");
                    w.WriteStringValue(DemoDataGenerator.NewId(random));
                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("create_time", DemoDataGenerator.Format(created));
            w.WriteString("update_time", DemoDataGenerator.Format(updated));
            if (Maybe(30))
            {
                w.WriteString("priv_data", "{\"crm_campaign\":\"spring-" + random.Next(100, 999).ToString(CultureInfo.InvariantCulture) + "\"}");
            }

            w.WriteString("confirm_state", ConfirmStates[cycle]);

            // ShowSmartLiveRoom detail (§1.13).
            int scripts = 1 + random.Next(2);
            w.WriteStartArray("scene_scripts");
            for (int s = 0; s < scripts; s++)
            {
                WriteSceneScript(w, random, Maybe, roomId, modelId, s, full);
            }

            w.WriteEndArray();
            if (Maybe(60))
            {
                w.WriteStartObject("interaction_config");
                w.WriteString("play_type", PlayTypes[random.Next(PlayTypes.Length)]);
                w.WriteBoolean("ignore_current_sentence", random.Next(2) == 0);
                w.WriteEndObject();
            }

            if (Maybe(70))
            {
                int rules = 1 + random.Next(3);
                w.WriteStartArray("interaction_rules");
                for (int i = 0; i < rules; i++)
                {
                    WriteRule(w, random, Maybe, i);
                }

                w.WriteEndArray();
            }

            if (Maybe(80))
            {
                w.WriteStartObject("play_policy");
                w.WriteNumber("repeat_count", random.Next(2) == 0 ? -1 : random.Next(5));
                w.WriteBoolean("auto_play_script", true);
                w.WriteString("play_mode", "TEXT");
                w.WriteString("random_play_mode", RandomPlayModes[random.Next(RandomPlayModes.Length)]);
                w.WriteBoolean("need_independent_capture_client", random.Next(4) == 0);
                w.WriteStartObject("live_exit_config");
                w.WriteNumber("max_live_duration", random.Next(2) == 0 ? 0 : 1 + random.Next(24));
                w.WriteString("auto_stop_mode", AutoStopModes[random.Next(AutoStopModes.Length)]);
                w.WriteNumber("max_exception_waiting_duration", 3);
                w.WriteEndObject();
                w.WriteBoolean("is_rewrite_delay", false);
                w.WriteEndObject();
            }

            if (Maybe(80))
            {
                bool landscape = index % 3 == 1;
                w.WriteStartObject("video_config");
                w.WriteString("clip_mode", "RESIZE");
                w.WriteString("codec", "H264");
                w.WriteNumber("bitrate", 2000 + (1000 * random.Next(5)));
                w.WriteNumber("width", landscape ? 1920 : 1080);
                w.WriteNumber("height", landscape ? 1080 : 1920);
                w.WriteString("frame_rate", "25");
                w.WriteBoolean("is_subtitle_enable", false);
                w.WriteEndObject();
            }

            if (Maybe(50))
            {
                w.WriteStartArray("output_urls");
                w.WriteStringValue($"rtmp://push.live.example.com/live/{roomId.Substring(0, 8)}");
                w.WriteEndArray();
                w.WriteStartArray("stream_keys");
                w.WriteStringValue("sk_live_" + DemoDataGenerator.NewId(random).Replace("-", string.Empty, StringComparison.Ordinal));
                w.WriteEndArray();
            }

            if (Maybe(30))
            {
                w.WriteStartArray("backup_model_asset_ids");
                w.WriteStringValue(DemoDataGenerator.NewId(random));
                w.WriteEndArray();
            }

            if (Maybe(40))
            {
                w.WriteStartObject("live_event_callback_config");
                w.WriteString("live_event_type_callback_url", "https://callback.example.com/metastudio/rooms");
                w.WriteString("auth_type", AuthTypes[random.Next(AuthTypes.Length)]);
                w.WriteString("key", "roomcb" + random.Next(100000, 999999).ToString(CultureInfo.InvariantCulture));
                w.WriteStartArray("callback_event_type");
                w.WriteStringValue("SHOOT_SCRIPT_SWITCH");
                w.WriteStringValue("RTMP_STREAM_STATE_CHANGE");
                w.WriteEndArray();
                w.WriteBoolean("is_inheritance_platform_callback", random.Next(2) == 0);
                w.WriteEndObject();
            }

            if (Maybe(30))
            {
                w.WriteStartObject("rtc_callback_config");
                w.WriteStartArray("rtc_callback_event_type");
                w.WriteStringValue("LIVE_PROGRESS");
                w.WriteEndArray();
                w.WriteEndObject();
            }

            if (Maybe(30))
            {
                w.WriteStartObject("review_config");
                w.WriteBoolean("no_need_review", false);
                w.WriteEndObject();
            }

            if (Maybe(30))
            {
                w.WriteStartObject("co_streamer_config");
                w.WriteStartObject("voice_config");
                w.WriteString("voice_asset_id", DemoDataGenerator.NewId(random));
                w.WriteNumber("speed", 100);
                w.WriteNumber("pitch", 100);
                w.WriteNumber("volume", 120);
                w.WriteEndObject();
                w.WriteString("streamer_action", random.Next(2) == 0 ? "SILENCE" : "VOLUME_DOWN");
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

            w.WriteString("script_version", updated.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        return (buffer.ToArray(), ownType);
    }

    private static void WriteSceneScript(Utf8JsonWriter w, Random random, Func<int, bool> maybe, string roomId, string modelId, int s, bool full)
    {
        w.WriteStartObject();
        w.WriteString("script_id", DemoDataGenerator.NewId(random));
        w.WriteString("script_name", ScriptNames[s % ScriptNames.Length]);
        if (maybe(50))
        {
            w.WriteString("script_description", "场景 " + (s + 1).ToString(CultureInfo.InvariantCulture) + "：" + ScriptNames[s % ScriptNames.Length]);
        }

        w.WriteString("dh_id", DemoDataGenerator.NewId(random));
        w.WriteString("model_asset_id", modelId);
        w.WriteStartObject("voice_config");
        w.WriteString("voice_asset_id", DemoDataGenerator.NewId(random));
        w.WriteNumber("speed", 100);
        w.WriteNumber("pitch", 100);
        w.WriteNumber("volume", 140);
        w.WriteEndObject();
        if (maybe(60))
        {
            w.WriteStartArray("background_config");
            w.WriteStartObject();
            w.WriteString("background_type", "IMAGE");
            w.WriteString("background_config", $"https://obs.example.com/backgrounds/{roomId}-{s}.png");
            w.WriteString("background_asset_id", DemoDataGenerator.NewId(random));
            w.WriteEndObject();
            w.WriteEndArray();
        }

        if (maybe(40))
        {
            w.WriteStartArray("layer_config");
            w.WriteStartObject();
            w.WriteString("layer_type", "IMAGE");
            w.WriteString("asset_id", DemoDataGenerator.NewId(random));
            w.WriteNumber("sequence_no", 1);
            w.WriteStartObject("position");
            w.WriteNumber("dx", 40);
            w.WriteNumber("dy", 60);
            w.WriteNumber("layer_index", 2);
            w.WriteEndObject();
            w.WriteStartObject("size");
            w.WriteNumber("width", 320);
            w.WriteNumber("height", 180);
            w.WriteEndObject();
            w.WriteStartObject("image_config");
            w.WriteString("image_url", $"https://obs.example.com/layers/{roomId}-{s}.png");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        }

        // A few script items each: some rooms end up with fewer than three (a start warns TOO_LESSS_SCRIPT_ITEMS).
        int items = 1 + random.Next(3);
        w.WriteStartArray("shoot_scripts");
        for (int i = 0; i < items; i++)
        {
            int t = (s * 3 + i) % ShootTitles.Length;
            w.WriteStartObject();
            w.WriteNumber("sequence_no", i + 1);
            w.WriteString("title", ShootTitles[t]);
            w.WriteStartObject("text_config");
            w.WriteString("text", ShootTexts[t]);
            w.WriteEndObject();
            if (full || random.Next(4) == 0)
            {
                w.WriteStartObject("relation_product");
                w.WriteString("product_id", "sku-" + random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture));
                w.WriteString("product_title", "保湿精华 30ml");
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter w, Random random, Func<int, bool> maybe, int i)
    {
        int eventType = EventTypes[i == 0 ? 0 : random.Next(EventTypes.Length)];
        w.WriteStartObject();
        w.WriteString("rule_index", (i + 1).ToString(CultureInfo.InvariantCulture));
        w.WriteString("rule_name", eventType switch { 1 => "弹幕问价格", 2 => "欢迎入场", 3 => "感谢点赞", 4 => "感谢礼物", _ => "预置话术" });
        w.WriteBoolean("enabled", true);
        w.WriteNumber("event_type", eventType);
        w.WriteStartObject("hit_condition");
        w.WriteString("relation", "OR");
        w.WriteNumber("priority", 500);
        w.WriteStartArray("tags");
        w.WriteStartObject();
        w.WriteString("tag", "content");
        w.WriteString("operation", "NONE");
        w.WriteString("match", "REGEX");
        w.WriteString("value", "价格|多少钱|price");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("trigger");
        w.WriteNumber("time_window", 30);
        w.WriteString("reply_mode", "SYSTEM_REPLY");
        w.WriteStartArray("reply_texts");
        w.WriteStringValue("宝宝们，价格在购物车第一个链接哦。");
        w.WriteEndArray();
        w.WriteString("reply_order", "RANDOM");
        w.WriteString("reply_role", "STREAMER");
        w.WriteString("play_type", "INSERT");
        w.WriteEndObject();
        if (maybe(30))
        {
            w.WriteStartObject("review_config");
            w.WriteBoolean("no_need_review", true);
            w.WriteEndObject();
            w.WriteString("group_id", "grp-" + random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture));
            w.WriteString("group_name", "通用互动库");
            w.WriteStartArray("enabled_scenes");
            w.WriteStringValue(ScriptNames[0]);
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}
