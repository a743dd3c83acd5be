using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace MetaStudio.Client.SmartLive;

/// <summary>
/// The body of StartSmartLive (API StartSmartLiveReq), built from a caller's tree (dictionaries, lists
/// and plain values, as -Body gives them) with typed values set over it. Every key is checked against
/// the documented request, at every level, so a misspelt key is refused with the list of known ones
/// instead of being silently ignored by the service. Keys may be written as the API does
/// (<c>play_policy</c>) or in PowerShell style (<c>PlayPolicy</c>).
/// </summary>
public sealed class StartSmartLiveBody
{
    private static readonly Shape Request = Shape.Object(
        ("video_config", Shape.Object(
            ("clip_mode", Shape.Value), ("codec", Shape.Value), ("bitrate", Shape.Value), ("width", Shape.Value), ("height", Shape.Value),
            ("frame_rate", Shape.Value), ("is_subtitle_enable", Shape.Value),
            ("subtitle_config", Shape.Object(("dx", Shape.Value), ("dy", Shape.Value), ("h", Shape.Value), ("w", Shape.Value), ("font_name", Shape.Value),
                ("font_size", Shape.Value), ("font_color", Shape.Value), ("stroke_color", Shape.Value), ("stroke_thickness", Shape.Value), ("opacity", Shape.Value))),
            ("dx", Shape.Value), ("dy", Shape.Value), ("is_enable_super_resolution", Shape.Value), ("is_end_at_first_frame", Shape.Value),
            ("output_external_url", Shape.Value), ("is_vocabulary_config_enable", Shape.Value))),
        ("play_policy", Shape.Object(
            ("repeat_count", Shape.Value), ("auto_play_script", Shape.Value), ("play_mode", Shape.Value), ("random_play_mode", Shape.Value),
            ("need_independent_capture_client", Shape.Value),
            ("live_exit_config", Shape.Object(("max_live_duration", Shape.Value), ("auto_stop_mode", Shape.Value), ("max_exception_waiting_duration", Shape.Value))),
            ("is_rewrite_delay", Shape.Value))),
        ("output_urls", Shape.List),
        ("stream_keys", Shape.List),
        ("interaction_callback_url", Shape.Value),
        ("live_event_callback_config", Shape.Object(
            ("live_event_type_callback_url", Shape.Value), ("auth_type", Shape.Value), ("key", Shape.Value), ("callback_event_type", Shape.List))),
        ("rtc_callback_config", Shape.Object(("rtc_callback_event_type", Shape.List))),
        ("view_mode", Shape.Value),
        ("co_streamer_config", Shape.Object(
            ("voice_config", Shape.Object(("voice_asset_id", Shape.Value), ("speed", Shape.Value), ("pitch", Shape.Value), ("volume", Shape.Value))),
            ("streamer_action", Shape.Value))),
        ("job_run_config", Shape.Object(("allow_resource_type", Shape.Value), ("single_job_in_room", Shape.Value))));

    private readonly Dictionary<string, object?> root;

    private StartSmartLiveBody(Dictionary<string, object?> root) => this.root = root;

    /// <summary>The documented top-level keys.</summary>
    public static IReadOnlyList<string> TopLevelKeys => Request.Children!.Keys.ToList();

    /// <summary>A body from a caller's tree (null for none), every key checked and written the API's way.</summary>
    /// <exception cref="ArgumentException">An unknown key, or an object or list where the other belongs (ParamName "Body").</exception>
    public static StartSmartLiveBody From(IDictionary? body) =>
        new(body is null ? new Dictionary<string, object?>(StringComparer.Ordinal) : (Dictionary<string, object?>)Normalize(body, Request, "")!);

    /// <summary>Sets a value by its API path (e.g. <c>play_policy.live_exit_config.max_live_duration</c>), over whatever the tree had.</summary>
    public StartSmartLiveBody Set(string path, object? value)
    {
        string[] parts = path.Split('.');
        var node = root;
        var shape = Request;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            shape = shape.Children![parts[i]];
            if (!(node.TryGetValue(parts[i], out var child) && child is Dictionary<string, object?> next))
            {
                next = new Dictionary<string, object?>(StringComparer.Ordinal);
                node[parts[i]] = next;
            }

            node = next;
        }

        if (!shape.Children!.ContainsKey(parts[parts.Length - 1]))
        {
            throw new ArgumentException($"{path} is not part of a StartSmartLive request.", nameof(path));
        }

        node[parts[parts.Length - 1]] = value;
        return this;
    }

    /// <summary>The value at an API path, or null.</summary>
    public object? Get(string path)
    {
        object? node = root;
        foreach (string part in path.Split('.'))
        {
            if (node is not Dictionary<string, object?> map || !map.TryGetValue(part, out node))
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>The JSON bytes to send, and the secret values in them (stream keys, the callback key) for masking.</summary>
    public byte[] ToJson(out IReadOnlyList<string> secrets)
    {
        var found = new List<string>();
        foreach (var key in AsList(Get("stream_keys")))
        {
            if (key is string s && s.Length > 0)
            {
                found.Add(s);
            }
        }

        if (Get("live_event_callback_config.key") is string callbackKey && callbackKey.Length > 0)
        {
            found.Add(callbackKey);
        }

        secrets = found;
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, root);
        }

        return stream.ToArray();
    }

    private static object? Normalize(object? value, Shape shape, string where)
    {
        if (shape.Children is null)
        {
            if (value is IDictionary)
            {
                throw Invalid($"-Body has an object at {where}, where StartSmartLive takes {(shape.IsList ? "a list" : "a value")}.");
            }

            if (shape.IsList)
            {
                return value is null ? null : AsList(value).Select(v => v is IDictionary || (v is IEnumerable && v is not string)
                    ? throw Invalid($"-Body has a nested object or list inside the list {where}; it takes a list of values.")
                    : v).ToList();
            }

            if (value is IEnumerable && value is not string)
            {
                throw Invalid($"-Body has a list at {where}, where StartSmartLive takes one value.");
            }

            return value;
        }

        if (value is null)
        {
            return null;
        }

        if (value is not IDictionary map)
        {
            throw Invalid($"-Body has {Describe(value)} at {(where.Length == 0 ? "its top" : where)}, where StartSmartLive takes an object (a hashtable).");
        }

        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in map)
        {
            string given = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
            string? key = shape.Children.Keys.FirstOrDefault(k => Same(k, given));
            string path = where.Length == 0 ? given : where + "." + given;
            if (key is null)
            {
                throw Invalid($"-Body has '{Text.ConsoleText.Shorten(given, 64)}'{(where.Length == 0 ? string.Empty : " in " + where)}, which StartSmartLive does not take. Known keys{(where.Length == 0 ? string.Empty : " there")}: {string.Join(", ", shape.Children.Keys)}.");
            }

            if (result.ContainsKey(key))
            {
                throw Invalid($"-Body gives {key}{(where.Length == 0 ? string.Empty : " in " + where)} twice (as '{Text.ConsoleText.Shorten(given, 64)}' too).");
            }

            result[key] = Normalize(entry.Value, shape.Children[key], where.Length == 0 ? key : where + "." + key);
        }

        return result;
    }

    /// <summary>play_policy, PlayPolicy and playPolicy name the same key.</summary>
    private static bool Same(string apiKey, string given) =>
        string.Equals(apiKey.Replace("_", string.Empty), given.Replace("_", string.Empty), StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<object?> AsList(object? value) => value switch
    {
        null => Enumerable.Empty<object?>(),
        string s => new object?[] { s },
        IEnumerable items => items.Cast<object?>(),
        _ => new[] { value },
    };

    private static string Describe(object value) => value is string ? "a string" : value is IEnumerable ? "a list" : "a value";

    internal static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case Dictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var pair in map)
                {
                    writer.WritePropertyName(pair.Key);
                    Write(writer, pair.Value);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case float or double:
                double d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsNaN(d) || double.IsInfinity(d))
                {
                    throw Invalid($"-Body has {d.ToString(CultureInfo.InvariantCulture)}, which JSON cannot carry.");
                }

                writer.WriteNumberValue(d);
                break;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static ArgumentException Invalid(string message) => new(message, "Body");

    /// <summary>The documented shape of a request: an object with known keys, a list of values, or a value.</summary>
    private sealed class Shape
    {
        public static readonly Shape Value = new(null, false);
        public static readonly Shape List = new(null, true);

        private Shape(Dictionary<string, Shape>? children, bool isList)
        {
            Children = children;
            IsList = isList;
        }

        public Dictionary<string, Shape>? Children { get; }

        public bool IsList { get; }

        public static Shape Object(params (string Key, Shape Shape)[] children) =>
            new(children.ToDictionary(c => c.Key, c => c.Shape, StringComparer.Ordinal), false);
    }
}
