using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace MetaStudio.Client.LiveEvents;

/// <summary>
/// Checks the signature MetaStudio puts on a live event callback (LiveEventCallBackConfig auth_type MSS_A
/// and MSS_A_HEAD): <c>hwSecret = hmac_sha256(Key, URI(live_event_callback_url) + hwTime)</c>,
/// <c>hwTime = hex(timestamp)</c>, in the URL's query (MSS_A) or in the headers <c>x-hw-mss-secret</c> and
/// <c>x-hw-mss-time</c> (MSS_A_HEAD). Where the API page is silent, the SDKs' worked example for the same
/// headers (CustomPlatformAuthConfig) decides, see <see cref="SignedText"/> and <see cref="ParseTime"/>.
/// </summary>
public static class LiveEventSignature
{
    public const string QuerySecret = "hwSecret";
    public const string QueryTime = "hwTime";
    public const string HeaderSecret = "x-hw-mss-secret";
    public const string HeaderTime = "x-hw-mss-time";

    /// <summary>The key's documented length: 0 to 32 characters.</summary>
    public const int MaxKeyLength = 32;

    /// <summary>Times at or above this are milliseconds (as seconds they would be past the year 5000).</summary>
    public const long MillisecondsFrom = 100_000_000_000;

    /// <summary>
    /// URI(live_event_callback_url): the configured URL without its scheme and fragment, host (and port, as
    /// written) and path as written, the query parameters sorted by name (ordinal; ties keep their order)
    /// and no '?' when there is no query. This is the SDKs' example for the same x-hw-mss-* headers:
    /// "hmac_sha256(Key, URI(product_query_url, query参数按照Key的字典序排列) + x-hw-mss-time)" with
    /// https://api.example.com/v1/products?live_id=111&amp;limit=10&amp;offset=0 signed as
    /// "api.example.com/v1/products?limit=10&amp;live_id=111&amp;offset=0" followed by the time.
    /// </summary>
    public static string SignedText(string callbackUrl)
    {
        string url = CheckCallbackUrl(callbackUrl);
        int hash = url.IndexOf('#');
        if (hash >= 0)
        {
            url = url.Substring(0, hash);
        }

        string rest = url.Substring(url.IndexOf("://", StringComparison.Ordinal) + 3);
        int question = rest.IndexOf('?');
        if (question < 0)
        {
            return rest;
        }

        var pairs = rest.Substring(question + 1).Split('&').Where(p => p.Length > 0)
            .OrderBy(p => p.IndexOf('=') is int eq && eq >= 0 ? p.Substring(0, eq) : p, StringComparer.Ordinal).ToList();
        return pairs.Count == 0 ? rest.Substring(0, question) : rest.Substring(0, question) + "?" + string.Join("&", pairs);
    }

    /// <summary>
    /// Reads hwTime: hexadecimal digits (either case, at most 16, no 0x) of a Unix time in seconds, as the
    /// SDKs' example has it ("66df9308 (即2024.09.10 08:30:00)"); a value of 10^11 or more is taken as
    /// milliseconds, which cannot be mistaken for seconds before the year 5138.
    /// </summary>
    public static bool TryParseTime(string? hwTime, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrEmpty(hwTime) || hwTime!.Length > 16 || !hwTime.All(IsHex) ||
            !ulong.TryParse(hwTime, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
        {
            return false;
        }

        const long MaxMilliseconds = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
        if (value >= MillisecondsFrom)
        {
            if (value > MaxMilliseconds)
            {
                return false;
            }

            time = DateTimeOffset.FromUnixTimeMilliseconds((long)value);
            return true;
        }

        time = DateTimeOffset.FromUnixTimeSeconds((long)value);
        return true;
    }

    /// <summary>Checks one callback's signature and time.</summary>
    /// <param name="authType">MSS_A or MSS_A_HEAD (where the values came from).</param>
    /// <param name="secrets">Every value of hwSecret / x-hw-mss-secret received (a second one is refused).</param>
    /// <param name="times">Every value of hwTime / x-hw-mss-time received.</param>
    /// <param name="callbackUrl">The configured live_event_type_callback_url.</param>
    /// <param name="key">The configured key, 0 to 32 characters.</param>
    /// <param name="maxAge">How far the time may be from <paramref name="now"/>, either way.</param>
    /// <exception cref="ArgumentException">A bad callback URL or key (ParamName CallbackUrl or Key).</exception>
    public static LiveEventSignatureResult Verify(string authType, IReadOnlyList<string> secrets, IReadOnlyList<string> times,
        string callbackUrl, string key, TimeSpan maxAge, DateTimeOffset now)
    {
        string signedUrl = SignedText(callbackUrl);
        CheckKey(key);
        bool inHeaders = authType == "MSS_A_HEAD";
        string secretName = inHeaders ? HeaderSecret : QuerySecret, timeName = inHeaders ? HeaderTime : QueryTime;
        string where = inHeaders ? "headers" : "URL's query";
        if (secrets.Count == 0 || times.Count == 0)
        {
            string missing = secrets.Count == 0 && times.Count == 0 ? $"{secretName} and {timeName}" : secrets.Count == 0 ? secretName : timeName;
            return new(LiveEventSignatureReason.MissingField, authType, null, null, $"The {where} {(inHeaders ? "have" : "has")} no {missing} ({authType} puts {secretName} and {timeName} there).");
        }

        if (times.Count > 1)
        {
            return new(LiveEventSignatureReason.MalformedTime, authType, null, null, $"The {where} {(inHeaders ? "have" : "has")} {timeName} {times.Count} times; a signed callback has it once.");
        }

        if (!TryParseTime(times[0], out var time))
        {
            return new(LiveEventSignatureReason.MalformedTime, authType, null, null,
                $"{timeName} '{Text.ConsoleText.Shorten(times[0], 24)}' is not a Unix time in hexadecimal digits (seconds, such as 66df9308; milliseconds are recognised by their size).");
        }

        DateTime timestamp = time.UtcDateTime;
        TimeSpan age = now - time;
        if (secrets.Count > 1)
        {
            return new(LiveEventSignatureReason.MalformedSignature, authType, timestamp, age, $"The {where} {(inHeaders ? "have" : "has")} {secretName} {secrets.Count} times; a signed callback has it once.");
        }

        if (!TryParseHex(secrets[0], out byte[] received))
        {
            return new(LiveEventSignatureReason.MalformedSignature, authType, timestamp, age,
                $"{secretName} is {secrets[0].Length} characters that are not 64 hexadecimal digits (an HMAC-SHA256 written in hex; base64 is not what the service sends).");
        }

        byte[] expected;
        using (var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(key)))
        {
            expected = hmac.ComputeHash(Encoding.UTF8.GetBytes(signedUrl + times[0]));
        }

        if (!FixedTimeEquals(expected, received))
        {
            return new(LiveEventSignatureReason.BadSignature, authType, timestamp, age,
                $"{secretName} does not match the callback URL and {timeName} under this key: a different key or callback URL, or the request was changed.");
        }

        if (age > maxAge)
        {
            return new(LiveEventSignatureReason.Expired, authType, timestamp, age,
                $"Signed at {timestamp:yyyy-MM-ddTHH:mm:ssZ}, {Seconds(age)} s ago; at most {Seconds(maxAge)} s is accepted (-MaxAgeSec).");
        }

        if (-age > maxAge)
        {
            return new(LiveEventSignatureReason.FromTheFuture, authType, timestamp, age,
                $"Signed at {timestamp:yyyy-MM-ddTHH:mm:ssZ}, {Seconds(-age)} s ahead of this computer's clock; at most {Seconds(maxAge)} s is accepted (-MaxAgeSec): check both clocks.");
        }

        return new(LiveEventSignatureReason.Valid, authType, timestamp, age, $"Signed with the key over the callback URL at {timestamp:yyyy-MM-ddTHH:mm:ssZ}, {Seconds(age)} s ago.");
    }

    /// <summary>The callback URL, checked: an absolute http(s) URL of at most 2,048 characters without control characters.</summary>
    /// <exception cref="ArgumentException">ParamName CallbackUrl.</exception>
    public static string CheckCallbackUrl(string? callbackUrl)
    {
        if (callbackUrl is null || callbackUrl.Length > 2048 || callbackUrl.Any(char.IsControl) ||
            !Uri.TryCreate(callbackUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) ||
            callbackUrl.IndexOf("://", StringComparison.Ordinal) < 0)
        {
            throw new ArgumentException(
                $"-CallbackUrl '{Text.ConsoleText.Shorten(callbackUrl, 100)}' is not the callback URL as configured: give the live_event_type_callback_url the live was started with, such as https://events.example.com/metastudio?tenant=a (absolute https or http, at most 2,048 characters).",
                "CallbackUrl");
        }

        return callbackUrl;
    }

    /// <exception cref="ArgumentException">ParamName Key.</exception>
    public static void CheckKey(string key)
    {
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"-Key is {key.Length} characters; a callback key has 0 to {MaxKeyLength} (LiveEventCallBackConfig key).", "Key");
        }
    }

    /// <summary>Compares every byte whatever the first difference, so the time taken says nothing about the expected value.</summary>
    internal static bool FixedTimeEquals(byte[] a, byte[] b)
    {
        int difference = a.Length ^ b.Length;
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            difference |= a[i] ^ b[i];
        }

        return difference == 0;
    }

    private static bool TryParseHex(string text, out byte[] bytes)
    {
        bytes = new byte[32];
        if (text.Length != 64)
        {
            return false;
        }

        for (int i = 0; i < 32; i++)
        {
            int high = HexValue(text[2 * i]), low = HexValue(text[(2 * i) + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            bytes[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    private static int HexValue(char c) => c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

    private static bool IsHex(char c) => HexValue(c) >= 0;

    private static string Seconds(TimeSpan span) => Math.Round(span.TotalSeconds).ToString("0", CultureInfo.InvariantCulture);
}
