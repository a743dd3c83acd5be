using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Http;

namespace MetaStudio.Emulator;

/// <summary>
/// How a request is written into <see cref="EmulatorServer.Requests"/>: cut to a bounded size, with
/// secret header values masked unless <see cref="EmulatorOptions.RecordSecretHeaders"/> is on.
/// </summary>
internal static class RequestLog
{
    public const string Mask = "***";

    // Estimated bytes a recorded request costs besides its text (record, dictionary, string headers).
    private const long EntryOverhead = 256;
    private const long PerStringOverhead = 32;

    /// <summary>Headers whose whole value is a secret.</summary>
    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "X-Auth-Token", "X-Security-Token", "X-Subject-Token", "Cookie", "Set-Cookie",
    };

    /// <summary>Headers of the form <c>SCHEME params</c> whose parameters may hold a secret (a signature, a bearer token).</summary>
    private static readonly HashSet<string> CredentialHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization",
    };

    public static (RecordedRequest Request, long Bytes) Entry(string method, string rawPath, string rawQuery, IHeaderDictionary headers,
        bool recordSecrets, int status, string requestId, string? fault, DateTimeOffset receivedAt)
    {
        var recorded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        long bytes = EntryOverhead;
        foreach (var header in headers)
        {
            if (recorded.Count == EmulatorServer.MaxRecordedHeaders)
            {
                break;
            }

            string name = Cut(header.Key, EmulatorServer.MaxRecordedHeaderNameLength);
            string value = header.Value.ToString();
            if (!recordSecrets)
            {
                value = SecretHeaders.Contains(header.Key) ? Mask : CredentialHeaders.Contains(header.Key) ? MaskCredentials(value) : value;
            }

            value = Cut(value, EmulatorServer.MaxRecordedHeaderValueLength);
            if (recorded.TryAdd(name, value))
            {
                bytes += Size(name) + Size(value);
            }
        }

        var request = new RecordedRequest(Cut(method, EmulatorServer.MaxRecordedHeaderNameLength), Cut(rawPath, EmulatorServer.MaxRecordedTextLength),
            Cut(rawQuery, EmulatorServer.MaxRecordedTextLength), recorded, status, requestId, fault, receivedAt);
        bytes += Size(request.Method) + Size(request.Path) + Size(request.Query) + Size(requestId) + Size(fault);
        return (request, bytes);
    }

    /// <summary>
    /// <c>SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex</c> →
    /// <c>SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=***</c>: the scheme, the access key id and
    /// the signed header names stay (tests assert them); every other parameter's value is masked, and a
    /// value that is not <c>SCHEME name=value, …</c> is masked after its scheme (<c>Bearer ***</c>) or whole.
    /// </summary>
    internal static string MaskCredentials(string value)
    {
        string trimmed = value.Trim();
        int space = trimmed.IndexOf(' ');
        if (space <= 0 || space > 64)
        {
            return Mask;
        }

        var parts = new List<string>();
        foreach (string part in trimmed.Substring(space + 1).Split(','))
        {
            string p = part.Trim();
            int eq = p.IndexOf('=');
            string name = eq > 0 ? p.Substring(0, eq).Trim() : string.Empty;
            parts.Add(name.Length == 0 ? Mask
                : name.Equals("Access", StringComparison.OrdinalIgnoreCase) || name.Equals("SignedHeaders", StringComparison.OrdinalIgnoreCase) ? p
                : name + "=" + Mask);
        }

        return trimmed.Substring(0, space) + " " + string.Join(", ", parts);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    private static long Size(string? text) => text is null ? 0 : PerStringOverhead + (2L * text.Length);
}
