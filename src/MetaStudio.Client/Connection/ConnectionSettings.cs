using System;

namespace MetaStudio.Client.Connection;

/// <summary>What a caller (Connect-MSAccount) gives explicitly; anything null is looked up.</summary>
public sealed class ConnectionSettings
{
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    public string? SecurityToken { get; set; }

    public string? Token { get; set; }

    public string? ProjectId { get; set; }

    public string? Region { get; set; }

    public Uri? Endpoint { get; set; }

    public string? AppUserId { get; set; }

    /// <summary>Retries after a failed attempt (0–10); null for the default, 3.</summary>
    public int? MaxRetry { get; set; }

    /// <summary>Seconds allowed for each attempt; null for the default, 30.</summary>
    public int? TimeoutSec { get; set; }

    /// <summary>Requests per second to this endpoint and project (0 = unlimited); null for the default, 20.</summary>
    public double? RateLimit { get; set; }

    /// <summary>Largest response body accepted, in bytes; null for the default, 16 MiB.</summary>
    public long? MaxResponseBytes { get; set; }

    public override string ToString() => "ConnectionSettings"; // never render the secrets
}
