using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MetaStudio.Tests.Events;

/// <summary>A callback as received: the URL, the headers (names lower-cased) and the body.</summary>
public sealed record ReceivedCallback(Uri Url, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// An HTTP receiver on 127.0.0.1 for the emulator's live events: records each POST (bodies up to 64 KiB)
/// and answers 204, or, when <see cref="Silent"/>, never answers. Waits are bounded.
/// </summary>
public sealed class CallbackReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<ReceivedCallback> received = new();
    private readonly CancellationTokenSource stop = new();

    public CallbackReceiver()
    {
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Base => $"http://127.0.0.1:{Port}";

    /// <summary>Accept requests but never answer them (a hung receiver).</summary>
    public bool Silent { get; init; }

    public IReadOnlyList<ReceivedCallback> Received => received.ToArray();

    /// <summary>The callbacks so far once there are at least <paramref name="count"/>; fails after <paramref name="seconds"/>.</summary>
    public async Task<IReadOnlyList<ReceivedCallback>> WaitForAsync(int count, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (received.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{received.Count} callbacks of {count} within {seconds} s.");
            }

            await Task.Delay(20);
        }

        return Received;
    }

    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task LoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stop.IsCancellationRequested || !listener.IsListening)
            {
                return;
            }

            var buffer = new byte[64 * 1024];
            int total = 0, read;
            while (total < buffer.Length && (read = await context.Request.InputStream.ReadAsync(buffer.AsMemory(total))) > 0)
            {
                total += read;
            }

            var headers = context.Request.Headers.AllKeys.Where(k => k != null).ToDictionary(k => k!.ToLowerInvariant(), k => context.Request.Headers[k]!);
            received.Enqueue(new ReceivedCallback(context.Request.Url!, headers, Encoding.UTF8.GetString(buffer, 0, total)));
            if (!Silent)
            {
                context.Response.StatusCode = 204;
                context.Response.Close();
            }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
        stop.Dispose();
    }
}
