using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Http;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Hardening;

/// <summary>
/// A loopback endpoint is never sent through a proxy (its plain http would hand the signature and tokens
/// to the proxy in clear text); NO_PROXY keeps working; an https endpoint keeps using the proxy's CONNECT.
/// The module runs in a child process, so the proxy variables are read as a runbook's pwsh reads them.
/// </summary>
public sealed class ProxyTests : IAsyncLifetime
{
    private EmulatorServer server = null!;
    private RecordingProxy proxy = null!;

    public async Task InitializeAsync()
    {
        server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 5 });
        proxy = new RecordingProxy();
    }

    public async Task DisposeAsync()
    {
        proxy.Dispose();
        await server.DisposeAsync();
    }

    private Dictionary<string, string?> Environment(string proxyVariable, string? noProxy = null) => new()
    {
        ["HUAWEICLOUD_SDK_AK"] = EmulatorOptions.DemoAccessKey,
        ["HUAWEICLOUD_SDK_SK"] = EmulatorOptions.DemoSecretKey,
        ["HUAWEICLOUD_SDK_PROJECT_ID"] = EmulatorOptions.DemoProjectId,
        ["HTTP_PROXY"] = null, ["HTTPS_PROXY"] = null, ["ALL_PROXY"] = null, ["NO_PROXY"] = noProxy,
        ["http_proxy"] = null, ["https_proxy"] = null, ["all_proxy"] = null, ["no_proxy"] = null,
        [proxyVariable] = proxy.Address,
    };

    [Theory]
    [InlineData("HTTP_PROXY")]
    [InlineData("ALL_PROXY")]
    public async Task ALoopbackEndpointIsNeverProxied(string proxyVariable)
    {
        var (exit, output) = await PlaygroundProcess.RunAsync(Environment(proxyVariable),
            "-Endpoint", server.BaseAddress.ToString(), "-Command", "Get-MSSmartLiveJob -First 1 -MaxRetry 0 | ForEach-Object JobId");

        Assert.Empty(proxy.Received);
        Assert.True(exit == 0, output);
        Assert.Equal(1, server.ReceivedCount);
    }

    [Fact]
    public async Task AnHttpsEndpointStillGoesThroughTheProxysConnect()
    {
        var (exit, output) = await PlaygroundProcess.RunAsync(Environment("HTTPS_PROXY"),
            "-Region", "cn-north-4", "-Command", "Get-MSSmartLiveJob -First 1 -MaxRetry 0 -TimeoutSec 10");

        Assert.NotEqual(0, exit);
        Assert.Contains(proxy.Received, line => line.StartsWith("CONNECT metastudio.cn-north-4.myhuaweicloud.com:443 ", StringComparison.Ordinal));
        Assert.DoesNotContain(proxy.Received, line => line.Contains("Signature", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoProxyKeepsWorking()
    {
        var (exit, output) = await PlaygroundProcess.RunAsync(Environment("HTTPS_PROXY", noProxy: ".myhuaweicloud.com"),
            "-Region", "cn-north-4", "-Command", "Get-MSSmartLiveJob -First 1 -MaxRetry 0 -TimeoutSec 10");

        Assert.NotEqual(0, exit); // no network here: the direct connection fails
        Assert.Empty(proxy.Received);
    }

    /// <summary>A proxy on 127.0.0.1 that records each request line and refuses with 502.</summary>
    internal sealed class RecordingProxy : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();

        public RecordingProxy()
        {
            listener.Start();
            Address = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
            _ = Task.Run(AcceptAsync);
        }

        public string Address { get; }

        public ConcurrentQueue<string> Received { get; } = new();

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        using var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
                        string? line;
                        while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync()))
                        {
                            Received.Enqueue(line); // the request line and every header
                        }

                        byte[] refusal = Encoding.ASCII.GetBytes("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        await stream.WriteAsync(refusal);
                    }
                });
            }
        }
    }
}
