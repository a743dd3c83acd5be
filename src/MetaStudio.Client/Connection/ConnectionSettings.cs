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

    public override string ToString() => "ConnectionSettings"; // never render the secrets
}
