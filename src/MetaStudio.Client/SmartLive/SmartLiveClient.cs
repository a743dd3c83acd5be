using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Http;
using MetaStudio.Client.Json;
using MetaStudio.Client.Models;
using MetaStudio.Client.Paging;

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
            MaxResponseBytes = context.MaxResponseBytes,
        };
        this.transport = transport ?? MetaStudioTransport.Shared;
    }

    public MetaStudioContext Context { get; }

    public RequestOptions Options { get; }

    /// <summary>Called once per HTTP attempt (on whatever thread completed it).</summary>
    public Action<RequestTrace>? Observer { get; set; }

    /// <summary>One page of jobs, of a room (ListSmartLive) or of the project (ListSmartLiveJobs).</summary>
    public Task<Page<SmartLiveJob>> ListPageAsync(SmartLiveJobQuery query, long offset, int limit, CancellationToken cancellationToken)
    {
        var call = query.RoomId is null
            ? new ApiRequest(SmartLiveOperations.ListSmartLiveJobs, new[] { "smart-live-jobs" }, query.ToQuery(offset, limit))
            : new ApiRequest(SmartLiveOperations.ListSmartLive, new[] { "smart-live-rooms", query.RoomId, "smart-live-jobs" }, query.ToQuery(offset, limit));
        return SendAsync(call, ParsePage, cancellationToken);
    }

    /// <summary>One job (ShowSmartLive).</summary>
    public Task<SmartLiveJob> ShowAsync(string roomId, string jobId, CancellationToken cancellationToken)
    {
        SmartLiveJobQuery.ValidatePathSegment(roomId, "RoomId");
        SmartLiveJobQuery.ValidatePathSegment(jobId, "JobId");
        var call = new ApiRequest(SmartLiveOperations.ShowSmartLive, new[] { "smart-live-rooms", roomId, "smart-live-jobs", jobId });
        return SendAsync(call, ParseJob, cancellationToken);
    }

    /// <summary>Sends a call with this client's context, options and observer, paced by the operation's rate-limit bucket.</summary>
    public Task<T> SendAsync<T>(ApiRequest call, MetaStudioTransport.BodyParser<T> parse, CancellationToken cancellationToken)
    {
        var op = call.Operation;
        var options = new RequestOptions
        {
            MaxAttempts = Options.MaxAttempts,
            Timeout = Options.Timeout,
            MaxRetryAfter = Options.MaxRetryAfter,
            BackoffBase = Options.BackoffBase,
            BackoffCap = Options.BackoffCap,
            MaxResponseBytes = Options.MaxResponseBytes,
            RateLimiter = Context.RateLimit > 0
                ? RateLimiter.For(Context.Endpoint, Context.ProjectId, op.RateBucket, Math.Min(Context.RateLimit, op.DocumentedRate))
                : null,
        };
        return transport.SendAsync(call, Context, parse, options, Observer, cancellationToken);
    }

    internal static Page<SmartLiveJob> ParsePage(ReadOnlySpan<byte> body, int status) =>
        PageParser.Parse<SmartLiveJob>(body, "smart_live_jobs", "job_id", MetaStudioJsonContext.Default);

    internal static SmartLiveJob ParseJob(ReadOnlySpan<byte> body, int status) =>
        JsonSerializer.Deserialize(body, MetaStudioJsonContext.Default.SmartLiveJob) ?? throw new JsonException("The body is null, not a job.");
}
