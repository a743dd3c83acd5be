using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using MetaStudio.Client.Signing;

namespace MetaStudio.Client.Connection;

/// <summary>
/// Turns explicit settings, the environment and the profile file into a <see cref="MetaStudioContext"/>.
/// Credentials come from exactly one source (parameters → environment → profile file); a source
/// that is half set is an error, never a reason to try the next one, so a runbook cannot silently
/// end up on another account. The project id must come from that same source or a parameter.
/// Every value is checked by <see cref="CredentialRules"/>, and errors name where it came from.
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

    /// <summary>Smallest and largest -MaxResponseSize: 64 KiB to 1 GiB.</summary>
    public const long MinResponseBytes = 64 * 1024, MaxResponseBytesLimit = 1024L * 1024 * 1024;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> WarnedLooseFiles = new(StringComparer.Ordinal);
    private readonly Func<string, string?> environment;
    private readonly string? homeDirectory;
    private readonly List<string> warnings = new();

    public ContextResolver(Func<string, string?> environment, string? homeDirectory)
    {
        this.environment = environment;
        this.homeDirectory = homeDirectory;
    }

    /// <summary>Reads the real process environment and the user's home directory.</summary>
    public static ContextResolver FromProcess() =>
        new(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>What the last resolution wants the user to know (a profile file others can read).</summary>
    public IReadOnlyList<string> Warnings => warnings;

    /// <summary>What a cmdlet uses when no Connect-MSAccount context exists: environment, then profile file.</summary>
    public MetaStudioContext ResolveAmbient() => Resolve(new ConnectionSettings());

    public MetaStudioContext Resolve(ConnectionSettings settings)
    {
        warnings.Clear();
        ValidateExplicit(settings);

        AkSkCredential? credential = null;
        string? token = null;
        string? sourceProject;
        string projectOrigin;
        ContextSource credentialSource;
        string projectHint;

        if (settings.Token != null)
        {
            token = settings.Token;
            credentialSource = ContextSource.Parameter;
            sourceProject = null;
            projectOrigin = "-ProjectId";
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
            projectOrigin = "-ProjectId";
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
                    $"Run Connect-MSAccount -AccessKey <AK> -SecretKey (Read-Host -AsSecureString) -ProjectId <id>, or set {AkVariable}, {SkVariable} and {ProjectIdVariable}. " +
                    "In a new runspace (ForEach-Object -Parallel, a thread job), pass the caller's connection in: $using:ctx | Connect-MSAccount.");
            }

            (credential, sourceProject, projectOrigin, credentialSource, projectHint) = found.Value;
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
            CredentialRules.ProjectId(projectId, projectOrigin);
        }
        else
        {
            throw new MetaStudioConfigurationException("ProjectIdMissing", $"No project id: {projectHint}.", "ProjectId");
        }

        var (region, regionSource) = ResolveRegion(settings.Region);
        var (endpoints, endpointSource) = ResolveEndpoints(settings.Endpoint, region);

        return new MetaStudioContext(credential, token, projectId, region, endpoints, settings.AppUserId,
            credentialSource, projectSource, regionSource, endpointSource,
            settings.MaxRetry ?? MetaStudioContext.DefaultMaxRetry, settings.TimeoutSec ?? MetaStudioContext.DefaultTimeoutSec,
            settings.RateLimit ?? Http.RateLimiter.DefaultRate, settings.MaxResponseBytes ?? MetaStudioContext.DefaultMaxResponseBytes);
    }

    /// <summary>The regions tab completion offers: the built-in ones, and those of the regions file (unreadable files are skipped).</summary>
    public IReadOnlyList<(string Id, string Description)> KnownRegions()
    {
        var regions = Regions.Known.Select(r => (r.Key, $"{r.Key} ({r.Value})")).ToList();
        string path = Env(RegionsFile.PathVariable) ?? RegionsFile.DefaultPath(homeDirectory);
        try
        {
            foreach (var entry in RegionsFile.Parse(SmallFile.Read(path), path))
            {
                if (!regions.Any(r => string.Equals(r.Key, entry.Key, StringComparison.OrdinalIgnoreCase)) && Regions.Normalize(entry.Key) is { } id)
                {
                    regions.Add((id, $"{id} (regions file: {string.Join(", ", entry.Value.Endpoints.Take(2))})"));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or MetaStudioConfigurationException or ArgumentException or NotSupportedException)
        {
            // Completion must never fail; Connect-MSAccount reports a broken file.
        }

        return regions.OrderBy(r => r.Item1, StringComparer.Ordinal).ToList();
    }

    /// <summary>Checks an endpoint: absolute, no path, query or fragment; https, or http to a loopback address only.</summary>
    public static Uri ValidateEndpoint(Uri endpoint, string origin)
    {
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new MetaStudioConfigurationException("InvalidEndpoint", $"{origin} '{Text.ConsoleText.Shorten(endpoint.OriginalString, 100)}' is not an absolute http(s) URL such as https://metastudio.cn-north-4.myhuaweicloud.com.", "Endpoint");
        }

        if (endpoint.AbsolutePath != "/" || endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0 || endpoint.UserInfo.Length > 0)
        {
            throw new MetaStudioConfigurationException("InvalidEndpoint", $"{origin} '{Text.ConsoleText.Shorten(endpoint.OriginalString, 100)}' must be a scheme and host only (optionally a port), with no path, query, fragment or user info.", "Endpoint");
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && !IsLoopback(endpoint))
        {
            throw new MetaStudioConfigurationException("InvalidEndpoint", $"{origin} '{endpoint}' uses plain http, which is allowed only for a loopback address (127.0.0.1, ::1, localhost, such as the local emulator). Use https.", "Endpoint");
        }

        return new Uri(endpoint.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>Checks an X-App-UserId value (see <see cref="CredentialRules.AppUserId"/>).</summary>
    public static void ValidateAppUserId(string value) => CredentialRules.AppUserId(value, "-AppUserId", "AppUserId");

    /// <summary>True for 127.0.0.0/8, ::1 and localhost: hosts that never leave this computer.</summary>
    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private void ValidateExplicit(ConnectionSettings s)
    {
        if (s.AccessKey != null)
        {
            CredentialRules.AccessKey(s.AccessKey, "-AccessKey", "AccessKey");
        }

        if (s.SecretKey != null && s.SecretKey.Length > 0)
        {
            CredentialRules.SecretKey(s.SecretKey, "-SecretKey", "SecretKey");
        }

        if (s.Token != null)
        {
            CredentialRules.Token(s.Token, "-Token", "Token");
        }

        if (s.SecurityToken != null)
        {
            CredentialRules.SecurityToken(s.SecurityToken, "-SecurityToken", "SecurityToken");
        }

        if (s.ProjectId != null)
        {
            CredentialRules.ProjectId(s.ProjectId, $"-ProjectId '{Text.ConsoleText.Shorten(s.ProjectId, 80)}'", "ProjectId");
        }

        if (s.Region != null)
        {
            s.Region = Regions.Normalize(s.Region) ?? throw new MetaStudioConfigurationException("InvalidRegion",
                $"-Region '{Text.ConsoleText.Shorten(s.Region, 80)}' is not a region id: use letters, digits and hyphens, such as {Regions.DefaultRegion}. Known regions: {Regions.KnownList}.", "Region");
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

        if (s.MaxResponseBytes is < MinResponseBytes or > MaxResponseBytesLimit)
        {
            throw new MetaStudioConfigurationException("InvalidMaxResponseSize", $"-MaxResponseSize {s.MaxResponseBytes:N0} is out of range: use 64KB to 1GB (bytes; the default is 16MB).", "MaxResponseSize");
        }
    }

    private (AkSkCredential Credential, string? Project, string ProjectOrigin, ContextSource Source, string ProjectHint)? FromEnvironment(List<string> tried)
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

            CredentialRules.AccessKey(ak, akName);
            CredentialRules.SecretKey(sk, skName);
            string? securityToken = Env(SecurityTokenVariable);
            if (securityToken != null)
            {
                CredentialRules.SecurityToken(securityToken, SecurityTokenVariable);
            }

            return (new AkSkCredential(ak, sk, securityToken), Env(ProjectIdVariable), ProjectIdVariable, ContextSource.Environment,
                $"credentials came from the environment ({akName}/{skName}); set {ProjectIdVariable}, or connect with Connect-MSAccount -ProjectId <id>");
        }

        if (Env(SecurityTokenVariable) != null)
        {
            throw new MetaStudioConfigurationException("SecurityTokenWithoutKeyPair", $"{SecurityTokenVariable} is set but no access key pair is ({AkVariable}/{SkVariable}); a security token belongs to a temporary access key pair. Set all three, or unset it.");
        }

        tried.Add($"environment ({AkVariable}/{SkVariable} and {SampleAkVariable}/{SampleSkVariable} not set)");
        return null;
    }

    private (AkSkCredential Credential, string? Project, string ProjectOrigin, ContextSource Source, string ProjectHint)? FromProfile(List<string> tried)
    {
        string? named = Env(ProfileFile.PathVariable);
        string path = named ?? ProfileFile.DefaultPath(homeDirectory);
        string shown = Text.ConsoleText.Shorten(path, 200); // in messages: the path may come from the environment
        string text;
        try
        {
            text = SmallFile.Read(path);
        }
        catch (FileNotFoundException) when (named is null)
        {
            tried.Add($"profile file ({shown} does not exist)");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            string origin = named is null ? "The profile file" : $"{ProfileFile.PathVariable} names a profile file that";
            throw new MetaStudioConfigurationException("ProfileFileUnreadable", $"{origin} cannot be read: {shown} ({Text.ConsoleText.Shorten(e.Message, 200)}). Fix the file or its permissions{(named is null ? string.Empty : $", or unset {ProfileFile.PathVariable}")}.", null, e);
        }

        var basic = ProfileFile.ReadBasicSection(text, path);
        string? Value(string key) => basic.TryGetValue(key, out var v) && v.Value.Length > 0 ? v.Value : null;
        string Origin(string key) => $"the profile file {shown} (key {key}, line {basic[key].Line})";
        string? ak = Value("ak"), sk = Value("sk");
        if (ak is null && sk is null)
        {
            var sections = ProfileFile.SectionsOf(text);
            string why = text.Length == 0 ? "has nothing to read (it is empty, or not a regular file such as a device or a FIFO)"
                : sections.Count == 0 ? "has no sections; the credentials go in a [basic] section (ak, sk, project_id)"
                : !sections.Contains("basic", StringComparer.OrdinalIgnoreCase) ? $"has no [basic] section (it has [{string.Join("], [", sections.Take(5).Select(x => Text.ConsoleText.Shorten(x, 40)))}]); the credentials go in [basic]"
                : "has a [basic] section without ak and sk";
            if (named != null)
            {
                throw new MetaStudioConfigurationException("ProfileFileWithoutCredentials", $"{ProfileFile.PathVariable} names {shown}, which {why}.");
            }

            tried.Add($"profile file ({shown} {why})");
            return null;
        }

        if (ak is null || sk is null)
        {
            throw new MetaStudioConfigurationException("HalfKeyPair", $"Half an access key pair in the profile file {shown}: [basic] has {(ak is null ? "sk" : "ak")} but no {(ak is null ? "ak" : "sk")}.");
        }

        CredentialRules.AccessKey(ak, Origin("ak"));
        CredentialRules.SecretKey(sk, Origin("sk"));
        string? securityToken = Value("security_token");
        if (securityToken != null)
        {
            CredentialRules.SecurityToken(securityToken, Origin("security_token"));
        }

        if (SmallFile.LooseUnixMode(path) is { } mode)
        {
            if (WarnedLooseFiles.TryAdd(path, true)) // once per file and process, not on every command
            {
                warnings.Add($"The profile file {shown} holds a secret key but its group or others may read or write it (mode {mode}). Run: chmod 600 {shown}");
            }
        }

        string? project = Value("project_id");
        return (new AkSkCredential(ak, sk, securityToken), project, project is null ? "the profile file" : Origin("project_id"), ContextSource.ProfileFile,
            $"credentials came from the profile file {shown}; add project_id to its [basic] section or pass -ProjectId");
    }

    private (string Region, ContextSource Source) ResolveRegion(string? explicitRegion)
    {
        if (explicitRegion != null)
        {
            return (explicitRegion, ContextSource.Parameter); // normalized by ValidateExplicit
        }

        string? fromEnv = Env(RegionVariable);
        if (fromEnv != null)
        {
            string region = Regions.Normalize(fromEnv) ?? throw new MetaStudioConfigurationException("InvalidRegion",
                $"{RegionVariable} is '{Text.ConsoleText.Shorten(fromEnv, 80)}', which is not a region id: use letters, digits and hyphens, such as {Regions.DefaultRegion}. Known regions: {Regions.KnownList}.");
            return (region, ContextSource.Environment);
        }

        return (Regions.DefaultRegion, ContextSource.Default);
    }

    private (IReadOnlyList<Uri> Endpoints, ContextSource Source) ResolveEndpoints(Uri? explicitEndpoint, string region)
    {
        if (explicitEndpoint != null)
        {
            return (new[] { explicitEndpoint }, ContextSource.Parameter);
        }

        string variable = Regions.OverrideVariable(region);
        string? overridden = Env(variable);
        if (overridden != null)
        {
            return (Regions.ParseEndpointList(overridden, variable), ContextSource.Environment);
        }

        string? namedRegionsFile = Env(RegionsFile.PathVariable);
        string regionsPath = namedRegionsFile ?? RegionsFile.DefaultPath(homeDirectory);
        string shownRegions = Text.ConsoleText.Shorten(regionsPath, 200);
        IReadOnlyDictionary<string, (List<string> Endpoints, int Line)> fromFile;
        try
        {
            fromFile = RegionsFile.Parse(SmallFile.Read(regionsPath), regionsPath);
        }
        catch (FileNotFoundException) when (namedRegionsFile is null)
        {
            fromFile = new Dictionary<string, (List<string>, int)>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new MetaStudioConfigurationException("RegionsFileUnreadable", $"The regions file {shownRegions} cannot be read ({Text.ConsoleText.Shorten(e.Message, 200)}). Fix it{(namedRegionsFile is null ? string.Empty : $", or unset {RegionsFile.PathVariable}")}.", null, e);
        }

        if (fromFile.TryGetValue(region, out var entry))
        {
            return (Regions.ParseEndpointList(string.Join(",", entry.Endpoints), $"The regions file {shownRegions} (region {region}, line {entry.Line})"), ContextSource.RegionsFile);
        }

        if (Regions.EndpointOf(region) is { } known)
        {
            return (new[] { known }, ContextSource.Region);
        }

        string inFile = fromFile.Count == 0 ? string.Empty : $"; in {shownRegions}: {string.Join(", ", fromFile.Keys.OrderBy(k => k, StringComparer.Ordinal))}";
        throw new MetaStudioConfigurationException("UnknownRegion",
            $"MetaStudio has no known endpoint for region '{region}'. Known regions: {Regions.KnownList}{inFile}. " +
            $"To use another region, set {variable}=https://<endpoint> (a comma-separated list is tried in order), add it to {shownRegions} " +
            $"(metastudio: then '- id: {region}' and 'endpoints: [https://<endpoint>]'), or pass -Endpoint.", "Region");
    }

    private string? Env(string name)
    {
        string? value = environment(name);
        return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
