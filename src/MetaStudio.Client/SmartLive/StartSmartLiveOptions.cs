using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MetaStudio.Client.Connection;

namespace MetaStudio.Client.SmartLive;

/// <summary>
/// What an operator sets most when starting a live, as typed values: each is checked here (naming the
/// cmdlet parameter) and set over the -Body tree at its place in the StartSmartLive request.
/// </summary>
public sealed class StartSmartLiveOptions
{
    public static readonly IReadOnlyList<string> PlayModes = new[] { "TEXT", "AUDIO", "NO_PRESET" };

    public static readonly IReadOnlyList<string> CallbackAuthTypes = new[] { "NONE", "MSS_A", "MSS_A_HEAD", "MEITUAN_DEFAULT" };

    public static readonly IReadOnlyList<string> CallbackEventTypes = new[] { "SHOOT_SCRIPT_SWITCH", "RTMP_STREAM_STATE_CHANGE", "REPLY_COMMAND_FINISH" };

    /// <summary>The callback key's longest documented length.</summary>
    public const int MaxCallbackKeyLength = 32;

    private static readonly Regex Token = new("^[A-Z][A-Z_]{0,63}$", RegexOptions.CultureInvariant);

    /// <summary>-OutputUrl → output_urls (RTMP push addresses).</summary>
    public IReadOnlyList<string>? OutputUrls { get; set; }

    /// <summary>-StreamKey → stream_keys (secret; one per output URL).</summary>
    public IReadOnlyList<string>? StreamKeys { get; set; }

    /// <summary>-MaxLiveDurationHours → play_policy.live_exit_config.max_live_duration (0 = no limit).</summary>
    public int? MaxLiveDurationHours { get; set; }

    /// <summary>-RepeatCount → play_policy.repeat_count (-1 = until stopped).</summary>
    public int? RepeatCount { get; set; }

    /// <summary>-PlayMode → play_policy.play_mode.</summary>
    public string? PlayMode { get; set; }

    /// <summary>-SingleJobInRoom → job_run_config.single_job_in_room.</summary>
    public bool SingleJobInRoom { get; set; }

    /// <summary>-CallbackUrl → live_event_callback_config.live_event_type_callback_url.</summary>
    public string? CallbackUrl { get; set; }

    /// <summary>-CallbackAuthType → live_event_callback_config.auth_type.</summary>
    public string? CallbackAuthType { get; set; }

    /// <summary>-CallbackKey → live_event_callback_config.key (secret).</summary>
    public string? CallbackKey { get; set; }

    /// <summary>-CallbackEventType → live_event_callback_config.callback_event_type.</summary>
    public IReadOnlyList<string>? CallbackEvents { get; set; }

    /// <summary>Checks every value (ArgumentException naming the parameter) and sets it over the body.</summary>
    public StartSmartLiveBody ApplyTo(StartSmartLiveBody body)
    {
        if (OutputUrls != null)
        {
            foreach (string url in OutputUrls)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("rtmp" or "rtmps") || url.Any(char.IsControl) || url.Length > 2048)
                {
                    throw new ArgumentException($"-OutputUrl '{Text.ConsoleText.Shorten(url, 100)}' is not an RTMP push address such as rtmp://push.example.com/live/room (rtmp:// or rtmps://, at most 2,048 characters).", "OutputUrl");
                }
            }

            body.Set("output_urls", OutputUrls.ToList());
        }

        if (StreamKeys != null)
        {
            foreach (string key in StreamKeys)
            {
                if (key.Length == 0 || key.Length > 1024 || key.Any(c => char.IsControl(c)))
                {
                    throw new ArgumentException("-StreamKey values must be 1 to 1,024 characters without control characters.", "StreamKey");
                }
            }

            body.Set("stream_keys", StreamKeys.ToList());
        }

        int urls = Count(body.Get("output_urls")), keys = Count(body.Get("stream_keys"));
        if (keys > 0 && keys != urls)
        {
            throw new ArgumentException($"-StreamKey gives {keys} stream key{(keys == 1 ? "" : "s")} for {urls} output URL{(urls == 1 ? "" : "s")}: give one stream key per -OutputUrl, in the same order.", "StreamKey");
        }

        if (MaxLiveDurationHours is { } hours)
        {
            if (hours is < 0 or > 168)
            {
                throw new ArgumentException($"-MaxLiveDurationHours {hours} is out of range: use 0 (no limit) to 168 hours.", "MaxLiveDurationHours");
            }

            body.Set("play_policy.live_exit_config.max_live_duration", hours);
        }

        if (RepeatCount is { } repeat)
        {
            if (repeat < -1)
            {
                throw new ArgumentException($"-RepeatCount {repeat} is out of range: use -1 (until stopped), 0 (once) or n (n more times).", "RepeatCount");
            }

            body.Set("play_policy.repeat_count", repeat);
        }

        if (PlayMode != null)
        {
            body.Set("play_policy.play_mode", Checked(PlayMode, "PlayMode", PlayModes));
        }

        if (SingleJobInRoom)
        {
            body.Set("job_run_config.single_job_in_room", true);
        }

        if (CallbackUrl != null)
        {
            body.Set("live_event_callback_config.live_event_type_callback_url", CheckCallbackUrl(CallbackUrl, "CallbackUrl"));
        }
        else if (body.Get("live_event_callback_config.live_event_type_callback_url") is string fromBody)
        {
            CheckCallbackUrl(fromBody, "Body");
        }

        if (CallbackAuthType != null)
        {
            body.Set("live_event_callback_config.auth_type", Checked(CallbackAuthType, "CallbackAuthType", CallbackAuthTypes));
        }

        if (CallbackKey != null)
        {
            if (CallbackKey.Length > MaxCallbackKeyLength || CallbackKey.Any(char.IsControl))
            {
                throw new ArgumentException($"-CallbackKey is {CallbackKey.Length} characters; the callback key has at most {MaxCallbackKeyLength}, without control characters.", "CallbackKey");
            }

            body.Set("live_event_callback_config.key", CallbackKey);
        }

        if (CallbackEvents != null)
        {
            body.Set("live_event_callback_config.callback_event_type", CallbackEvents.Select(e => Checked(e, "CallbackEventType", CallbackEventTypes)).ToList());
        }

        return body;
    }

    /// <summary>An https callback address, or http to this computer (a local receiver); the key and signature would otherwise cross the network in clear text.</summary>
    /// <summary>
    /// Callback settings that do less than they seem to (sent as given all the same): a key or auth type with no
    /// URL sends nothing; a signed auth type with no key signs with the empty key, which anyone can compute.
    /// </summary>
    public static IEnumerable<string> CallbackWarnings(StartSmartLiveBody body)
    {
        bool hasUrl = body.Get("live_event_callback_config.live_event_type_callback_url") is string url && url.Trim().Length > 0;
        bool hasKey = body.Get("live_event_callback_config.key") is string key && key.Length > 0;
        string? auth = (body.Get("live_event_callback_config.auth_type") as string)?.Trim().ToUpperInvariant();
        if (!hasUrl && (hasKey || auth != null))
        {
            yield return "The live event callback has a key or an authentication type but no URL (-CallbackUrl), so no event will be sent.";
        }
        else if (hasUrl && !hasKey && auth is "MSS_A" or "MSS_A_HEAD")
        {
            yield return $"-CallbackAuthType {auth} without -CallbackKey signs the callbacks with an empty key, which anyone can compute: give a key of up to {MaxCallbackKeyLength} characters.";
        }
    }

    public static string CheckCallbackUrl(string url, string parameter)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || url.Any(char.IsControl) || url.Length > 2048 ||
            !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && ContextResolver.IsLoopback(uri))))
        {
            throw new ArgumentException($"-{parameter}: the callback URL '{Text.ConsoleText.Shorten(url, 100)}' must be an absolute https address (http only to a loopback address, such as a local receiver), at most 2,048 characters.", parameter);
        }

        return url;
    }

    private static string Checked(string value, string parameter, IReadOnlyList<string> known)
    {
        string upper = value.Trim().ToUpperInvariant();
        if (!Token.IsMatch(upper))
        {
            throw new ArgumentException($"-{parameter} '{Text.ConsoleText.Shorten(value, 64)}' is not a value the API takes: use {string.Join(", ", known)}.", parameter);
        }

        return upper;
    }

    private static int Count(object? list) => list is System.Collections.IEnumerable items and not string ? items.Cast<object?>().Count() : list is null ? 0 : 1;
}
