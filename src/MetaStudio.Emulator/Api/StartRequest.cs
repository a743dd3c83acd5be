using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace MetaStudio.Emulator.Api;

/// <summary>
/// A validated StartSmartLiveReq (API reference §1.8). The whole body is optional; JSON null counts
/// as absent; unknown fields are ignored. Errors, first one wins:
/// <list type="bullet">
/// <item>400 MSS.10000002 "Request JSON exception": a body that is not JSON, or a non-empty body whose Content-Type is not application/json;</item>
/// <item>400 MSS.00000002 "Invalid body": valid JSON of the wrong shape (the body or a field of the wrong JSON type);</item>
/// <item>400 MSS.10000003 "Parameter validation abnormal": a value out of its documented range or set, or a required field missing.</item>
/// </list>
/// </summary>
internal sealed class StartRequest
{
    /// <summary>The RESIZE resolutions the SDK documents (the live page says only the first two).</summary>
    private static readonly (int Width, int Height)[] ResizeResolutions = { (1920, 1080), (1080, 1920), (1280, 720), (720, 1280), (3840, 2160), (2160, 3840) };

    private StartRequest()
    {
    }

    public bool SingleJobInRoom { get; private set; }

    /// <summary><c>play_policy.live_exit_config.max_live_duration</c> in hours, when given.</summary>
    public int? MaxLiveDurationHours { get; private set; }

    public string? RandomPlayMode { get; private set; }

    public bool NeedIndependentCaptureClient { get; private set; }

    public string? AllowResourceType { get; private set; }

    /// <summary>Raw JSON, echoed in the response and the job (the callback key included: it is the user's).</summary>
    public string? LiveEventCallbackConfig { get; private set; }

    public string? RtcCallbackConfig { get; private set; }

    /// <summary>The first output_urls entry and its stream key (named in RTMP_STREAM_STATE_CHANGE events).</summary>
    public string? OutputUrl { get; private set; }

    public string? StreamKey { get; private set; }

    public string? CoStreamerConfig { get; private set; }

    /// <returns>The request, or null with <paramref name="error"/> set.</returns>
    public static StartRequest? TryParse(byte[] body, string? contentType, out ApiResult error)
    {
        error = default;
        var request = new StartRequest();
        if (body.Length == 0)
        {
            return request;
        }

        if (contentType is null || !contentType.Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            error = ApiResult.Error(400, ErrorBodies.RequestJsonException, $"Request JSON exception: the body must be JSON sent as Content-Type: application/json (got {contentType ?? "no Content-Type"})");
            return null;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            error = ApiResult.Error(400, ErrorBodies.RequestJsonException, "Request JSON exception: " + e.Message);
            return null;
        }

        using (doc)
        {
            try
            {
                request.Read(doc.RootElement);
                return request;
            }
            catch (BodyError e)
            {
                error = ApiResult.Error(400, e.Code, e.Message);
                return null;
            }
        }
    }

    private void Read(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Shape("the body", "a JSON object");
        }

        if (Object(root, "video_config", "video_config") is { } video)
        {
            ReadVideoConfig(video);
        }

        if (Object(root, "play_policy", "play_policy") is { } policy)
        {
            Int(policy, "repeat_count", "play_policy.repeat_count", -1, int.MaxValue);
            Bool(policy, "auto_play_script", "play_policy.auto_play_script");
            Enum(policy, "play_mode", "play_policy.play_mode", "TEXT", "AUDIO", "NO_PRESET");
            RandomPlayMode = Enum(policy, "random_play_mode", "play_policy.random_play_mode", "NONE", "SCENE", "SCRIPT_ITEM", "SCENE_AND_SCRIPT_ITEM");
            NeedIndependentCaptureClient = Bool(policy, "need_independent_capture_client", "play_policy.need_independent_capture_client") ?? false;
            Bool(policy, "is_rewrite_delay", "play_policy.is_rewrite_delay");
            if (Object(policy, "live_exit_config", "play_policy.live_exit_config") is { } exit)
            {
                MaxLiveDurationHours = Int(exit, "max_live_duration", "play_policy.live_exit_config.max_live_duration", 0, 168);
                Enum(exit, "auto_stop_mode", "play_policy.live_exit_config.auto_stop_mode", "FORCE_EXIT", "SEGMENT_END", "SCENE_END", "SCRIPT_END");
                Int(exit, "max_exception_waiting_duration", "play_policy.live_exit_config.max_exception_waiting_duration", 0, 60);
            }
        }

        var urls = Strings(root, "output_urls", "output_urls");
        if (urls != null)
        {
            if (urls.Count > 1)
            {
                throw Invalid("output_urls holds at most 1 URL (only one push address is supported)");
            }

            for (int i = 0; i < urls.Count; i++)
            {
                if (urls[i].Length > 2048 || !Uri.TryCreate(urls[i], UriKind.Absolute, out var uri) || uri.Scheme is not ("rtmp" or "rtmps") || uri.Host.Length == 0)
                {
                    throw Invalid($"output_urls[{i}] must be an rtmp:// or rtmps:// URL of at most 2048 characters");
                }
            }
        }

        OutputUrl = urls?.FirstOrDefault();
        var keys = Strings(root, "stream_keys", "stream_keys");
        StreamKey = keys?.FirstOrDefault();
        if (keys != null)
        {
            if (keys.Count != (urls?.Count ?? 0))
            {
                throw Invalid($"stream_keys has {keys.Count} key(s) for {urls?.Count ?? 0} output_urls; give one key per URL");
            }

            for (int i = 0; i < keys.Count; i++)
            {
                if (keys[i].Length is 0 or > 512 || keys[i].Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                {
                    throw Invalid($"stream_keys[{i}] is rejected: a stream key has 1 to 512 characters and no spaces or control characters");
                }
            }
        }

        if (String(root, "interaction_callback_url", "interaction_callback_url", 2048) is { Length: > 0 } callback && !IsHttpUrl(callback, httpsOnly: false))
        {
            throw Invalid("interaction_callback_url must be an http:// or https:// URL");
        }

        if (Object(root, "live_event_callback_config", "live_event_callback_config") is { } events)
        {
            if (String(events, "live_event_type_callback_url", "live_event_callback_config.live_event_type_callback_url", 2048) is { Length: > 0 } url && !Events.CallbackTarget.IsAllowed(url))
            {
                throw Invalid("live_event_callback_config.live_event_type_callback_url must be an https:// URL (http:// only to a loopback address)");
            }

            Enum(events, "auth_type", "live_event_callback_config.auth_type", "NONE", "MSS_A", "MSS_A_HEAD", "MEITUAN_DEFAULT");
            String(events, "key", "live_event_callback_config.key", 32);
            EnumList(events, "callback_event_type", "live_event_callback_config.callback_event_type", "SHOOT_SCRIPT_SWITCH", "RTMP_STREAM_STATE_CHANGE", "REPLY_COMMAND_FINISH");
            LiveEventCallbackConfig = events.GetRawText();
        }

        if (Object(root, "rtc_callback_config", "rtc_callback_config") is { } rtc)
        {
            EnumList(rtc, "rtc_callback_event_type", "rtc_callback_config.rtc_callback_event_type", "LIVE_PROGRESS", "REPLY_COMMAND_FINISH");
            RtcCallbackConfig = rtc.GetRawText();
        }

        Enum(root, "view_mode", "view_mode", "LANDSCAPE", "VERTICAL");

        if (Object(root, "co_streamer_config", "co_streamer_config") is { } co)
        {
            if (Object(co, "voice_config", "co_streamer_config.voice_config") is { } voice)
            {
                if (String(voice, "voice_asset_id", "co_streamer_config.voice_config.voice_asset_id", 256) is not { Length: > 0 })
                {
                    throw Invalid("co_streamer_config.voice_config.voice_asset_id is required (1 to 256 characters)");
                }

                Int(voice, "speed", "co_streamer_config.voice_config.speed", 50, 200);
                Int(voice, "pitch", "co_streamer_config.voice_config.pitch", int.MinValue, int.MaxValue);
                Int(voice, "volume", "co_streamer_config.voice_config.volume", int.MinValue, int.MaxValue);
            }

            Enum(co, "streamer_action", "co_streamer_config.streamer_action", "SILENCE", "VOLUME_DOWN");
            CoStreamerConfig = co.GetRawText();
        }

        if (Object(root, "job_run_config", "job_run_config") is { } run)
        {
            AllowResourceType = Enum(run, "allow_resource_type", "job_run_config.allow_resource_type", "PERIOD", "ONDEMAND", "UNLIMITED", "ONE_TIME");
            SingleJobInRoom = Bool(run, "single_job_in_room", "job_run_config.single_job_in_room") ?? false;
        }
    }

    private static void ReadVideoConfig(JsonElement video)
    {
        string clipMode = Enum(video, "clip_mode", "video_config.clip_mode", "RESIZE", "CROP") ?? "RESIZE";
        if (Enum(video, "codec", "video_config.codec", "H264", "VP8", "QTRLE") is "VP8" or "QTRLE")
        {
            throw Invalid("video_config.codec must be H264 for a live job (VP8 and QTRLE are for video production only)");
        }

        _ = Int(video, "bitrate", "video_config.bitrate", 1000, 8000) ?? throw Invalid("video_config.bitrate is required (1000 to 8000 kbps)");
        int width = Int(video, "width", "video_config.width", 1, 3840) ?? throw Invalid("video_config.width is required");
        int height = Int(video, "height", "video_config.height", 1, 3840) ?? throw Invalid("video_config.height is required");
        if (clipMode == "RESIZE" && !ResizeResolutions.Contains((width, height)))
        {
            throw Invalid($"video_config.width and height must be one of {string.Join(", ", ResizeResolutions.Select(r => $"{r.Width}x{r.Height}"))} with clip_mode RESIZE (got {width}x{height})");
        }

        String(video, "frame_rate", "video_config.frame_rate", 16);
        Bool(video, "is_subtitle_enable", "video_config.is_subtitle_enable");
        if (Object(video, "subtitle_config", "video_config.subtitle_config") is { } subtitles)
        {
            foreach (var name in new[] { "dx", "dy", "h", "w" })
            {
                Int(subtitles, name, "video_config.subtitle_config." + name, 0, int.MaxValue);
            }

            String(subtitles, "font_name", "video_config.subtitle_config.font_name", 64);
            Int(subtitles, "font_size", "video_config.subtitle_config.font_size", 0, 120);
            String(subtitles, "font_color", "video_config.subtitle_config.font_color", 7);
            String(subtitles, "stroke_color", "video_config.subtitle_config.stroke_color", 7);
            Number(subtitles, "stroke_thickness", "video_config.subtitle_config.stroke_thickness", 0, 50);
            Number(subtitles, "opacity", "video_config.subtitle_config.opacity", 0, 1);
        }

        Int(video, "dx", "video_config.dx", 0, 3840);
        Int(video, "dy", "video_config.dy", 0, 3840);
        Bool(video, "is_enable_super_resolution", "video_config.is_enable_super_resolution");
        Bool(video, "is_end_at_first_frame", "video_config.is_end_at_first_frame");
        String(video, "output_external_url", "video_config.output_external_url", 2048);
        Bool(video, "is_vocabulary_config_enable", "video_config.is_vocabulary_config_enable");
    }

    private static bool IsHttpUrl(string value, bool httpsOnly) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0 && (uri.Scheme == "https" || (!httpsOnly && uri.Scheme == "http"));

    private static bool Present(JsonElement parent, string name, out JsonElement value) =>
        parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static JsonElement? Object(JsonElement parent, string name, string path)
    {
        if (!Present(parent, name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw Shape(path, "an object");
    }

    private static int? Int(JsonElement parent, string name, string path, int min, int max)
    {
        if (!Present(parent, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int n))
        {
            throw Shape(path, "an integer");
        }

        return n >= min && n <= max ? n : throw Invalid(min == int.MinValue ? $"{path} is out of range" : max == int.MaxValue ? $"{path} must be at least {min}" : $"{path} must be from {min} to {max}");
    }

    private static double? Number(JsonElement parent, string name, string path, double min, double max)
    {
        if (!Present(parent, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Shape(path, "a number");
        }

        double n = value.GetDouble();
        return n >= min && n <= max ? n : throw Invalid($"{path} must be from {min} to {max}");
    }

    private static bool? Bool(JsonElement parent, string name, string path)
    {
        if (!Present(parent, name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Shape(path, "true or false"),
        };
    }

    private static string? String(JsonElement parent, string name, string path, int maxLength)
    {
        if (!Present(parent, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Shape(path, "a string");
        }

        string s = value.GetString()!;
        return s.Length <= maxLength ? s : throw Invalid($"{path} is longer than {maxLength} characters");
    }

    private static string? Enum(JsonElement parent, string name, string path, params string[] allowed)
    {
        string? value = String(parent, name, path, 64);
        return value is null || allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw Invalid($"{path} must be one of {string.Join(", ", allowed)} (got '{value}')");
    }

    private static List<string>? Strings(JsonElement parent, string name, string path)
    {
        if (!Present(parent, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw Shape(path, "an array of strings");
        }

        return value.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    private static void EnumList(JsonElement parent, string name, string path, params string[] allowed)
    {
        var values = Strings(parent, name, path);
        var unknown = values?.FirstOrDefault(v => !allowed.Contains(v, StringComparer.Ordinal));
        if (unknown != null)
        {
            throw Invalid($"{path} values must be {string.Join(", ", allowed)} (got '{unknown}')");
        }
    }

    private static BodyError Shape(string path, string expected) => new(ErrorBodies.InvalidBody, $"Invalid body: {path} must be {expected}");

    private static BodyError Invalid(string detail) => new(ErrorBodies.ParameterValidation, "Parameter validation abnormal: " + detail);

    private sealed class BodyError : Exception
    {
        public BodyError(string code, string message)
            : base(message) => Code = code;

        public string Code { get; }
    }
}
