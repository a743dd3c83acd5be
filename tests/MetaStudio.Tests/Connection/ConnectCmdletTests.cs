using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Http;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Connection;

/// <summary>Connect-MSAccount, Get-MSContext and Disconnect-MSAccount in a real engine, against the emulator.</summary>
public class ConnectCmdletTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const string SecretKey = EmulatorOptions.DemoSecretKey;
    private readonly EmulatorFixture fixture;
    private readonly HostedPowerShell pwsh = new();
    private static readonly HttpClient Http = new();

    public ConnectCmdletTests(EmulatorFixture fixture) => this.fixture = fixture;

    private string Endpoint => fixture.BaseAddress.ToString();

    public void Dispose() => pwsh.Dispose();

    private RunResult ConnectWithKeys(string extra = "", string? securityToken = null) =>
        pwsh.Run($"Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] -ProjectId $args[2] -Endpoint $args[3] -PassThru {extra}" +
                 (securityToken is null ? "" : " -SecurityToken $args[4]"),
            EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure(SecretKey), EmulatorOptions.DemoProjectId, Endpoint, HostedPowerShell.Secure(securityToken ?? ""));

    /// <summary>A signed (or token) request built from the context is accepted by the emulator.</summary>
    private async Task AssertEmulatorAccepts(MetaStudioContext context)
    {
        string room = fixture.Server.Store.Rooms[0].RoomId;
        using var request = MetaStudioRequest.Create(context, context.Endpoint, HttpMethod.Get, new[] { "smart-live-rooms", room, "smart-live-jobs" },
            new[] { new System.Collections.Generic.KeyValuePair<string, string>("limit", "1") }, null, DateTime.UtcNow);
        using var response = await Http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task AccessKeyParameterSet()
    {
        var result = ConnectWithKeys();
        var ctx = result.Single<MetaStudioContext>();

        Assert.Null(result.FirstError);
        Assert.Equal(AuthType.AkSk, ctx.AuthType);
        Assert.Equal("MSEM****************", ctx.AccessKeyId);
        Assert.Equal(EmulatorOptions.DemoProjectId, ctx.ProjectId);
        Assert.Equal(ContextSource.Parameter, ctx.CredentialSource);
        Assert.Equal(ContextSource.Parameter, ctx.EndpointSource);
        Assert.Same(ctx, pwsh.Run("Get-MSContext").Single<MetaStudioContext>());
        await AssertEmulatorAccepts(ctx);
    }

    [Fact]
    public async Task TemporaryKeysSignTheSecurityToken()
    {
        fixture.Server.Options.RecordSecretHeaders = true; // to compare the token sent
        var ctx = ConnectWithKeys(securityToken: "TEMP-SECURITY-TOKEN-123").Single<MetaStudioContext>();

        Assert.Equal(AuthType.TemporaryAkSk, ctx.AuthType);
        await AssertEmulatorAccepts(ctx);
        var seen = fixture.Server.Requests.Last();
        Assert.Equal("TEMP-SECURITY-TOKEN-123", seen.Headers["X-Security-Token"]);
        Assert.Contains("x-security-token", seen.Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialParameterSet()
    {
        var result = pwsh.Run("Connect-MSAccount -Credential ([pscredential]::new($args[0], $args[1])) -ProjectId $args[2] -Endpoint $args[3] -PassThru",
            EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure(SecretKey), EmulatorOptions.DemoProjectId, Endpoint);
        var ctx = result.Single<MetaStudioContext>();

        Assert.Equal(AuthType.AkSk, ctx.AuthType);
        await AssertEmulatorAccepts(ctx);
    }

    [Fact]
    public async Task TokenParameterSet()
    {
        var result = pwsh.Run("Connect-MSAccount -Token $args[0] -ProjectId $args[1] -Endpoint $args[2] -AppUserId 'runbook-7' -PassThru",
            HostedPowerShell.Secure(EmulatorOptions.DemoToken), EmulatorOptions.DemoProjectId, Endpoint);
        var ctx = result.Single<MetaStudioContext>();

        Assert.Equal(AuthType.Token, ctx.AuthType);
        Assert.Null(ctx.AccessKeyId);
        Assert.Equal("runbook-7", ctx.AppUserId);
        await AssertEmulatorAccepts(ctx);
        var seen = fixture.Server.Requests.Last();
        Assert.Equal("runbook-7", seen.Headers["X-App-UserId"]);
        Assert.False(seen.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public void ParameterSetsAreExclusive()
    {
        var result = pwsh.Run("Connect-MSAccount -AccessKey AK -SecretKey $args[0] -Token $args[0] -ProjectId p", HostedPowerShell.Secure("x"));
        Assert.Equal("AmbiguousParameterSet,MetaStudio.Commands.ConnectMSAccountCommand", result.FirstError!.FullyQualifiedErrorId);
    }

    [Fact]
    public void ConnectingAgainReplacesTheContext()
    {
        ConnectWithKeys();
        var second = pwsh.Run("Connect-MSAccount -Token $args[0] -ProjectId $args[1] -Endpoint $args[2] -PassThru",
            HostedPowerShell.Secure(EmulatorOptions.DemoToken), EmulatorOptions.DemoProjectId, Endpoint).Single<MetaStudioContext>();

        Assert.Same(second, pwsh.Run("Get-MSContext").Single<MetaStudioContext>());
    }

    [Fact]
    public void WithoutPassThruNothingIsWritten()
    {
        var result = pwsh.Run("Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] -ProjectId $args[2] -Endpoint $args[3]",
            EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure(SecretKey), EmulatorOptions.DemoProjectId, Endpoint);
        Assert.Empty(result.Output);
        Assert.Null(result.FirstError);
    }

    [Fact]
    public void DisconnectForgetsTheContext()
    {
        var ctx = ConnectWithKeys().Single<MetaStudioContext>();
        pwsh.Run("Disconnect-MSAccount");
        var after = pwsh.Run("Get-MSContext");

        // Falls back to the environment or the profile file (normally: nothing), never the old context.
        Assert.True(after.Output.Count == 0 || !ReferenceEquals(after.Output[0].BaseObject, ctx));
        if (after.Output.Count == 0)
        {
            Assert.Equal("MetaStudio.CredentialsNotFound,MetaStudio.Commands.GetMSContextCommand", after.FirstError!.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, after.FirstError.CategoryInfo.Category);
        }
    }

    [Fact]
    public void ContextsArePerRunspaceAndCanBePassedIn()
    {
        var ctx = ConnectWithKeys().Single<MetaStudioContext>();
        using var other = new HostedPowerShell();

        var before = other.Run("Get-MSContext");
        Assert.True(before.Output.Count == 0 || !ReferenceEquals(before.Output[0].BaseObject, ctx));

        var passed = other.Run("$args[0] | Connect-MSAccount; Get-MSContext", ctx);
        Assert.Same(ctx, passed.Single<MetaStudioContext>());
    }

    [Fact]
    public void ContextsFlowIntoForEachObjectParallel()
    {
        ConnectWithKeys();
        var result = pwsh.Run("""
            $ctx = Get-MSContext
            $manifest = $args[0]
            1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
                Import-Module $using:manifest
                $using:ctx | Connect-MSAccount
                (Get-MSContext).ProjectId
            }
            """, RepoPaths.StagedManifest);

        Assert.Null(result.FirstError);
        Assert.Equal(Enumerable.Repeat(EmulatorOptions.DemoProjectId, 3), result.Output.Select(o => (string)o.BaseObject));
    }

    [Theory]
    [InlineData("-Endpoint 'http://metastudio.example.com'", "MetaStudio.InvalidEndpoint", "Endpoint", "loopback")]
    [InlineData("-Endpoint 'https://metastudio.example.com/v1/x'", "MetaStudio.InvalidEndpoint", "Endpoint", "no path")]
    [InlineData("-Region 'mars_1'", "MetaStudio.InvalidRegion", "Region", "cn-north-4")]
    [InlineData("-Region 'mars-1'", "MetaStudio.UnknownRegion", "Region", "HUAWEICLOUD_SDK_REGION_METASTUDIO_MARS_1")]
    [InlineData("-Region 'ap-southeast-3'", "MetaStudio.UnknownRegion", "Region", "HUAWEICLOUD_SDK_REGION_METASTUDIO_AP_SOUTHEAST_3")]
    [InlineData("-AppUserId '主播01'", "MetaStudio.InvalidAppUserId", "AppUserId", "Chinese")]
    [InlineData("-ProjectId '../../etc'", "MetaStudio.InvalidProjectId", "ProjectId", "letters, digits")]
    public void BadSettingsAreTerminatingErrorsNamingTheParameter(string parameters, string errorId, string target, string hint)
    {
        string project = parameters.Contains("-ProjectId", StringComparison.Ordinal) ? "" : "-ProjectId $args[2]";
        // try/catch sees only terminating errors: a non-terminating one would let 'not reached' through.
        var result = pwsh.Run($"try {{ Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] {project} {parameters}; 'not reached' }} catch {{ $_ }}",
            EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure(SecretKey), EmulatorOptions.DemoProjectId);

        var error = result.Single<ErrorRecord>();
        Assert.Equal(errorId + ",MetaStudio.Commands.ConnectMSAccountCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject);
        Assert.Contains(hint, error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(pwsh.Run("Get-MSContext").Output, o => o.BaseObject is MetaStudioContext c && c.CredentialSource == ContextSource.Parameter);
    }

    [Fact]
    public void MissingProjectIdSaysToPassIt()
    {
        var result = pwsh.Run("Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1]", EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure(SecretKey));
        Assert.Equal("MetaStudio.ProjectIdMissing,MetaStudio.Commands.ConnectMSAccountCommand", result.FirstError!.FullyQualifiedErrorId);
        Assert.Contains("-ProjectId", result.FirstError.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoSecretReachesAnyStreamPropertyOrError()
    {
        const string Sk = "SK-MUST-NOT-LEAK-0001";
        const string SecurityToken = "SECURITY-TOKEN-MUST-NOT-LEAK";
        const string Token = "IAM-TOKEN-MUST-NOT-LEAK";
        var runs = new[]
        {
            pwsh.Run("$VerbosePreference = $DebugPreference = 'Continue'; Connect-MSAccount -AccessKey AKVISIBLE0000000001 -SecretKey $args[0] -SecurityToken $args[1] -ProjectId $args[2] -Endpoint $args[3] -PassThru -Verbose; Get-MSContext -Verbose",
                HostedPowerShell.Secure(Sk), HostedPowerShell.Secure(SecurityToken), EmulatorOptions.DemoProjectId, Endpoint),
            pwsh.Run("Connect-MSAccount -Credential ([pscredential]::new('AKVISIBLE0000000001', $args[0])) -ProjectId $args[1] -Endpoint $args[2] -PassThru -Verbose",
                HostedPowerShell.Secure(Sk), EmulatorOptions.DemoProjectId, Endpoint),
            pwsh.Run("Connect-MSAccount -Token $args[0] -ProjectId $args[1] -Endpoint $args[2] -PassThru -Verbose; Get-MSContext",
                HostedPowerShell.Secure(Token), EmulatorOptions.DemoProjectId, Endpoint),
            pwsh.Run("Connect-MSAccount -Token $args[0] -ProjectId $args[1] -Endpoint 'http://example.com' -Verbose",
                HostedPowerShell.Secure(Token), EmulatorOptions.DemoProjectId),
            pwsh.Run("Connect-MSAccount -AccessKey AKVISIBLE0000000001 -SecretKey $args[0] -SecurityToken $args[1] -AppUserId '用户'",
                HostedPowerShell.Secure(Sk), HostedPowerShell.Secure(SecurityToken)),
            pwsh.Run("$Error | ForEach-Object { $_.ToString(); $_.Exception.ToString() }"),
        };

        var seen = runs.SelectMany(r => r.AllVisibleText()).ToList();
        Assert.Contains(seen, t => t.Contains("AKVI", StringComparison.Ordinal));
        foreach (var secret in new[] { Sk, SecurityToken, Token, "AKVISIBLE0000000001" })
        {
            Assert.DoesNotContain(seen, t => t.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void RegionCompletesKnownRegions()
    {
        const string Script = "Connect-MSAccount -Region cn-";
        var completion = CommandCompletion.CompleteInput(Script, Script.Length, null, PowerShell.Create(pwsh.Runspace));

        Assert.Equal(new[] { "cn-east-3", "cn-north-4" }, completion.CompletionMatches.Select(m => m.CompletionText));
        Assert.Contains("Beijing", completion.CompletionMatches.Single(m => m.CompletionText == "cn-north-4").ToolTip, StringComparison.Ordinal);
    }
}
