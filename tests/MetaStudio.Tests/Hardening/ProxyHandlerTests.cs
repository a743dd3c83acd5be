using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using MetaStudio.Client.Http;
using MetaStudio.Emulator;
using Xunit;

namespace MetaStudio.Tests.Hardening;

/// <summary>The transport's handler itself: the system proxy for everything but loopback.</summary>
public sealed class ProxyHandlerTests : IAsyncLifetime
{
    private EmulatorServer server = null!;
    private ProxyTests.RecordingProxy proxy = null!;

    public async Task InitializeAsync()
    {
        server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 5 });
        proxy = new ProxyTests.RecordingProxy();
    }

    public async Task DisposeAsync()
    {
        proxy.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task TheHandlerBypassesOnlyLoopback()
    {
        using var http = new HttpClient(MetaStudioTransport.CreateHandler(new WebProxy(proxy.Address)));
        using (var direct = await http.GetAsync(server.BaseAddress + "v1/x/smart-live-jobs"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode); // the emulator itself answered
        }

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync("https://metastudio.example.com/v1/x"));
        Assert.Contains(proxy.Received, line => line.StartsWith("CONNECT metastudio.example.com:443 ", StringComparison.Ordinal));
        Assert.DoesNotContain(proxy.Received, line => line.Contains("127.0.0.1", StringComparison.Ordinal));
    }
}
