using System;
using System.Collections.Generic;

namespace MetaStudio.Client.Http;

/// <summary>How hard a request tries: attempts (the first plus retries), the timeout of each, and the body limit.</summary>
public sealed class RequestOptions
{
    public const int DefaultMaxAttempts = 4;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Error bodies are read up to this many bytes; the rest is dropped (they are only shown in part).</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Attempts in all, 1–11 (one try plus up to ten retries, the SDKs' cap).</summary>
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    /// <summary>Time allowed for one attempt, response body included.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Longest Retry-After the client waits; a longer one ends the retries.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Base of the exponential backoff (full jitter: a random wait up to base × 2^retry, capped).</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan BackoffCap { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest success body accepted, counted after decompression; a larger one fails the call.</summary>
    public long MaxResponseBytes { get; set; } = Connection.MetaStudioContext.DefaultMaxResponseBytes;

    /// <summary>Paces every attempt; null for none.</summary>
    public RateLimiter? RateLimiter { get; set; }
}

/// <summary>One HTTP attempt, for -Verbose and -Debug. Secrets are already masked; service text is not yet escaped.</summary>
public sealed class RequestTrace
{
    public string Method { get; internal set; } = "";

    /// <summary>Path and query as sent.</summary>
    public string PathAndQuery { get; internal set; } = "";

    /// <summary>scheme://host:port the attempt went to.</summary>
    public string Endpoint { get; internal set; } = "";

    public int Attempt { get; internal set; }

    /// <summary>Attempts allowed in all for this call (more after a clock-skew re-sign).</summary>
    public int MaxAttempts { get; internal set; }

    /// <summary>HTTP status; null when no response arrived.</summary>
    public int? Status { get; internal set; }

    public long ElapsedMs { get; internal set; }

    public string? RequestId { get; internal set; }

    /// <summary>What went wrong, when it did.</summary>
    public string? Error { get; internal set; }

    /// <summary>Something the user should know (the local clock is off), when there is.</summary>
    public string? Warning { get; internal set; }

    /// <summary>What happens next, when it is not a plain retry (the next endpoint is tried).</summary>
    public string? Note { get; internal set; }

    /// <summary>Set when another attempt follows after this wait.</summary>
    public TimeSpan? RetryAfter { get; internal set; }

    public IReadOnlyList<KeyValuePair<string, string>> RequestHeaders { get; internal set; } = Array.Empty<KeyValuePair<string, string>>();

    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; internal set; } = Array.Empty<KeyValuePair<string, string>>();
}
