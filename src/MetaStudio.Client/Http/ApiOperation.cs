using System.Net.Http;

namespace MetaStudio.Client.Http;

/// <summary>
/// What the transport needs to know about an API operation: its name (in errors and traces), its
/// method, whether a request that may have reached the service can be sent again, and which
/// rate-limit bucket paces it.
/// </summary>
public sealed class ApiOperation
{
    /// <param name="ifOutcomeUnknown">For a write: how to find out whether a request that may have arrived took effect.</param>
    public ApiOperation(string name, HttpMethod method, bool idempotent, string rateBucket, double documentedRate, string? ifOutcomeUnknown = null)
    {
        Name = name;
        Method = method;
        IsIdempotent = idempotent;
        RateBucket = rateBucket;
        DocumentedRate = documentedRate;
        IfOutcomeUnknown = ifOutcomeUnknown;
    }

    public string Name { get; }

    public HttpMethod Method { get; }

    /// <summary>
    /// True for reads: any failure that may be transient is retried. False for writes: only what surely
    /// never reached the service (refused, DNS, TLS handshake, a 429) is sent again.
    /// </summary>
    public bool IsIdempotent { get; }

    /// <summary>Operations sharing a bucket share a client-side rate limiter (per endpoint and project).</summary>
    public string RateBucket { get; }

    /// <summary>The service's documented per-tenant limit for this operation, requests per second.</summary>
    public double DocumentedRate { get; }

    /// <summary>For a write whose request may have arrived: how to check what happened (shown in the error).</summary>
    public string? IfOutcomeUnknown { get; }

    public override string ToString() => Name;
}
