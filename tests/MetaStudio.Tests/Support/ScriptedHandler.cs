using System;
using System.Collections.Concurrent;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace MetaStudio.Tests.Support;

/// <summary>
/// Answers each request from a script (the request's number from 1, the request, its cancellation) and records
/// what it received, so a test can shape exactly the answers a hostile or broken service would give.
/// </summary>
public sealed class ScriptedHandler(Func<int, HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    private int requests;

    public ScriptedHandler(Func<int, HttpRequestMessage, Task<HttpResponseMessage>> answer)
        : this((n, request, _) => answer(n, request))
    {
    }

    public int Requests => requests;

    public ConcurrentQueue<(string Method, string Path, string? ContentType, string Body)> Received { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Received.Enqueue((request.Method.Method, request.RequestUri!.AbsolutePath, request.Content?.Headers.ContentType?.ToString(), body));
        return await answer(Interlocked.Increment(ref requests), request, cancellationToken);
    }
}
