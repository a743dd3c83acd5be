using System;
using MetaStudio.Client.Signing;

namespace MetaStudio.Client.Connection;

/// <summary>
/// A resolved connection: who (credentials), where (project, region, endpoint) and where each came
/// from. Immutable, so one instance can be shared by runspaces and threads. Secrets are held in
/// non-public members only: no property, <see cref="ToString"/> or format view shows them.
/// </summary>
public sealed class MetaStudioContext
{
    internal MetaStudioContext(
        AkSkCredential? credential, string? token, string projectId, string region, Uri endpoint, string? appUserId,
        ContextSource credentialSource, ContextSource projectIdSource, ContextSource regionSource, ContextSource endpointSource,
        int maxRetry = DefaultMaxRetry, int timeoutSec = DefaultTimeoutSec, double rateLimit = Http.RateLimiter.DefaultRate)
    {
        if ((credential is null) == (token is null))
        {
            throw new ArgumentException("A context has either an access key pair or a token.");
        }

        Credential = credential;
        Token = token;
        ProjectId = projectId;
        Region = region;
        Endpoint = endpoint;
        AppUserId = appUserId;
        CredentialSource = credentialSource;
        ProjectIdSource = projectIdSource;
        RegionSource = regionSource;
        EndpointSource = endpointSource;
        MaxRetry = maxRetry;
        TimeoutSec = timeoutSec;
        RateLimit = rateLimit;
    }

    public const int DefaultMaxRetry = 3;
    public const int DefaultTimeoutSec = 30;

    /// <summary>The access key id, all but its first four characters hidden; null with token auth.</summary>
    public string? AccessKeyId => Credential is null ? null : AkSkCredential.Mask(Credential.AccessKey);

    public AuthType AuthType => Token != null ? AuthType.Token : Credential!.IsTemporary ? AuthType.TemporaryAkSk : AuthType.AkSk;

    public string ProjectId { get; }

    public string Region { get; }

    public Uri Endpoint { get; }

    /// <summary>Sent as X-App-UserId when set.</summary>
    public string? AppUserId { get; }

    public ContextSource CredentialSource { get; }

    public ContextSource ProjectIdSource { get; }

    public ContextSource RegionSource { get; }

    public ContextSource EndpointSource { get; }

    /// <summary>Retries after a failed attempt, for what is safe to retry.</summary>
    public int MaxRetry { get; }

    /// <summary>Seconds allowed for each attempt.</summary>
    public int TimeoutSec { get; }

    /// <summary>Requests per second to this endpoint and project, shared by the whole process (0 = unlimited).</summary>
    public double RateLimit { get; }

    internal AkSkCredential? Credential { get; }

    internal string? Token { get; }

    public override string ToString() =>
        $"{AuthType} {(AccessKeyId ?? "token")} project {ProjectId} in {Region} ({Endpoint.GetLeftPart(UriPartial.Authority)})";
}
