using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Http;
using MetaStudio.Client.SmartLive;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Hardening;

/// <summary>
/// Regions, endpoint lists and error bodies as the official SDKs handle them: the environment override
/// for any region id, the regions file, failover before any byte is sent (never after), https:// added
/// to a bare host, and errors read from every shape the SDKs read.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class SdkFidelityTests : IAsyncLifetime, IDisposable
{
    private readonly EnvironmentScope env = new();
    private EmulatorServer server = null!;
    private HostedPowerShell pwsh = null!;

    public async Task InitializeAsync()
    {
        server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 5 });
        pwsh = new HostedPowerShell();
        env.Set("HUAWEICLOUD_SDK_AK", EmulatorOptions.DemoAccessKey).Set("HUAWEICLOUD_SDK_SK", EmulatorOptions.DemoSecretKey)
           .Set("HUAWEICLOUD_SDK_PROJECT_ID", EmulatorOptions.DemoProjectId);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose()
    {
        pwsh.Dispose();
        env.Dispose();
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Theory]
    [InlineData("eu-west-101")]
    [InlineData("la-south-6001")]
    [InlineData("local-1")]
    public void AnyRegionIdWorksWithTheSdksEnvironmentOverride(string region)
    {
        env.Set("HUAWEICLOUD_SDK_REGION", region)
           .Set(Regions.OverrideVariable(region), server.BaseAddress.ToString());

        var result = pwsh.Run("Get-MSContext; Get-MSSmartLiveJob -First 1");

        Assert.Empty(result.Errors);
        var context = (MetaStudioContext)result.Output[0].BaseObject;
        Assert.Equal((region, ContextSource.Environment), (context.Region, context.EndpointSource));
        Assert.Equal(2, result.Output.Count);
    }

    [Fact]
    public void RegionIdsCompareWithoutRegardToCase()
    {
        var context = pwsh.Invoke<MetaStudioContext>("Connect-MSAccount -Region CN-NORTH-4 -PassThru").Single();

        Assert.Equal("cn-north-4", context.Region);
        Assert.Equal(new Uri("https://metastudio.cn-north-4.myhuaweicloud.com"), context.Endpoint);
    }

    [Fact]
    public void TheRegionsFileIsReadAsTheSdksReadIt()
    {
        string path = Path.Combine(env.Home, ".huaweicloud", "regions.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"""
            # regions for this machine
            IAM:
              - id: local-1
                endpoint: 'https://iam.local.example.com'
            MetaStudio:
              - id: local-1
                endpoints:
                  - '{server.BaseAddress}'
                  - https://metastudio.local-backup.example.com
              - id: eu-west-101
                endpoints: [https://metastudio.eu-west-101.example.com, https://b.example.com]
            """);

        var local = pwsh.Run("Connect-MSAccount -Region local-1 -PassThru | ForEach-Object { $_.EndpointSource.ToString(); $_.Endpoints }");
        var eu = pwsh.Run("(Connect-MSAccount -Region EU-WEST-101 -PassThru).Endpoints");
        pwsh.Invoke("Connect-MSAccount -Region local-1");
        var listed = pwsh.Run("Get-MSSmartLiveJob -First 1");

        Assert.Equal(new object[] { "RegionsFile", new Uri(server.BaseAddress.GetLeftPart(UriPartial.Authority)), new Uri("https://metastudio.local-backup.example.com") },
            local.Output.Select(o => o.BaseObject));
        Assert.Equal(new[] { new Uri("https://metastudio.eu-west-101.example.com"), new Uri("https://b.example.com") }, eu.Output.Select(o => o.BaseObject));
        Assert.Empty(listed.Errors);
        Assert.Single(listed.Output);
    }

    [Fact]
    public void AnUnknownRegionSaysWhichAreKnownAndHowToAddOne()
    {
        var result = pwsh.Run("Connect-MSAccount -Region mars-1");

        Assert.Equal("MetaStudio.UnknownRegion,MetaStudio.Commands.ConnectMSAccountCommand", result.FirstError!.FullyQualifiedErrorId);
        string message = result.FirstError.ToString();
        Assert.Contains("cn-east-3, cn-north-4", message, StringComparison.Ordinal);
        Assert.Contains("HUAWEICLOUD_SDK_REGION_METASTUDIO_MARS_1", message, StringComparison.Ordinal);
        Assert.Contains("regions.yaml", message, StringComparison.Ordinal);
        Assert.Contains("-Endpoint", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEndpointThatRefusesTheConnectionIsSkippedForTheNext()
    {
        string dead = $"http://127.0.0.1:{ClosedPort()}";
        env.Set("HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4", $"{dead}, {server.BaseAddress}");

        var result = pwsh.Run("Get-MSSmartLiveJob -First 2 -MaxRetry 0 -Verbose");

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Output.Count);
        Assert.Contains(result.Verbose, v => v.Contains($"could not reach {dead}; trying " + server.BaseAddress.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal));
        Assert.Equal(1, server.ReceivedCount);
    }

    [Fact]
    public async Task AnEndpointWhoseTlsHandshakeFailsIsSkippedForTheNext()
    {
        await using var untrusted = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 5, Certificate = SelfSigned() });
        env.Set("HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4", $"{untrusted.BaseAddress},{server.BaseAddress}");

        var result = pwsh.Run("Get-MSSmartLiveJob -First 1 -MaxRetry 0");

        Assert.Empty(result.Errors);
        Assert.Equal(0, untrusted.ReceivedCount);
        Assert.Equal(1, server.ReceivedCount);
    }

    [Fact]
    public async Task ARequestThatMayHaveArrivedIsNeverSentToASecondEndpoint()
    {
        await using var second = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 5 });
        server.AddFault("reset-mid-bodyx4");
        env.Set("HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4", $"{server.BaseAddress},{second.BaseAddress}");

        var result = pwsh.Run("Get-MSSmartLiveJob -First 1 -MaxRetry 1");

        Assert.Single(result.Errors);
        Assert.Equal(2, server.ReceivedCount);   // the first endpoint, retried
        Assert.Equal(0, second.ReceivedCount);   // never the second
    }

    [Fact]
    public void AnEndpointWithoutASchemeGetsHttps()
    {
        env.Set("HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4", "metastudio.example.com, metastudio-2.example.com:8443");

        var endpoints = pwsh.Run("(Get-MSContext).Endpoints");

        Assert.Empty(endpoints.Errors);
        Assert.Equal(new[] { new Uri("https://metastudio.example.com"), new Uri("https://metastudio-2.example.com:8443") }, endpoints.Output.Select(o => o.BaseObject));
    }

    public static TheoryData<string, string?, string?, string?> ErrorBodies() => new()
    {
        // body, expected code, expected message, encoded authorization message
        { """{"error_code":"MSS.1","error_msg":"snake"}""", "MSS.1", "snake", null },
        { """{"errorCode":"MSS.2","errorMsg":"camel"}""", "MSS.2", "camel", null },
        { """{"code":"MSS.3","message":"plain"}""", "MSS.3", "plain", null },
        { """{"error":{"code":"APIGW.0301","message":"nested"}}""", "APIGW.0301", "nested", null },
        { """{"encoded_authorization_message":"ENC123","error_code":"IAM.403","error_msg":"denied","details":[{"code":"d1"}]}""", "IAM.403", "denied", "ENC123" },
        { """{"error_code":"ONLY-A-CODE"}""", "403", """{"error_code":"ONLY-A-CODE"}""", null }, // half a pair: the status and the body, as the SDKs do
        { "not json at all", "403", "not json at all", null },
    };

    [Theory]
    [MemberData(nameof(ErrorBodies))]
    public async Task ErrorBodiesAreReadAsTheSdksReadThem(string body, string? code, string? message, string? encoded)
    {
        var e = await FailWith(HttpStatusCode.Forbidden, body);

        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(message, e.ErrorMessage);
        dynamic fields = e; // read by name: the same test runs against builds without these members
        Assert.Equal(encoded, (string?)fields.EncodedAuthorizationMessage);
        Assert.Equal(code == "403", (bool)fields.CodeFromStatus);
        Assert.Equal(code == "403" ? "Http403" : code, e.ErrorId);
        if (body.Contains("details", StringComparison.Ordinal))
        {
            Assert.Equal("""[{"code":"d1"}]""", (string?)fields.Details);
        }
    }

    [Fact]
    public async Task ControlCharactersInAnErrorAreEscapedInTheMessageAndKeptInTheProperty()
    {
        var e = await FailWith(HttpStatusCode.BadRequest, "{\"error_code\":\"MSS.00000003\",\"error_msg\":\"bad \\u001b]0;pwned\\u0007 value\"}");

        Assert.Equal("bad \u001b]0;pwned\u0007 value", e.ErrorMessage);
        Assert.DoesNotContain('\u001b', e.Message);
        Assert.Contains("bad `e]0;pwned`a value", e.Message, StringComparison.Ordinal);
    }

    private static async Task<MetaStudioServiceException> FailWith(HttpStatusCode status, string body)
    {
        var context = new ContextResolver(_ => null, null).Resolve(new ConnectionSettings
        {
            AccessKey = "AK", SecretKey = "SK", ProjectId = "p", Endpoint = new Uri("http://127.0.0.1:1"), RateLimit = 0, MaxRetry = 0,
        });
        var handler = new FixedHandler(status, body);
        var client = new SmartLiveClient(context, transport: new MetaStudioTransport(new HttpClient(handler)));
        return await Assert.ThrowsAsync<MetaStudioServiceException>(() => client.ListPageAsync(new SmartLiveJobQuery { RoomId = "r" }, 0, 10, CancellationToken.None));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private sealed class FixedHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
