using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Http;
using MetaStudio.Client.Json;
using MetaStudio.Client.Models;

namespace MetaStudio.Client.SmartLive;

/// <summary>The smart-live job operations: ListSmartLive, ListSmartLiveJobs and ShowSmartLive.</summary>
public sealed class SmartLiveClient
{
    private readonly MetaStudioTransport transport;

    /// <param name="maxRetry">Overrides the context's retries for this client.</param>
    /// <param name="timeoutSec">Overrides the context's per-attempt timeout for this client.</param>
    public SmartLiveClient(MetaStudioContext context, int? maxRetry = null, int? timeoutSec = null, MetaStudioTransport? transport = null)
    {
        Context = context ?? throw new ArgumentNullException(nameof(context));
        Options = new RequestOptions
        {
            MaxAttempts = 1 + (maxRetry ?? context.MaxRetry),
            Timeout = TimeSpan.FromSeconds(timeoutSec ?? context.TimeoutSec),
            RateLimiter = RateLimiter.For(context.Endpoint, context.ProjectId, context.RateLimit),
        };
        this.transport = transport ?? MetaStudioTransport.Shared;
    }

    public MetaStudioContext Context { get; }

    public RequestOptions Options { get; }

    /// <summary>Called once per HTTP attempt (on whatever thread completed it).</summary>
    public Action<RequestTrace>? Observer { get; set; }

    /// <summary>One page of jobs, of a room (ListSmartLive) or of the project (ListSmartLiveJobs).</summary>
    public Task<SmartLiveJobPage> ListPageAsync(SmartLiveJobQuery query, long offset, int limit, CancellationToken cancellationToken)
    {
        string operation = query.RoomId is null ? "ListSmartLiveJobs" : "ListSmartLive";
        string[] segments = query.RoomId is null
            ? new[] { "smart-live-jobs" }
            : new[] { "smart-live-rooms", query.RoomId, "smart-live-jobs" };
        var pairs = query.ToQuery(offset, limit);
        return transport.SendAsync(operation, Context,
            now => MetaStudioRequest.Create(Context, HttpMethod.Get, segments, pairs, now),
            new MetaStudioTransport.BodyParser<SmartLiveJobPage>(ParsePage), Options, Observer, cancellationToken);
    }

    /// <summary>One job (ShowSmartLive).</summary>
    public Task<SmartLiveJob> ShowAsync(string roomId, string jobId, CancellationToken cancellationToken)
    {
        SmartLiveJobQuery.ValidatePathSegment(roomId, "RoomId");
        SmartLiveJobQuery.ValidatePathSegment(jobId, "JobId");
        string[] segments = { "smart-live-rooms", roomId, "smart-live-jobs", jobId };
        return transport.SendAsync("ShowSmartLive", Context,
            now => MetaStudioRequest.Create(Context, HttpMethod.Get, segments, Array.Empty<System.Collections.Generic.KeyValuePair<string, string>>(), now),
            new MetaStudioTransport.BodyParser<SmartLiveJob>(ParseJob), Options, Observer, cancellationToken);
    }

    internal static SmartLiveJobPage ParsePage(ReadOnlySpan<byte> body, int status)
    {
        var page = JsonSerializer.Deserialize(body, MetaStudioJsonContext.Default.SmartLiveJobPage)
                   ?? throw new JsonException("The body is null, not a page.");
        if (page.SmartLiveJobs is null)
        {
            throw new JsonException("The page has no smart_live_jobs array.");
        }

        return page;
    }

    internal static SmartLiveJob ParseJob(ReadOnlySpan<byte> body, int status) =>
        JsonSerializer.Deserialize(body, MetaStudioJsonContext.Default.SmartLiveJob) ?? throw new JsonException("The body is null, not a job.");
}
