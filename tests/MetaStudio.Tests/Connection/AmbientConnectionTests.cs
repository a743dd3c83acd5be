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

/// <summary>
/// Runbooks without Connect-MSAccount: credentials from the environment or the profile file, through
/// the real cmdlets, and their precedence.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class AmbientConnectionTests : IAsyncLifetime, IDisposable
{
    private readonly EnvironmentScope env = new();
    private readonly HostedPowerShell pwsh = new();
    private EmulatorServer server = null!;

    public async Task InitializeAsync() => server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 3 });

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose()
    {
        pwsh.Dispose();
        env.Dispose();
    }

    private void SetEnvironmentCredentials(string prefix = "HUAWEICLOUD_SDK_")
    {
        env.Set(prefix + "AK", EmulatorOptions.DemoAccessKey).Set(prefix + "SK", EmulatorOptions.DemoSecretKey)
           .Set("HUAWEICLOUD_SDK_PROJECT_ID", EmulatorOptions.DemoProjectId)
           .Set("HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4", server.BaseAddress.ToString());
    }

    private async Task AssertEmulatorAccepts(MetaStudioContext context)
    {
        using var http = new HttpClient();
        using var request = MetaStudioRequest.Create(context, context.Endpoint, HttpMethod.Get, new[] { "smart-live-jobs" }, Array.Empty<System.Collections.Generic.KeyValuePair<string, string>>(), null, DateTime.UtcNow);
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("HUAWEICLOUD_SDK_")]
    [InlineData("CLOUD_SDK_")]
    public async Task EnvironmentAloneIsEnoughForARunbook(string prefix)
    {
        SetEnvironmentCredentials(prefix);

        var ctx = pwsh.Run("Get-MSContext").Single<MetaStudioContext>();

        Assert.Equal(ContextSource.Environment, ctx.CredentialSource);
        Assert.Equal(ContextSource.Environment, ctx.ProjectIdSource);
        Assert.Equal(ContextSource.Environment, ctx.EndpointSource);
        Assert.Equal(ContextSource.Default, ctx.RegionSource);
        await AssertEmulatorAccepts(ctx);
    }

    [Fact]
    public async Task ConnectWithoutCredentialParametersStoresTheEnvironmentContext()
    {
        SetEnvironmentCredentials();
        var ctx = pwsh.Run("Connect-MSAccount -PassThru").Single<MetaStudioContext>();

        env.Set("HUAWEICLOUD_SDK_AK", null); // the stored context no longer depends on the environment
        Assert.Same(ctx, pwsh.Run("Get-MSContext").Single<MetaStudioContext>());
        await AssertEmulatorAccepts(ctx);
    }

    [Fact]
    public async Task ProfileFileWhenTheEnvironmentHasNoCredentials()
    {
        env.WriteProfile($"[basic]\nak = {EmulatorOptions.DemoAccessKey}\nsk = {EmulatorOptions.DemoSecretKey}\nproject_id = {EmulatorOptions.DemoProjectId}\n");
        env.Set("HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4", server.BaseAddress.ToString());

        var ctx = pwsh.Run("Get-MSContext").Single<MetaStudioContext>();

        Assert.Equal((ContextSource.ProfileFile, ContextSource.ProfileFile), (ctx.CredentialSource, ctx.ProjectIdSource));
        await AssertEmulatorAccepts(ctx);
    }

    [Fact]
    public void PrecedenceIsConnectThenEnvironmentThenProfile()
    {
        env.WriteProfile($"[basic]\nak = AKPROFILE\nsk = profile-sk\nproject_id = {EmulatorOptions.DemoProjectId}\n");
        Assert.Equal(ContextSource.ProfileFile, pwsh.Run("Get-MSContext").Single<MetaStudioContext>().CredentialSource);

        SetEnvironmentCredentials();
        Assert.Equal(ContextSource.Environment, pwsh.Run("Get-MSContext").Single<MetaStudioContext>().CredentialSource);

        pwsh.Run("Connect-MSAccount -Token $args[0] -ProjectId $args[1]", HostedPowerShell.Secure("tok"), EmulatorOptions.DemoProjectId);
        Assert.Equal(AuthType.Token, pwsh.Run("Get-MSContext").Single<MetaStudioContext>().AuthType);

        pwsh.Run("Disconnect-MSAccount");
        Assert.Equal(ContextSource.Environment, pwsh.Run("Get-MSContext").Single<MetaStudioContext>().CredentialSource);
    }

    [Fact]
    public void HalfAPairInTheEnvironmentStopsInsteadOfFallingThroughToTheProfile()
    {
        env.WriteProfile($"[basic]\nak = AKPROFILE\nsk = profile-sk\nproject_id = {EmulatorOptions.DemoProjectId}\n");
        env.Set("HUAWEICLOUD_SDK_AK", "AKONLY");

        var result = pwsh.Run("try { Get-MSContext -ErrorAction Stop } catch { $_ }");
        var error = result.Single<ErrorRecord>();

        Assert.Equal("MetaStudio.HalfKeyPair,MetaStudio.Commands.GetMSContextCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("HUAWEICLOUD_SDK_SK", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreadableProfileFileNamedByTheEnvironmentStops()
    {
        env.Set("HUAWEICLOUD_SDK_CREDENTIALS_FILE", env.Home); // a directory cannot be read as a file
        var error = pwsh.Run("try { Connect-MSAccount } catch { $_ }").Single<ErrorRecord>();

        Assert.Equal("MetaStudio.ProfileFileUnreadable,MetaStudio.Commands.ConnectMSAccountCommand", error.FullyQualifiedErrorId);
        Assert.Contains("HUAWEICLOUD_SDK_CREDENTIALS_FILE", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetMSContextReportsNothingConfiguredAsANonTerminatingError()
    {
        // As with Get-AzContext: a script can ask whether anything is configured without a try/catch.
        var quiet = pwsh.Run("if (-not (Get-MSContext -ErrorAction SilentlyContinue)) { 'not configured' }; Get-MSContext -ErrorAction Ignore; 'still running'");
        Assert.Null(quiet.Terminating);
        Assert.Equal(new[] { "not configured", "still running" }, quiet.Output.Select(o => o.BaseObject));

        var loud = pwsh.Run("Get-MSContext; 'still running'");
        Assert.Null(loud.Terminating);
        Assert.Equal("still running", Assert.Single(loud.Output).BaseObject);
        Assert.Equal("MetaStudio.CredentialsNotFound,MetaStudio.Commands.GetMSContextCommand", Assert.Single(loud.Errors).FullyQualifiedErrorId);

        var stop = pwsh.Run("try { Get-MSContext -ErrorAction Stop; 'not reached' } catch { 'caught ' + $_.FullyQualifiedErrorId }");
        Assert.Equal("caught MetaStudio.CredentialsNotFound,MetaStudio.Commands.GetMSContextCommand", Assert.Single(stop.Output).BaseObject);
    }

    [Fact]
    public void NothingConfiguredSaysWhatWasTriedAndWhatToSet()
    {
        var error = pwsh.Run("try { Get-MSContext -ErrorAction Stop } catch { $_ }").Single<ErrorRecord>();

        Assert.Equal("MetaStudio.CredentialsNotFound,MetaStudio.Commands.GetMSContextCommand", error.FullyQualifiedErrorId);
        Assert.Contains(env.DefaultProfilePath, error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("Connect-MSAccount -AccessKey", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("HUAWEICLOUD_SDK_PROJECT_ID", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AListingWithoutAnyCredentialsStopsBeforeAnyRequest()
    {
        var error = pwsh.Run("try { Get-MSSmartLiveJob -RoomId x } catch { $_ }").Single<ErrorRecord>();

        Assert.Equal("MetaStudio.CredentialsNotFound,MetaStudio.Commands.GetMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Equal(0, server.ReceivedCount);
    }

    [Fact]
    public void RegionFromTheEnvironmentWithTheSdkEndpointOverride()
    {
        SetEnvironmentCredentials();
        env.Set("HUAWEICLOUD_SDK_REGION", "ap-southeast-3").Set("HUAWEICLOUD_SDK_REGION_METASTUDIO_AP_SOUTHEAST_3", "https://metastudio.ap-southeast-3.example.com");

        var ctx = pwsh.Run("Get-MSContext").Single<MetaStudioContext>();

        Assert.Equal(("ap-southeast-3", ContextSource.Environment), (ctx.Region, ctx.RegionSource));
        Assert.Equal(new Uri("https://metastudio.ap-southeast-3.example.com"), ctx.Endpoint);
    }
}
