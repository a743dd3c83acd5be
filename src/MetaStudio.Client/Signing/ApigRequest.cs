using System;
using System.Collections.Generic;

namespace MetaStudio.Client.Signing;

/// <summary>
/// One HTTP request as the signer sees it. Sign a fresh instance for every attempt: the
/// signature is bound to the X-Sdk-Date it was made with.
/// </summary>
public sealed class ApigRequest
{
    public ApigRequest(string method, string host, string path)
    {
        if (string.IsNullOrEmpty(method))
        {
            throw new ArgumentException("An HTTP method is required.", nameof(method));
        }

        if (string.IsNullOrEmpty(host))
        {
            throw new ArgumentException("A host (host[:port]) is required.", nameof(host));
        }

        Method = method.ToUpperInvariant();
        Host = host;
        Path = path ?? string.Empty;
    }

    /// <summary>HTTP method, upper case.</summary>
    public string Method { get; }

    /// <summary>The Host header value: host, plus :port when the port is not the scheme's default.</summary>
    public string Host { get; }

    /// <summary>The unencoded path, e.g. <c>/v1/{project}/smart-live-rooms/{room}/smart-live-jobs</c>.</summary>
    public string Path { get; }

    /// <summary>Query parameters, raw (unencoded), in any order; keys may repeat.</summary>
    public IList<KeyValuePair<string, string>> Query { get; } = new List<KeyValuePair<string, string>>();

    /// <summary>
    /// Headers to send. The signer adds Host, X-Sdk-Date, X-Security-Token, X-Sdk-Content-Sha256 and
    /// Authorization here, so after signing this is exactly the header set for the wire.
    /// </summary>
    public IList<KeyValuePair<string, string>> Headers { get; } = new List<KeyValuePair<string, string>>();

    /// <summary>The exact body bytes (empty for GET).</summary>
    public byte[] Body { get; set; } = Array.Empty<byte>();

    /// <summary>The value of the named header (case-insensitive), or null.</summary>
    public string? GetHeader(string name)
    {
        int i = IndexOfHeader(name);
        return i < 0 ? null : Headers[i].Value;
    }

    /// <summary>Sets a header, replacing any value under the same name (case-insensitive).</summary>
    public void SetHeader(string name, string value)
    {
        int i = IndexOfHeader(name);
        var entry = new KeyValuePair<string, string>(name, value);
        if (i < 0)
        {
            Headers.Add(entry);
        }
        else
        {
            Headers[i] = entry;
        }
    }

    internal int IndexOfHeader(string name)
    {
        for (int i = 0; i < Headers.Count; i++)
        {
            if (string.Equals(Headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
