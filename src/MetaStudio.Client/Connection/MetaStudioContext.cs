using System;
using System.Collections.Generic;
using System.Linq;
using MetaStudio.Client.Signing;

namespace MetaStudio.Client.Connection;

/// <summary>
/// A resolved connection: who (credentials), where (project, region, endpoints) and where each came
/// from. Immutable, so one instance can be shared by runspaces and threads. Secrets are held in
/// non-public members only: no property, <see cref="ToString"/> or format view shows them.
/// </summary>
public sealed class MetaStudioContext
{
    internal MetaStudioContext(
        AkSkCredential? credential, string? token, string projectId, string region, IReadOnlyList<Uri> endpoints, string? appUserId,
        ContextSource credentialSource, ContextSource projectIdSource, ContextSource regionSource, ContextSource endpointSource,
        int maxRetry = DefaultMaxRetry, int timeoutSec = DefaultTimeoutSec, double rateLimit = Http.RateLimiter.DefaultRate,
        long maxResponseBytes = DefaultMaxResponseBytes)
    {
        if ((credential is null) == (token is null))
        {
            throw new ArgumentException("A context has either an access key pair or a token.");
        }

        if (endpoints.Count == 0)
        {
            throw new ArgumentException("A context needs at least one endpoint.");
        }

        // The same rules the resolver applied, again: whatever built this context, nothing invalid reaches the wire.
        if (credential != null)
        {
            CredentialRules.AccessKey(credential.AccessKey, "the context's access key");
            CredentialRules.SecretKey(credential.SecretKey, "the context's secret key");
            if (credential.SecurityToken != null)
            {
                CredentialRules.SecurityToken(credential.SecurityToken, "the context's security token");
            }
        }
        else
        {
            CredentialRules.Token(token!, "the context's token");
        }

        CredentialRules.ProjectId(projectId, "the context's project id");
        if (appUserId != null)
        {
            CredentialRules.AppUserId(appUserId, "the context's app user id");
        }

        Credential = credential;
        Token = token;
        ProjectId = projectId;
        Region = region;
        Endpoints = Array.AsReadOnly(endpoints.ToArray()); // shared by runspaces: nobody may swap an endpoint in place
        AppUserId = appUserId;
        CredentialSource = credentialSource;
        ProjectIdSource = projectIdSource;
        RegionSource = regionSource;
        EndpointSource = endpointSource;
        MaxRetry = maxRetry;
        TimeoutSec = timeoutSec;
        RateLimit = rateLimit;
        MaxResponseBytes = maxResponseBytes;
    }

    public const int DefaultMaxRetry = 3;
    public const int DefaultTimeoutSec = 30;

    /// <summary>16 MiB: a page of 100 fully populated jobs is about 150 KB.</summary>
    public const long DefaultMaxResponseBytes = 16L * 1024 * 1024;

    /// <summary>The access key id, all but its first four characters hidden; null with token auth.</summary>
    public string? AccessKeyId => Credential is null ? null : AkSkCredential.Mask(Credential.AccessKey);

    public AuthType AuthType => Token != null ? AuthType.Token : Credential!.IsTemporary ? AuthType.TemporaryAkSk : AuthType.AkSk;

    public string ProjectId { get; }

    public string Region { get; }

    /// <summary>The first endpoint; requests go there unless it cannot be reached.</summary>
    public Uri Endpoint => Endpoints[0];

    /// <summary>
    /// Every endpoint of the region, in order (an override may list several): a request moves to the
    /// next only when the previous could not be reached at all (refused, DNS, TLS handshake).
    /// </summary>
    public IReadOnlyList<Uri> Endpoints { get; }

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

    /// <summary>Largest response body accepted, in bytes, counted after decompression.</summary>
    public long MaxResponseBytes { get; }

    internal AkSkCredential? Credential { get; }

    internal string? Token { get; }

    public override string ToString() =>
        $"{AuthType} {(AccessKeyId ?? "token")} project {ProjectId} in {Region} ({Endpoint.GetLeftPart(UriPartial.Authority)})";
}
