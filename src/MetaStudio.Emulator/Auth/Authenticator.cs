using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MetaStudio.Emulator.Api;

namespace MetaStudio.Emulator.Auth;

/// <summary>The outcome of checking a request's credentials.</summary>
public sealed record AuthResult(bool Ok, int Status, string Code, string Message, string? AccessKey)
{
    public static AuthResult Accept(string? accessKey) => new(true, 200, "", "", accessKey);

    public static AuthResult Reject(int status, string code, string message) => new(false, status, code, message, null);
}

/// <summary>
/// Authenticates as the API gateway does: an IAM token in X-Auth-Token, or an SDK-HMAC-SHA256
/// signature verified over the headers it names and the SHA-256 of the exact body bytes (or the
/// X-Sdk-Content-Sha256 the client signed, which must then match the body; UNSIGNED-PAYLOAD only for
/// non-JSON content), within 15 minutes of the server clock, by a known access key whose project is
/// the one in the URL.
/// </summary>
public sealed class Authenticator
{
    private const string Prefix = "Incorrect IAM authentication information: ";
    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    private readonly Dictionary<string, EmulatorKey> keys;
    private readonly IReadOnlyDictionary<string, string> tokens;
    private readonly TimeSpan maxSkew;
    private readonly TimeProvider clock;
    private readonly bool maskSecurityToken;

    public Authenticator(IEnumerable<EmulatorKey> keys, IReadOnlyDictionary<string, string> tokens, TimeSpan maxSkew, TimeProvider clock, bool maskSecurityToken = true)
    {
        this.maskSecurityToken = maskSecurityToken;
        this.keys = keys.ToDictionary(k => k.AccessKey, StringComparer.Ordinal);
        this.tokens = tokens;
        this.maxSkew = maxSkew;
        this.clock = clock;
    }

    /// <param name="header">Header value by lower-case name; null when absent.</param>
    public AuthResult Authenticate(string method, string rawTarget, string pathProjectId, Func<string, string?> header, ReadOnlySpan<byte> body)
    {
        string? token = header("x-auth-token");
        if (token != null)
        {
            if (!tokens.TryGetValue(token, out var tokenProject))
            {
                return AuthResult.Reject(401, ErrorBodies.GatewayAuth, Prefix + "decrypt token fail");
            }

            return tokenProject == pathProjectId
                ? AuthResult.Accept(null)
                : AuthResult.Reject(400, ErrorBodies.TenantMismatch, "urlTenantId is not equal tokenTenantId");
        }

        string? authorization = header("authorization");
        if (authorization is null)
        {
            return AuthResult.Reject(401, ErrorBodies.GatewayAuth, Prefix + "no Authorization or X-Auth-Token header");
        }

        var parsed = AuthorizationHeader.Parse(authorization);
        if (parsed is null)
        {
            return AuthResult.Reject(401, ErrorBodies.GatewayAuth, Prefix + "the Authorization header is not 'SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…'");
        }

        if (!keys.TryGetValue(parsed.AccessKey, out var key))
        {
            return AuthResult.Reject(401, ErrorBodies.GatewayAuth, Prefix + $"Get secretKey failed,ak:{parsed.AccessKey},err:ak not exist");
        }

        if (!parsed.SignedHeaders.Contains("x-sdk-date") || parsed.SignedHeaders.Any(h => h != h.ToLowerInvariant()))
        {
            return AuthResult.Reject(401, ErrorBodies.GatewayAuth, Prefix + "SignedHeaders must be lower case and include x-sdk-date");
        }

        var missing = parsed.SignedHeaders.FirstOrDefault(h => header(h) is null);
        if (missing != null)
        {
            return AuthResult.Reject(401, ErrorBodies.GatewayAuth, Prefix + $"signed header '{missing}' is not in the request");
        }

        string sdkDate = header("x-sdk-date")!;
        if (!DateTime.TryParseExact(sdkDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return AuthResult.Reject(401, ErrorBodies.GatewayAuth, Prefix + $"X-Sdk-Date '{sdkDate}' is not yyyyMMddTHHmmssZ");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if ((now - signedAt).Duration() > maxSkew)
        {
            return AuthResult.Reject(401, ErrorBodies.GatewayAuth,
                Prefix + $"verify aksk signature fail, signature expired, signature time:{sdkDate}, server time:{now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}");
        }

        var (canonical, expected) = SignatureVerifier.Compute(method, rawTarget, parsed.SignedHeaders, header, body, key.SecretKey, sdkDate);
        if (!SignatureVerifier.SignaturesMatch(expected, parsed.Signature))
        {
            // The gateway echoes its canonical request (newlines as '|') to help debugging; a security
            // token is masked here, since error text ends up in logs.
            string echoed = string.Join("|", canonical.Split('\n').Select(l => maskSecurityToken && l.StartsWith("x-security-token:", StringComparison.Ordinal) ? "x-security-token:***" : l));
            return AuthResult.Reject(401, ErrorBodies.GatewayAuth, Prefix + "verify aksk signature fail, canonicalRequest:" + echoed);
        }

        // The payload hash: the signature covered X-Sdk-Content-Sha256 when the client declared one, so the
        // declared value must be the body's; UNSIGNED-PAYLOAD only where the SDKs send it, for content that is not JSON.
        string? declared = header("x-sdk-content-sha256");
        if (declared == UnsignedPayload)
        {
            string? contentType = header("content-type");
            if (contentType is null || IsJsonLike(contentType))
            {
                return AuthResult.Reject(401, ErrorBodies.GatewayAuth,
                    Prefix + $"X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD is not accepted for {(contentType is null ? "a request without Content-Type" : "Content-Type " + contentType)}; the body must be signed");
            }
        }
        else if (declared != null && !string.Equals(declared, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)), StringComparison.OrdinalIgnoreCase))
        {
            return AuthResult.Reject(401, ErrorBodies.GatewayAuth, Prefix + "verify aksk signature fail, the body does not match X-Sdk-Content-Sha256");
        }

        string? headerProject = header("x-project-id");
        if (headerProject != null && headerProject != pathProjectId)
        {
            return AuthResult.Reject(401, ErrorBodies.GatewayAuth, Prefix + $"X-Project-Id '{headerProject}' does not match the project in the URL");
        }

        if (key.ProjectId != pathProjectId)
        {
            return AuthResult.Reject(401, ErrorBodies.GatewayAuth, Prefix + $"project '{pathProjectId}' does not belong to access key {parsed.AccessKey}");
        }

        return AuthResult.Accept(key.AccessKey);
    }

    /// <summary>Content the SDKs always sign the body of: a type that contains application/json or application/bson.</summary>
    private static bool IsJsonLike(string contentType) =>
        contentType.Contains("application/json", StringComparison.OrdinalIgnoreCase) || contentType.Contains("application/bson", StringComparison.OrdinalIgnoreCase);
}
