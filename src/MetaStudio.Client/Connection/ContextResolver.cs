using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using MetaStudio.Client.Signing;

namespace MetaStudio.Client.Connection;

/// <summary>
/// Turns explicit settings, the environment and the profile file into a <see cref="MetaStudioContext"/>.
/// Credentials come from exactly one source (parameters → environment → profile file); a source
/// that is half set is an error, never a reason to try the next one, so a runbook cannot silently
/// end up on another account. The project id must come from that same source or a parameter.
/// </summary>
public sealed class ContextResolver
{
    public const string AkVariable = "HUAWEICLOUD_SDK_AK";
    public const string SkVariable = "HUAWEICLOUD_SDK_SK";
    public const string SecurityTokenVariable = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
    public const string ProjectIdVariable = "HUAWEICLOUD_SDK_PROJECT_ID";
    public const string RegionVariable = "HUAWEICLOUD_SDK_REGION";
    public const string SampleAkVariable = "CLOUD_SDK_AK";
    public const string SampleSkVariable = "CLOUD_SDK_SK";

    private static readonly Regex AccessKeyPattern = new("^[A-Za-z0-9._-]{1,128}$", RegexOptions.CultureInvariant);
    private static readonly Regex ProjectIdPattern = new("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant);
    private readonly Func<string, string?> environment;
    private readonly string? homeDirectory;

    public ContextResolver(Func<string, string?> environment, string? homeDirectory)
    {
        this.environment = environment;
        this.homeDirectory = homeDirectory;
    }

    /// <summary>Reads the real process environment and the user's home directory.</summary>
    public static ContextResolver FromProcess() =>
        new(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>What a cmdlet uses when no Connect-MSAccount context exists: environment, then profile file.</summary>
    public MetaStudioContext ResolveAmbient() => Resolve(new ConnectionSettings());

    public MetaStudioContext Resolve(ConnectionSettings settings)
    {
        ValidateExplicit(settings);

        AkSkCredential? credential = null;
        string? token = null;
        string? sourceProject;
        ContextSource credentialSource;
        string projectHint;

        if (settings.Token != null)
        {
            token = settings.Token;
            credentialSource = ContextSource.Parameter;
            sourceProject = null;
            projectHint = "pass -ProjectId (the project the token is scoped to)";
        }
        else if (settings.AccessKey != null || settings.SecretKey != null)
        {
            if (string.IsNullOrEmpty(settings.AccessKey) || string.IsNullOrEmpty(settings.SecretKey))
            {
                throw new MetaStudioConfigurationException("HalfKeyPair",
                    "An access key pair needs both -AccessKey and -SecretKey.", settings.AccessKey is null ? "AccessKey" : "SecretKey");
            }

            credential = new AkSkCredential(settings.AccessKey!, settings.SecretKey!, settings.SecurityToken);
            credentialSource = ContextSource.Parameter;
            sourceProject = null;
            projectHint = "pass -ProjectId with -AccessKey/-SecretKey (a project id is never taken from another source than the credentials)";
        }
        else
        {
            var tried = new List<string> { "no Connect-MSAccount context in this session" };
            var found = FromEnvironment(tried) ?? FromProfile(tried);
            if (found is null)
            {
                throw new MetaStudioConfigurationException("CredentialsNotFound",
                    "No MetaStudio credentials found. Tried: " + string.Join("; ", tried) + ". " +
                    $"Run Connect-MSAccount -AccessKey <AK> -SecretKey (Read-Host -AsSecureString) -ProjectId <id>, or set {AkVariable}, {SkVariable} and {ProjectIdVariable}.");
            }

            (credential, sourceProject, credentialSource, projectHint) = found.Value;
        }

        string projectId;
        ContextSource projectSource;
        if (settings.ProjectId != null)
        {
            projectId = settings.ProjectId;
            projectSource = ContextSource.Parameter;
        }
        else if (!string.IsNullOrEmpty(sourceProject))
        {
            projectId = sourceProject!.Trim();
            projectSource = credentialSource;
            if (!ProjectIdPattern.IsMatch(projectId))
            {
                throw new MetaStudioConfigurationException("InvalidProjectId", $"The project id from the {Describe(credentialSource)} ('{projectId}') is not a project id: use letters, digits, '-' and '_' only (MetaStudio project ids are 32 hex characters).");
            }
        }
        else
        {
            throw new MetaStudioConfigurationException("ProjectIdMissing", $"No project id: {projectHint}.", "ProjectId");
        }

        var (region, regionSource) = ResolveRegion(settings.Region);
        var (endpoint, endpointSource) = ResolveEndpoint(settings.Endpoint, region);

        return new MetaStudioContext(credential, token, projectId, region, endpoint, settings.AppUserId,
            credentialSource, projectSource, regionSource, endpointSource,
            settings.MaxRetry ?? MetaStudioContext.DefaultMaxRetry, settings.TimeoutSec ?? MetaStudioContext.DefaultTimeoutSec,
            settings.RateLimit ?? Http.RateLimiter.DefaultRate);
    }

    /// <summary>Checks an endpoint: absolute, no path, query or fragment; https, or http to a loopback address only.</summary>
    public static Uri ValidateEndpoint(Uri endpoint, string origin)
    {
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new MetaStudioConfigurationException("InvalidEndpoint", $"{origin} '{endpoint}' is not an absolute http(s) URL such as https://metastudio.cn-north-4.myhuaweicloud.com.", "Endpoint");
        }

        if (endpoint.AbsolutePath != "/" || endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0 || endpoint.UserInfo.Length > 0)
        {
            throw new MetaStudioConfigurationException("InvalidEndpoint", $"{origin} '{endpoint}' must be a scheme and host only (optionally a port), with no path, query, fragment or user info.", "Endpoint");
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && !IsLoopback(endpoint))
        {
            throw new MetaStudioConfigurationException("InvalidEndpoint", $"{origin} '{endpoint}' uses plain http, which is allowed only for a loopback address (127.0.0.1, ::1, localhost, such as the local emulator). Use https.", "Endpoint");
        }

        return new Uri(endpoint.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>Checks an X-App-UserId value: the API forbids Chinese characters, and headers carry printable ASCII.</summary>
    public static void ValidateAppUserId(string value)
    {
        if (value.Length == 0 || value.Trim().Length == 0)
        {
            throw new MetaStudioConfigurationException("InvalidAppUserId", "-AppUserId is empty; omit it or give the third-party user id.", "AppUserId");
        }

        int cjk = -1;
        for (int i = 0; i < value.Length && cjk < 0; i++)
        {
            cjk = IsCjk(value[i]) ? i : -1;
        }

        if (cjk >= 0)
        {
            throw new MetaStudioConfigurationException("InvalidAppUserId", $"-AppUserId contains the Chinese character '{value[cjk]}' at position {cjk + 1}; the MetaStudio API forbids Chinese characters in X-App-UserId. Use ASCII letters, digits and punctuation.", "AppUserId");
        }

        if (value.Length > 256)
        {
            throw new MetaStudioConfigurationException("InvalidAppUserId", $"-AppUserId is {value.Length:N0} characters long; use at most 256.", "AppUserId");
        }

        if (value.Any(c => c < 0x20 || c > 0x7E))
        {
            throw new MetaStudioConfigurationException("InvalidAppUserId", "-AppUserId may contain printable ASCII characters only (it is sent as the X-App-UserId header).", "AppUserId");
        }
    }

    private void ValidateExplicit(ConnectionSettings s)
    {
        if (s.AccessKey != null && !AccessKeyPattern.IsMatch(s.AccessKey))
        {
            throw new MetaStudioConfigurationException("InvalidAccessKey", "-AccessKey must be an access key id: up to 128 letters and digits (also '.', '_', '-'), such as the 20-character id from My Credentials > Access Keys.", "AccessKey");
        }

        if (s.Token != null && (s.Token.Trim().Length == 0 || s.Token.Any(c => c < 0x20 || c > 0x7E)))
        {
            throw new MetaStudioConfigurationException("InvalidToken", "-Token must be an IAM token (the X-Subject-Token value IAM returned), printable ASCII.", "Token");
        }

        if (s.SecurityToken != null && s.SecurityToken.Any(c => c < 0x20 || c > 0x7E))
        {
            throw new MetaStudioConfigurationException("InvalidSecurityToken", "-SecurityToken must be printable ASCII (it is sent as the X-Security-Token header).", "SecurityToken");
        }

        if (s.ProjectId != null && !ProjectIdPattern.IsMatch(s.ProjectId))
        {
            throw new MetaStudioConfigurationException("InvalidProjectId", $"-ProjectId '{s.ProjectId}' is not a project id: use letters, digits, '-' and '_' only (MetaStudio project ids are 32 hex characters, from My Credentials > API Credentials).", "ProjectId");
        }

        if (s.Region != null && !Regions.IsWellFormed(s.Region))
        {
            throw new MetaStudioConfigurationException("InvalidRegion", $"-Region '{s.Region}' is not a region id such as {Regions.DefaultRegion}. Known regions: {Regions.KnownList}.", "Region");
        }

        if (s.Endpoint != null)
        {
            s.Endpoint = ValidateEndpoint(s.Endpoint, "-Endpoint");
        }

        if (s.AppUserId != null)
        {
            ValidateAppUserId(s.AppUserId);
        }

        if (s.MaxRetry is < 0 or > 10)
        {
            throw new MetaStudioConfigurationException("InvalidMaxRetry", $"-MaxRetry {s.MaxRetry} is out of range: use 0 to 10.", "MaxRetry");
        }

        if (s.TimeoutSec is < 1 or > 3600)
        {
            throw new MetaStudioConfigurationException("InvalidTimeoutSec", $"-TimeoutSec {s.TimeoutSec} is out of range: use 1 to 3600 seconds.", "TimeoutSec");
        }

        if (s.RateLimit is { } rate && (double.IsNaN(rate) || rate < 0 || rate > 10000))
        {
            throw new MetaStudioConfigurationException("InvalidRateLimit", $"-RateLimit {rate} is out of range: use 0 (no limit) to 10000 requests per second.", "RateLimit");
        }
    }

    private (AkSkCredential Credential, string? Project, ContextSource Source, string ProjectHint)? FromEnvironment(List<string> tried)
    {
        foreach (var (akName, skName) in new[] { (AkVariable, SkVariable), (SampleAkVariable, SampleSkVariable) })
        {
            string? ak = Env(akName), sk = Env(skName);
            if (ak is null && sk is null)
            {
                continue;
            }

            if (ak is null || sk is null)
            {
                throw new MetaStudioConfigurationException("HalfKeyPair",
                    $"Half an access key pair in the environment: {(ak is null ? skName : akName)} is set but {(ak is null ? akName : skName)} is not. Set both, or unset both to use another source.");
            }

            return (new AkSkCredential(ak, sk, Env(SecurityTokenVariable)), Env(ProjectIdVariable), ContextSource.Environment,
                $"credentials came from the environment ({akName}/{skName}); set {ProjectIdVariable} or pass -ProjectId");
        }

        if (Env(SecurityTokenVariable) != null)
        {
            throw new MetaStudioConfigurationException("SecurityTokenWithoutKeyPair", $"{SecurityTokenVariable} is set but no access key pair is ({AkVariable}/{SkVariable}); a security token belongs to a temporary access key pair. Set all three, or unset it.");
        }

        tried.Add($"environment ({AkVariable}/{SkVariable} and {SampleAkVariable}/{SampleSkVariable} not set)");
        return null;
    }

    private (AkSkCredential Credential, string? Project, ContextSource Source, string ProjectHint)? FromProfile(List<string> tried)
    {
        string? named = Env(ProfileFile.PathVariable);
        string path = named ?? ProfileFile.DefaultPath(homeDirectory);
        string text;
        try
        {
            if (named is null && !File.Exists(path))
            {
                tried.Add($"profile file ({path} does not exist)");
                return null;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            string origin = named is null ? "The profile file" : $"{ProfileFile.PathVariable} names a profile file that";
            throw new MetaStudioConfigurationException("ProfileFileUnreadable", $"{origin} cannot be read: {path} ({e.Message}). Fix the file or its permissions{(named is null ? string.Empty : $", or unset {ProfileFile.PathVariable}")}.", null, e);
        }

        var basic = ProfileFile.ReadBasicSection(text);
        basic.TryGetValue("ak", out var ak);
        basic.TryGetValue("sk", out var sk);
        ak = string.IsNullOrEmpty(ak) ? null : ak;
        sk = string.IsNullOrEmpty(sk) ? null : sk;
        if (ak is null && sk is null)
        {
            if (named != null)
            {
                throw new MetaStudioConfigurationException("ProfileFileWithoutCredentials", $"{ProfileFile.PathVariable} names {path}, which has no ak and sk in a [basic] section.");
            }

            tried.Add($"profile file ({path} has no [basic] ak/sk)");
            return null;
        }

        if (ak is null || sk is null)
        {
            throw new MetaStudioConfigurationException("HalfKeyPair", $"Half an access key pair in the profile file {path}: [basic] has {(ak is null ? "sk" : "ak")} but no {(ak is null ? "ak" : "sk")}.");
        }

        basic.TryGetValue("project_id", out var project);
        basic.TryGetValue("security_token", out var securityToken);
        return (new AkSkCredential(ak, sk, string.IsNullOrEmpty(securityToken) ? null : securityToken), project, ContextSource.ProfileFile,
            $"credentials came from the profile file {path}; add project_id to its [basic] section or pass -ProjectId");
    }

    private (string Region, ContextSource Source) ResolveRegion(string? explicitRegion)
    {
        if (explicitRegion != null)
        {
            return (explicitRegion, ContextSource.Parameter);
        }

        string? fromEnv = Env(RegionVariable);
        if (fromEnv != null)
        {
            if (!Regions.IsWellFormed(fromEnv))
            {
                throw new MetaStudioConfigurationException("InvalidRegion", $"{RegionVariable} is '{fromEnv}', which is not a region id such as {Regions.DefaultRegion}. Known regions: {Regions.KnownList}.");
            }

            return (fromEnv, ContextSource.Environment);
        }

        return (Regions.DefaultRegion, ContextSource.Default);
    }

    private (Uri Endpoint, ContextSource Source) ResolveEndpoint(Uri? explicitEndpoint, string region)
    {
        if (explicitEndpoint != null)
        {
            return (explicitEndpoint, ContextSource.Parameter);
        }

        string variable = Regions.OverrideVariable(region);
        string? overridden = Env(variable);
        if (overridden != null)
        {
            string first = overridden.Split(',').Select(e => e.Trim()).FirstOrDefault(e => e.Length > 0) ?? overridden;
            if (!Uri.TryCreate(first, UriKind.Absolute, out var uri))
            {
                throw new MetaStudioConfigurationException("InvalidEndpoint", $"{variable} is '{overridden}', which is not an absolute URL such as https://metastudio.{region}.myhuaweicloud.com.");
            }

            return (ValidateEndpoint(uri, variable), ContextSource.Environment);
        }

        var known = Regions.EndpointOf(region);
        if (known is null)
        {
            throw new MetaStudioConfigurationException("UnknownRegion",
                $"MetaStudio has no published endpoint for region '{region}'. Known regions: {Regions.KnownList}. For another region pass -Endpoint, or set {variable}.", "Region");
        }

        return (known, ContextSource.Region);
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static bool IsCjk(char c) =>
        (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF);

    private static string Describe(ContextSource source) => source switch
    {
        ContextSource.Environment => "environment",
        ContextSource.ProfileFile => "profile file",
        _ => source.ToString(),
    };

    private string? Env(string name)
    {
        string? value = environment(name);
        return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
