using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace MetaStudio.Client.Signing;

/// <summary>
/// Signs requests with the API gateway's AK/SK scheme, SDK-HMAC-SHA256, as the official Huawei
/// Cloud SDKs do: canonical request → string to sign → HMAC-SHA256 keyed with the SK.
/// </summary>
public static class ApigSigner
{
    public const string Algorithm = "SDK-HMAC-SHA256";
    public const string DateHeader = "X-Sdk-Date";
    public const string ContentSha256Header = "X-Sdk-Content-Sha256";
    public const string SecurityTokenHeader = "X-Security-Token";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>yyyyMMdd'T'HHmmss'Z', always formatted with the invariant (Gregorian) calendar.</summary>
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>
    /// Signs <paramref name="request"/> in place: adds Host, X-Sdk-Date (unless present),
    /// X-Security-Token (temporary credentials), X-Sdk-Content-Sha256 (non-JSON content) and
    /// Authorization, and returns the intermediate strings for diagnostics.
    /// </summary>
    public static ApigSignature Sign(ApigRequest request, AkSkCredential credential, DateTime utcNow)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (credential is null)
        {
            throw new ArgumentNullException(nameof(credential));
        }

        if (request.IndexOfHeader("Authorization") >= 0)
        {
            throw new InvalidOperationException("The request is already signed; build and sign a fresh request for every attempt.");
        }

        if (request.IndexOfHeader("Host") < 0)
        {
            request.Headers.Add(new KeyValuePair<string, string>("Host", request.Host));
        }

        if (request.IndexOfHeader(DateHeader) < 0)
        {
            request.Headers.Add(new KeyValuePair<string, string>(DateHeader, FormatDate(utcNow)));
        }

        if (credential.SecurityToken != null)
        {
            request.SetHeader(SecurityTokenHeader, credential.SecurityToken);
        }

        // As the SDKs decide it: any content type naming application/json (with a charset, say) signs its body.
        string? contentType = request.GetHeader("Content-Type");
        if (contentType != null &&
            contentType.IndexOf("application/json", StringComparison.OrdinalIgnoreCase) < 0 &&
            request.IndexOfHeader(ContentSha256Header) < 0)
        {
            request.Headers.Add(new KeyValuePair<string, string>(ContentSha256Header, UnsignedPayload));
        }

        // Header values are signed trimmed (as the Python, .NET and Go SDKs do) and sent trimmed.
        for (int i = 0; i < request.Headers.Count; i++)
        {
            var h = request.Headers[i];
            request.Headers[i] = new KeyValuePair<string, string>(h.Key, h.Value.Trim());
        }

        string sdkDate = request.GetHeader(DateHeader)!;
        string payloadHash = request.GetHeader(ContentSha256Header) ?? ApigEncoding.Sha256Hex(request.Body);

        var signed = SignedHeaderSet(request.Headers);
        string signedHeaders = string.Join(";", signed.Select(h => h.Key));

        var canonical = new StringBuilder(512)
            .Append(request.Method).Append('\n')
            .Append(CanonicalUri(request.Path)).Append('\n')
            .Append(CanonicalQueryString(request.Query)).Append('\n');
        foreach (var h in signed)
        {
            canonical.Append(h.Key).Append(':').Append(h.Value).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        string canonicalRequest = canonical.ToString();

        string stringToSign = Algorithm + "\n" + sdkDate + "\n" +
                              ApigEncoding.Sha256Hex(Encoding.UTF8.GetBytes(canonicalRequest));

        string signature;
        using (var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(credential.SecretKey)))
        {
            signature = ApigEncoding.ToLowerHex(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
        }

        string authorization = Algorithm + " Access=" + credential.AccessKey +
                                ", SignedHeaders=" + signedHeaders + ", Signature=" + signature;
        request.Headers.Add(new KeyValuePair<string, string>("Authorization", authorization));

        return new ApigSignature(canonicalRequest, stringToSign, signedHeaders, signature, authorization);
    }

    /// <summary>Formats a time as an X-Sdk-Date value, whatever the current culture's calendar.</summary>
    public static string FormatDate(DateTime utcTime)
    {
        if (utcTime.Kind == DateTimeKind.Local)
        {
            utcTime = utcTime.ToUniversalTime();
        }

        return utcTime.ToString(DateFormat, CultureInfo.InvariantCulture);
    }

    /// <summary>Parses an X-Sdk-Date value to a UTC time; false when it is not in that exact form.</summary>
    public static bool TryParseDate(string? value, out DateTime utcTime) =>
        DateTime.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utcTime);

    /// <summary>
    /// The canonical URI: the path percent-decoded, split on '/', each segment encoded once, and
    /// always ending in '/' (the gateway signs <c>/a/b</c> as <c>/a/b/</c>).
    /// </summary>
    public static string CanonicalUri(string path)
    {
        string decoded = Uri.UnescapeDataString(path ?? string.Empty);
        string[] segments = decoded.Split('/');
        var sb = new StringBuilder(decoded.Length + 16);
        for (int i = 0; i < segments.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('/');
            }

            sb.Append(ApigEncoding.PercentEncode(segments[i]));
        }

        if (sb.Length == 0 || sb[0] != '/')
        {
            sb.Insert(0, '/');
        }

        if (sb[sb.Length - 1] != '/')
        {
            sb.Append('/');
        }

        return sb.ToString();
    }

    /// <summary>
    /// The canonical query string, which is also what goes on the wire: pairs sorted ordinally by raw
    /// key, then by raw value, each side percent-encoded, joined with '&amp;' (empty value: <c>k=</c>).
    /// </summary>
    public static string CanonicalQueryString(IEnumerable<KeyValuePair<string, string>> query)
    {
        var pairs = query.ToList();
        if (pairs.Count == 0)
        {
            return string.Empty;
        }

        pairs.Sort((a, b) =>
        {
            int byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value ?? string.Empty, b.Value ?? string.Empty);
        });

        var sb = new StringBuilder();
        foreach (var p in pairs)
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }

            sb.Append(ApigEncoding.PercentEncode(p.Key)).Append('=').Append(ApigEncoding.PercentEncode(p.Value ?? string.Empty));
        }

        return sb.ToString();
    }

    // Every header is signed except names containing '_' (SDK-internal headers, sent unsigned),
    // names lower-cased and sorted ordinally.
    private static List<KeyValuePair<string, string>> SignedHeaderSet(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var list = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var h in headers)
        {
            string name = h.Key.ToLowerInvariant();
            if (name.IndexOf('_') >= 0 || name == "authorization")
            {
                continue;
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"The header '{h.Key}' appears twice; send one value per header.", nameof(headers));
            }

            list.Add(new KeyValuePair<string, string>(name, h.Value));
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return list;
    }
}

/// <summary>The strings a signature was computed from, for tests and redacted diagnostics.</summary>
public sealed class ApigSignature
{
    internal ApigSignature(string canonicalRequest, string stringToSign, string signedHeaders, string signature, string authorization)
    {
        CanonicalRequest = canonicalRequest;
        StringToSign = stringToSign;
        SignedHeaders = signedHeaders;
        Signature = signature;
        Authorization = authorization;
    }

    public string CanonicalRequest { get; }

    public string StringToSign { get; }

    public string SignedHeaders { get; }

    internal string Signature { get; }

    internal string Authorization { get; }

    public override string ToString() => Algorithm + " SignedHeaders=" + SignedHeaders;

    private const string Algorithm = ApigSigner.Algorithm;
}
