using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MetaStudio.Emulator.Events;

/// <summary>
/// A started job's live_event_callback_config: where to post events, which ones, and how to sign them.
/// The signing is written here on its own (not shared with the module's checker), so that a test that
/// verifies the emulator's events with the module checks two implementations against each other.
/// </summary>
internal sealed class CallbackTarget
{
    public static readonly IReadOnlyList<string> AllEventTypes = new[] { "SHOOT_SCRIPT_SWITCH", "RTMP_STREAM_STATE_CHANGE", "REPLY_COMMAND_FINISH" };

    private CallbackTarget(string url, string authType, string key, IReadOnlyList<string> eventTypes)
    {
        Url = url;
        AuthType = authType;
        Key = key;
        EventTypes = eventTypes;
    }

    /// <summary>live_event_type_callback_url, as configured.</summary>
    public string Url { get; }

    /// <summary>NONE, MSS_A or MSS_A_HEAD.</summary>
    public string AuthType { get; }

    public string Key { get; }

    /// <summary>callback_event_type; all three when the request listed none.</summary>
    public IReadOnlyList<string> EventTypes { get; }

    public bool Wants(string eventType) => EventTypes.Contains(eventType, StringComparer.Ordinal);

    /// <summary>The target of a job's raw config; null with a reason when nothing can be sent (no URL, a URL the emulator will not call, an auth type it does not emulate).</summary>
    public static CallbackTarget? TryParse(string? configJson, out string? reason)
    {
        reason = null;
        if (configJson is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(configJson);
        var root = doc.RootElement;
        string? url = Text(root, "live_event_type_callback_url");
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }

        if (!IsAllowed(url!))
        {
            reason = "only https URLs and http URLs to a loopback address are called";
            return null;
        }

        string authType = Text(root, "auth_type") ?? "NONE";
        if (authType is not ("NONE" or "MSS_A" or "MSS_A_HEAD"))
        {
            reason = $"auth_type {authType} is not emulated";
            return null;
        }

        var types = root.TryGetProperty("callback_event_type", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
            : Array.Empty<string>();
        return new CallbackTarget(url!, authType, Text(root, "key") ?? string.Empty, types.Length > 0 ? types : AllEventTypes);
    }

    /// <summary>https anywhere; http only to this computer (a local receiver), never to another host in clear text.</summary>
    public static bool IsAllowed(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 &&
        (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)))));

    /// <summary>
    /// The address to post to and the headers to add at <paramref name="now"/>: MSS_A appends
    /// hwSecret and hwTime to the query, MSS_A_HEAD sends them as x-hw-mss-secret and x-hw-mss-time,
    /// NONE sends the URL as configured. hwTime is the Unix time in seconds in lower-case hex, hwSecret the
    /// lower-case hex HMAC-SHA256 of the signed URL text followed by hwTime.
    /// </summary>
    public (string Url, IReadOnlyList<KeyValuePair<string, string>> Headers) Sign(DateTimeOffset now)
    {
        if (AuthType == "NONE")
        {
            return (Url, Array.Empty<KeyValuePair<string, string>>());
        }

        string time = now.ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture);
        string secret = HmacHex(Key, SignedUrlText(Url) + time);
        if (AuthType == "MSS_A_HEAD")
        {
            return (Url, new[] { new KeyValuePair<string, string>("x-hw-mss-secret", secret), new KeyValuePair<string, string>("x-hw-mss-time", time) });
        }

        string withoutFragment = Url.Split('#')[0];
        return (withoutFragment + (withoutFragment.Contains('?') ? "&" : "?") + "hwSecret=" + secret + "&hwTime=" + time, Array.Empty<KeyValuePair<string, string>>());
    }

    /// <summary>URI(url): no scheme or fragment, the query's parameters in name order (as the SDKs' example for x-hw-mss-secret shows).</summary>
    internal static string SignedUrlText(string url)
    {
        string rest = url.Split('#')[0];
        rest = rest.Substring(rest.IndexOf("://", StringComparison.Ordinal) + 3);
        string[] parts = rest.Split('?', 2);
        if (parts.Length == 1)
        {
            return rest;
        }

        var sorted = parts[1].Split('&', StringSplitOptions.RemoveEmptyEntries).OrderBy(p => p.Split('=', 2)[0], StringComparer.Ordinal).ToArray();
        return sorted.Length == 0 ? parts[0] : parts[0] + "?" + string.Join('&', sorted);
    }

    private static string HmacHex(string key, string text) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
