using System;
using System.Collections.Generic;
using System.IO;
using MetaStudio.Client.Connection;
using Xunit;

namespace MetaStudio.Tests.Connection;

/// <summary>Credential, project, region and endpoint resolution, with a fake environment and home directory.</summary>
public sealed class ContextResolverTests : IDisposable
{
    private const string Project = "0123456789abcdef0123456789abcdef";
    private readonly Dictionary<string, string> env = new(StringComparer.Ordinal);
    private readonly string home = Directory.CreateTempSubdirectory("ms-home-").FullName;

    public void Dispose() => Directory.Delete(home, recursive: true);

    private ContextResolver Resolver => new(name => env.TryGetValue(name, out var v) ? v : null, home);

    private string WriteProfile(string text, string? path = null)
    {
        path ??= Path.Combine(home, ".huaweicloud", "credentials");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private MetaStudioConfigurationException Fails(ConnectionSettings settings) =>
        Assert.Throws<MetaStudioConfigurationException>(() => Resolver.Resolve(settings));

    [Fact]
    public void ParametersGiveAParameterContextWithTheDefaultRegion()
    {
        var ctx = Resolver.Resolve(new ConnectionSettings { AccessKey = "AKPARAM0000000000001", SecretKey = "sk", ProjectId = Project });

        Assert.Equal(AuthType.AkSk, ctx.AuthType);
        Assert.Equal("AKPA****************", ctx.AccessKeyId);
        Assert.Equal(Project, ctx.ProjectId);
        Assert.Equal((ContextSource.Parameter, ContextSource.Parameter), (ctx.CredentialSource, ctx.ProjectIdSource));
        Assert.Equal(("cn-north-4", ContextSource.Default), (ctx.Region, ctx.RegionSource));
        Assert.Equal((new Uri("https://metastudio.cn-north-4.myhuaweicloud.com"), ContextSource.Region), (ctx.Endpoint, ctx.EndpointSource));
    }

    [Fact]
    public void ParameterCredentialsNeverTakeTheProjectFromTheEnvironment()
    {
        env["HUAWEICLOUD_SDK_PROJECT_ID"] = Project;
        var e = Fails(new ConnectionSettings { AccessKey = "AK", SecretKey = "sk" });

        Assert.Equal("ProjectIdMissing", e.ErrorId);
        Assert.Equal("ProjectId", e.ParameterName);
        Assert.Contains("-ProjectId", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentCredentialsAndProject()
    {
        env["HUAWEICLOUD_SDK_AK"] = "AKENV000000000000001";
        env["HUAWEICLOUD_SDK_SK"] = "env-sk";
        env["HUAWEICLOUD_SDK_PROJECT_ID"] = Project;
        WriteProfile($"[basic]\nak = AKFILE\nsk = file-sk\nproject_id = {Project}\n");

        var ctx = Resolver.ResolveAmbient();

        Assert.Equal("AKEN****************", ctx.AccessKeyId);
        Assert.Equal((ContextSource.Environment, ContextSource.Environment), (ctx.CredentialSource, ctx.ProjectIdSource));
        Assert.Equal("env-sk", ctx.Credential!.SecretKey);
    }

    [Fact]
    public void DocumentationSampleVariablesAreAccepted()
    {
        env["CLOUD_SDK_AK"] = "AKSAMPLE";
        env["CLOUD_SDK_SK"] = "sample-sk";
        env["HUAWEICLOUD_SDK_PROJECT_ID"] = Project;

        var ctx = Resolver.ResolveAmbient();
        Assert.Equal("AKSAMPLE", ctx.Credential!.AccessKey);
        Assert.Equal(ContextSource.Environment, ctx.CredentialSource);
    }

    [Theory]
    [InlineData("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK")]
    [InlineData("HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_AK")]
    [InlineData("CLOUD_SDK_AK", "CLOUD_SDK_SK")]
    public void HalfAPairInTheEnvironmentIsAnErrorEvenWithAProfileFile(string set, string missing)
    {
        env[set] = "value";
        env["HUAWEICLOUD_SDK_PROJECT_ID"] = Project;
        WriteProfile($"[basic]\nak = AKFILE\nsk = file-sk\nproject_id = {Project}\n");

        var e = Fails(new ConnectionSettings());
        Assert.Equal("HalfKeyPair", e.ErrorId);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains(set, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PairsAreNeverMixedAcrossVariableFamilies()
    {
        env["HUAWEICLOUD_SDK_AK"] = "AK";
        env["CLOUD_SDK_SK"] = "sk";
        Assert.Equal("HalfKeyPair", Fails(new ConnectionSettings()).ErrorId);
    }

    [Fact]
    public void SecurityTokenMakesTemporaryCredentials()
    {
        env["HUAWEICLOUD_SDK_AK"] = "AK";
        env["HUAWEICLOUD_SDK_SK"] = "sk";
        env["HUAWEICLOUD_SDK_SECURITY_TOKEN"] = "sec-token";
        env["HUAWEICLOUD_SDK_PROJECT_ID"] = Project;

        Assert.Equal(AuthType.TemporaryAkSk, Resolver.ResolveAmbient().AuthType);
    }

    [Fact]
    public void SecurityTokenWithoutAPairIsAnError()
    {
        env["HUAWEICLOUD_SDK_SECURITY_TOKEN"] = "sec-token";
        Assert.Equal("SecurityTokenWithoutKeyPair", Fails(new ConnectionSettings()).ErrorId);
    }

    [Fact]
    public void EnvironmentPairWithoutProjectSaysWhatToSet()
    {
        env["HUAWEICLOUD_SDK_AK"] = "AK";
        env["HUAWEICLOUD_SDK_SK"] = "sk";
        var e = Fails(new ConnectionSettings());

        Assert.Equal("ProjectIdMissing", e.ErrorId);
        Assert.Contains("HUAWEICLOUD_SDK_PROJECT_ID", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentCredentialsWithAProjectParameter()
    {
        env["HUAWEICLOUD_SDK_AK"] = "AK";
        env["HUAWEICLOUD_SDK_SK"] = "sk";
        var ctx = Resolver.Resolve(new ConnectionSettings { ProjectId = Project });
        Assert.Equal((ContextSource.Environment, ContextSource.Parameter), (ctx.CredentialSource, ctx.ProjectIdSource));
    }

    [Fact]
    public void DefaultProfileFile()
    {
        WriteProfile($"# comment\n[global]\nak = GLOBALAK\nsk = x\n\n[basic]\n  ak =  AKFILE000000000001  \nsk=file-sk\nproject_id = {Project}\nsecurity_token = file-token\n");

        var ctx = Resolver.ResolveAmbient();

        Assert.Equal("AKFILE000000000001", ctx.Credential!.AccessKey);
        Assert.Equal("file-sk", ctx.Credential.SecretKey);
        Assert.Equal(AuthType.TemporaryAkSk, ctx.AuthType);
        Assert.Equal((ContextSource.ProfileFile, ContextSource.ProfileFile), (ctx.CredentialSource, ctx.ProjectIdSource));
    }

    [Fact]
    public void ProfileFileNamedByTheEnvironment()
    {
        string path = WriteProfile($"[basic]\nak = AKNAMED\nsk = named-sk\nproject_id = {Project}\n", Path.Combine(home, "elsewhere", "creds.ini"));
        env["HUAWEICLOUD_SDK_CREDENTIALS_FILE"] = path;

        Assert.Equal("AKNAMED", Resolver.ResolveAmbient().Credential!.AccessKey);
    }

    [Fact]
    public void UnreadableProfileFileNamedByTheEnvironmentIsAnError()
    {
        env["HUAWEICLOUD_SDK_CREDENTIALS_FILE"] = Path.Combine(home, "missing.ini");
        var e = Fails(new ConnectionSettings());

        Assert.Equal("ProfileFileUnreadable", e.ErrorId);
        Assert.Contains("HUAWEICLOUD_SDK_CREDENTIALS_FILE", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing.ini", e.Message, StringComparison.Ordinal);
        Assert.True(e.IsCredentialProblem);
    }

    [Fact]
    public void NamedProfileFileWithoutCredentialsIsAnError()
    {
        env["HUAWEICLOUD_SDK_CREDENTIALS_FILE"] = WriteProfile("[global]\nak = x\nsk = y\n", Path.Combine(home, "g.ini"));
        Assert.Equal("ProfileFileWithoutCredentials", Fails(new ConnectionSettings()).ErrorId);
    }

    [Fact]
    public void HalfAPairInTheProfileFileIsAnError()
    {
        WriteProfile("[basic]\nak = AKONLY\nproject_id = p\n");
        var e = Fails(new ConnectionSettings());
        Assert.Equal("HalfKeyPair", e.ErrorId);
        Assert.Contains("credentials", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingAnywhereListsEverySourceTried()
    {
        var e = Fails(new ConnectionSettings());

        Assert.Equal("CredentialsNotFound", e.ErrorId);
        Assert.Contains("Connect-MSAccount", e.Message, StringComparison.Ordinal);
        Assert.Contains("HUAWEICLOUD_SDK_AK", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(home, ".huaweicloud", "credentials"), e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegionFromTheEnvironmentAndItsEndpoint()
    {
        env["HUAWEICLOUD_SDK_REGION"] = "cn-east-3";
        var ctx = Resolver.Resolve(new ConnectionSettings { AccessKey = "AK", SecretKey = "sk", ProjectId = Project });

        Assert.Equal(("cn-east-3", ContextSource.Environment), (ctx.Region, ctx.RegionSource));
        Assert.Equal(new Uri("https://metastudio.cn-east-3.myhuaweicloud.com"), ctx.Endpoint);
    }

    [Fact]
    public void UnknownRegionNeedsAnEndpoint()
    {
        var e = Fails(new ConnectionSettings { AccessKey = "AK", SecretKey = "sk", ProjectId = Project, Region = "ap-southeast-3" });
        Assert.Equal("UnknownRegion", e.ErrorId);
        Assert.Contains("HUAWEICLOUD_SDK_REGION_METASTUDIO_AP_SOUTHEAST_3", e.Message, StringComparison.Ordinal);
        Assert.Contains("-Endpoint", e.Message, StringComparison.Ordinal);

        env["HUAWEICLOUD_SDK_REGION_METASTUDIO_AP_SOUTHEAST_3"] = "https://metastudio.ap-southeast-3.example.com, https://backup.example.com";
        var viaEnv = Resolver.Resolve(new ConnectionSettings { AccessKey = "AK", SecretKey = "sk", ProjectId = Project, Region = "ap-southeast-3" });
        Assert.Equal((new Uri("https://metastudio.ap-southeast-3.example.com"), ContextSource.Environment), (viaEnv.Endpoint, viaEnv.EndpointSource));

        var viaParameter = Resolver.Resolve(new ConnectionSettings { AccessKey = "AK", SecretKey = "sk", ProjectId = Project, Region = "ap-southeast-3", Endpoint = new Uri("https://private.example.com:8443") });
        Assert.Equal((new Uri("https://private.example.com:8443"), ContextSource.Parameter), (viaParameter.Endpoint, viaParameter.EndpointSource));
    }

    [Theory]
    [InlineData("cn_north_4")]
    [InlineData("cn north 4")]
    [InlineData("../x")]
    [InlineData("a.b")]
    [InlineData("-cn")]
    [InlineData("cn-")]
    [InlineData("cn-north-4/evil")]
    [InlineData("cn-north\n4")]
    public void RegionsThatWouldMakeAnUnsafeHostNameAreRejected(string region)
    {
        var e = Fails(new ConnectionSettings { AccessKey = "AK", SecretKey = "sk", ProjectId = Project, Region = region });
        Assert.Equal(("InvalidRegion", "Region"), (e.ErrorId, e.ParameterName));
        Assert.Contains("cn-north-4", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8787", true)]
    [InlineData("http://localhost:8787/", true)]
    [InlineData("http://[::1]:8787", true)]
    [InlineData("http://127.10.0.1", true)]
    [InlineData("https://metastudio.example.com", true)]
    [InlineData("http://metastudio.example.com", false)]
    [InlineData("http://10.0.0.1:8787", false)]
    [InlineData("https://metastudio.example.com/v1", false)]
    [InlineData("https://metastudio.example.com/?x=1", false)]
    [InlineData("https://user:pw@metastudio.example.com", false)]
    [InlineData("ftp://metastudio.example.com", false)]
    public void EndpointsMustBeHttpsOrLoopbackHttp(string endpoint, bool accepted)
    {
        var settings = new ConnectionSettings { AccessKey = "AK", SecretKey = "sk", ProjectId = Project, Endpoint = new Uri(endpoint) };
        if (accepted)
        {
            Assert.Equal(ContextSource.Parameter, Resolver.Resolve(settings).EndpointSource);
            return;
        }

        var e = Fails(settings);
        Assert.Equal(("InvalidEndpoint", "Endpoint"), (e.ErrorId, e.ParameterName));
        Assert.Contains(endpoint.TrimEnd('/'), e.Message.Replace("/'", "'", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("用户42", "用")]
    [InlineData("user-数字人", "数")]
    public void AppUserIdWithChineseCharactersIsRejected(string value, string character)
    {
        var e = Fails(new ConnectionSettings { AccessKey = "AK", SecretKey = "sk", ProjectId = Project, AppUserId = value });
        Assert.Equal(("InvalidAppUserId", "AppUserId"), (e.ErrorId, e.ParameterName));
        Assert.Contains($"'{character}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Chinese", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tab\there")]
    [InlineData("é")]
    [InlineData(" ")]
    public void AppUserIdMustBePrintableAscii(string value)
    {
        Assert.Equal("InvalidAppUserId", Fails(new ConnectionSettings { AccessKey = "AK", SecretKey = "sk", ProjectId = Project, AppUserId = value }).ErrorId);
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("abc def")]
    [InlineData("a/b")]
    [InlineData("")]
    public void MalformedProjectIdsAreRejected(string project)
    {
        var e = Fails(new ConnectionSettings { AccessKey = "AK", SecretKey = "sk", ProjectId = project });
        Assert.Equal(("InvalidProjectId", "ProjectId"), (e.ErrorId, e.ParameterName));
    }

    [Fact]
    public void TokenNeedsAProjectParameter()
    {
        env["HUAWEICLOUD_SDK_PROJECT_ID"] = Project;
        Assert.Equal("ProjectIdMissing", Fails(new ConnectionSettings { Token = "tok" }).ErrorId);

        var ctx = Resolver.Resolve(new ConnectionSettings { Token = "tok", ProjectId = Project });
        Assert.Equal(AuthType.Token, ctx.AuthType);
        Assert.Null(ctx.AccessKeyId);
    }

    [Fact]
    public void AccessKeyWithoutSecretIsAnError()
    {
        var e = Fails(new ConnectionSettings { AccessKey = "AK", ProjectId = Project });
        Assert.Equal(("HalfKeyPair", "SecretKey"), (e.ErrorId, e.ParameterName));
    }

    [Fact]
    public void ContextRendersNoSecrets()
    {
        var ctx = Resolver.Resolve(new ConnectionSettings { AccessKey = "AKSECRETLOOKING00001", SecretKey = "the-secret-key", SecurityToken = "the-security-token", ProjectId = Project });

        string text = ctx.ToString();
        Assert.DoesNotContain("the-secret-key", text, StringComparison.Ordinal);
        Assert.DoesNotContain("the-security-token", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AKSECRETLOOKING00001", text, StringComparison.Ordinal);
        foreach (var property in typeof(MetaStudioContext).GetProperties())
        {
            string value = property.GetValue(ctx)?.ToString() ?? "";
            Assert.DoesNotContain("the-secret-key", value, StringComparison.Ordinal);
            Assert.DoesNotContain("the-security-token", value, StringComparison.Ordinal);
        }
    }
}
