using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace MetaStudio.Client.SmartLive;

/// <summary>
/// The commands ExecuteSmartLiveCommand takes (ControlSmartLiveReq.command) and the checks made before
/// one is sent. The list is the API page's; the SDKs' enums (PY 3.1.211, NET, GO) have all of them
/// but SHOW_LAYER.
/// </summary>
public static class SmartLiveCommands
{
    public const string InsertPlayScript = "INSERT_PLAY_SCRIPT";
    public const string InsertPlayAudio = "INSERT_PLAY_AUDIO";
    public const string GetCurrentPlayingScripts = "GET_CURRENT_PLAYING_SCRIPTS";
    public const string GetLiveJobConfigInfo = "GET_LIVE_JOB_CONFIG_INFO";

    /// <summary>
    /// The longest PlayTextInfo text, in characters. PlayTextInfo is defined on the API's appendix page
    /// "直播控制HTTP Command命令说明" (metastudio_02_0014), not in the SDK models: its text goes in
    /// <c>text_config</c> (TextConfig), whose <c>text</c> is "取值最小长度1,最大长度131072".
    /// </summary>
    public const int MaxTextLength = 131_072;

    /// <summary>The most characters of spoken text (outside SSML tags): the SDK's TextConfig (text_config.py), "不含SSML标签字符数最长10000个字符".</summary>
    public const int MaxSpokenTextLength = 10_000;

    /// <summary>The longest audio URL: PlayAudioInfo.audio_url, "取值最小长度0,最大长度2048" (the same appendix page).</summary>
    public const int MaxAudioUrlLength = 2_048;

    /// <summary>PlayTextInfo / PlayAudioInfo play_type: when the inserted line plays (the service's defaults: PLAY_NOW for text, APPEND for audio).</summary>
    public static readonly IReadOnlyList<string> PlayTypes = new[] { "APPEND", "INSERT", "PLAY_NOW" };

    /// <summary>PlayTextInfo / PlayAudioInfo play_role: who says it (the service's default: STREAMER).</summary>
    public static readonly IReadOnlyList<string> PlayRoles = new[] { "STREAMER", "CO_STREAMER" };

    /// <summary>INSERT_PLAY_SCRIPT's params: <c>{"text_config": {"text": …}}</c>, with play_type and play_role when given.</summary>
    public static Dictionary<string, object?> PlayTextInfo(string text, string? playType, string? playRole)
    {
        ValidateText(text);
        return WithPlayOptions(new Dictionary<string, object?> { ["text_config"] = new Dictionary<string, object?> { ["text"] = text } }, playType, playRole);
    }

    /// <summary>INSERT_PLAY_AUDIO's params: <c>{"audio_url": …}</c>, with play_type and play_role when given.</summary>
    public static Dictionary<string, object?> PlayAudioInfo(string url, string? playType, string? playRole)
    {
        ValidateAudioUrl(url);
        return WithPlayOptions(new Dictionary<string, object?> { ["audio_url"] = url }, playType, playRole);
    }

    private static Dictionary<string, object?> WithPlayOptions(Dictionary<string, object?> info, string? playType, string? playRole)
    {
        if (PlayOption(playType, "PlayType") is { } type)
        {
            info["play_type"] = type;
        }

        if (PlayOption(playRole, "PlayRole") is { } role)
        {
            info["play_role"] = role;
        }

        return info;
    }

    /// <summary>Upper-cased; open (the service may add values), but at most 32 letters, digits and underscores as documented.</summary>
    private static string? PlayOption(string? value, string parameter)
    {
        if (value is null)
        {
            return null;
        }

        string trimmed = value.Trim().ToUpperInvariant();
        return trimmed.Length is > 0 and <= 32 && trimmed.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_')
            ? trimmed
            : throw new ArgumentException($"-{parameter} '{Text.ConsoleText.Shorten(value, 40)}' is not a play {(parameter == "PlayType" ? "type" : "role")}: use one of {string.Join(", ", parameter == "PlayType" ? PlayTypes : PlayRoles)}.", parameter);
    }

    /// <summary>Every documented command with what it does, in the API page's order.</summary>
    public static readonly IReadOnlyList<(string Name, string Meaning)> Known = new[]
    {
        (InsertPlayScript, "Insert a script to speak (PlayTextInfo), e.g. a reply to viewers"),
        (InsertPlayAudio, "Insert audio to play (PlayAudioInfo)"),
        ("REWRITE_PLAY_SCRIPT", "Rewrite the scripts not played yet (scene_scripts)"),
        ("REWRITE_INTERACTION_RULES", "Replace the interaction rules (interaction_rules)"),
        (GetCurrentPlayingScripts, "Read the scripts of the current round (read-only)"),
        ("SHOW_LAYER", "Show a guide layer (LiveGuideRuleInfo)"),
        ("REFRESH_OUTPUT_URL", "Change the RTMP push address (RefreshOutputUrlConfig)"),
        (GetLiveJobConfigInfo, "Read the room definition the live runs with (read-only)"),
        ("CLEAN_UP_INSERT_COMMAND", "Drop inserted commands not played yet"),
        ("RESET_EXIT_CONFIG", "Change when the live ends (LiveExitConfig)"),
    };

    public static IReadOnlyList<string> Names { get; } = Known.Select(k => k.Name).ToArray();

    /// <summary>Commands that only read: they change nothing on the live, so they are never confirmed.</summary>
    public static bool IsReadOnly(string command) => command is GetCurrentPlayingScripts or GetLiveJobConfigInfo;

    /// <summary>The command as the API spells it (upper case, trimmed).</summary>
    /// <exception cref="ArgumentException">Not a documented command (ParamName Command); the message lists them.</exception>
    public static string Normalize(string? command)
    {
        string name = (command ?? string.Empty).Trim().ToUpperInvariant();
        return Names.Contains(name, StringComparer.Ordinal)
            ? name
            : throw new ArgumentException(
                $"-Command '{Text.ConsoleText.Shorten(command, 64)}' is not a smart live command. Use one of: {string.Join(", ", Names)}.", "Command");
    }

    /// <exception cref="ArgumentException">Empty, or longer than PlayTextInfo takes (ParamName Text).</exception>
    public static void ValidateText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("-Text is empty: give the words the digital human is to say.", "Text");
        }

        if (text!.Length > MaxTextLength)
        {
            throw new ArgumentException($"-Text has {text.Length:N0} characters; the API takes at most {MaxTextLength:N0} (PlayTextInfo text_config.text).", "Text");
        }

        int spoken = Regex.Replace(text, "<[^<>]*>", string.Empty).Length;
        if (spoken > MaxSpokenTextLength)
        {
            throw new ArgumentException($"-Text has {spoken:N0} characters outside SSML tags; the API takes at most {MaxSpokenTextLength:N0} (TextConfig.text). Split it into several commands.", "Text");
        }
    }

    /// <summary>An absolute http(s) URL without user information, spaces or control characters, at most 2,048 characters.</summary>
    /// <exception cref="ArgumentException">Anything else (ParamName AudioUrl).</exception>
    public static void ValidateAudioUrl(string? url)
    {
        const string Form = "an absolute http:// or https:// address of an MP3 file, at most 2,048 characters, e.g. https://bucket.obs.example.com/reply.mp3";
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new ArgumentException($"-AudioUrl is empty; give {Form}.", "AudioUrl");
        }

        if (url!.Length > MaxAudioUrlLength)
        {
            throw new ArgumentException($"-AudioUrl has {url.Length:N0} characters; the API takes at most {MaxAudioUrlLength:N0} (PlayAudioInfo audio_url).", "AudioUrl");
        }

        if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ||
            !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            throw new ArgumentException($"-AudioUrl '{Text.ConsoleText.Shorten(url, 80)}' is not {Form}.", "AudioUrl");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new ArgumentException("-AudioUrl has a user name or password in it, which the service would keep in its command records; give a signed or public address instead.", "AudioUrl");
        }
    }

    /// <summary>True when the address's path does not end in .mp3 (the service plays MP3 only): worth a warning, not a refusal (signed addresses may hide the name).</summary>
    public static bool LooksLikeNonMp3(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && !uri.AbsolutePath.EndsWith(".mp3", StringComparison.OrdinalIgnoreCase);
}
