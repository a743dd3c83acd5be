using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace MetaStudio.Emulator.Auth;

/// <summary>The parts of an <c>Authorization: SDK-HMAC-SHA256 …</c> header.</summary>
public sealed record AuthorizationHeader(string AccessKey, IReadOnlyList<string> SignedHeaders, string Signature)
{
    public const string Algorithm = "SDK-HMAC-SHA256";

    /// <summary>Parses <c>SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex</c>; null when malformed.</summary>
    public static AuthorizationHeader? Parse(string? value)
    {
        if (value is null || !value.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }

        string? access = null, signed = null, signature = null;
        foreach (string part in value.Substring(Algorithm.Length + 1).Split(','))
        {
            string p = part.Trim();
            int eq = p.IndexOf('=');
            if (eq <= 0)
            {
                return null;
            }

            string name = p.Substring(0, eq), v = p.Substring(eq + 1);
            switch (name)
            {
                case "Access": access = v; break;
                case "SignedHeaders": signed = v; break;
                case "Signature": signature = v; break;
                default: return null;
            }
        }

        if (string.IsNullOrEmpty(access) || string.IsNullOrEmpty(signed) || string.IsNullOrEmpty(signature))
        {
            return null;
        }

        return new AuthorizationHeader(access, signed.Split(';'), signature);
    }
}

/// <summary>
/// Recomputes an SDK-HMAC-SHA256 signature from a request as it arrived on the wire, the way the
/// API gateway does: only the headers named in SignedHeaders count, and the path and query are
/// canonicalised from the raw request target. Written independently of the module's signer, so
/// the two check each other.
/// </summary>
public static class SignatureVerifier
{
    /// <param name="rawTarget">The request target as sent, e.g. <c>/v1/p/x?b=2&amp;a=1</c>.</param>
    /// <param name="headerValue">Looks up a header's value by lower-case name; null when absent.</param>
    public static (string CanonicalRequest, string Signature) Compute(
        string method, string rawTarget, IReadOnlyList<string> signedHeaders, Func<string, string?> headerValue,
        ReadOnlySpan<byte> body, string secretKey, string sdkDate)
    {
        int q = rawTarget.IndexOf('?');
        string rawPath = q < 0 ? rawTarget : rawTarget.Substring(0, q);
        string rawQuery = q < 0 ? string.Empty : rawTarget.Substring(q + 1);

        var sb = new StringBuilder();
        sb.Append(method.ToUpperInvariant()).Append('\n');
        sb.Append(CanonicalPath(rawPath)).Append('\n');
        sb.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (string name in signedHeaders)
        {
            sb.Append(name).Append(':').Append((headerValue(name) ?? string.Empty).Trim()).Append('\n');
        }

        sb.Append('\n').Append(string.Join(";", signedHeaders)).Append('\n');
        string? declared = headerValue("x-sdk-content-sha256");
        sb.Append(declared ?? Hex(SHA256.HashData(body)));

        string canonical = sb.ToString();
        string stringToSign = AuthorizationHeader.Algorithm + "\n" + sdkDate + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        string signature = Hex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));
        return (canonical, signature);
    }

    /// <summary>Constant-time comparison of two hex signatures.</summary>
    public static bool SignaturesMatch(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual.ToLowerInvariant()));

    internal static string CanonicalPath(string rawPath)
    {
        var segments = Uri.UnescapeDataString(rawPath).Split('/').Select(Encode);
        string path = string.Join("/", segments);
        if (!path.StartsWith('/'))
        {
            path = "/" + path;
        }

        return path.EndsWith('/') ? path : path + "/";
    }

    internal static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.Length == 0)
        {
            return string.Empty;
        }

        var pairs = new List<(string Key, string Value)>();
        foreach (string part in rawQuery.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            int eq = part.IndexOf('=');
            string key = eq < 0 ? part : part.Substring(0, eq);
            string value = eq < 0 ? string.Empty : part.Substring(eq + 1);
            pairs.Add((Uri.UnescapeDataString(key), Uri.UnescapeDataString(value)));
        }

        return string.Join("&", pairs
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => Encode(p.Key) + "=" + Encode(p.Value)));
    }

    internal static string Encode(string value)
    {
        var sb = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
