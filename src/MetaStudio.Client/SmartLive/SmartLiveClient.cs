using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Http;
using MetaStudio.Client.Json;
using MetaStudio.Client.Models;
using MetaStudio.Client.Paging;

namespace MetaStudio.Client.SmartLive;

/// <summary>The smart-live operations: jobs and rooms, starting and stopping, and live commands.</summary>
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

    /// <summary>
    /// How many requests of an operation can wait for the rate limit within one attempt's timeout:
    /// listings never queue more pages ahead than this, so none of them fails for having waited too long.
    /// </summary>
    public int QueueBudget(ApiOperation operation)
    {
        if (Context.RateLimit <= 0)
        {
            return int.MaxValue;
        }

        var interval = RateLimiter.IntervalFor(Math.Min(Context.RateLimit, operation.DocumentedRate));
        return (int)Math.Max(1, Math.Min(int.MaxValue, Math.Floor(Options.Timeout.TotalSeconds / interval.TotalSeconds) - 1));
    }

    /// <summary>Called once per HTTP attempt (on whatever thread completed it).</summary>
    public Action<RequestTrace>? Observer { get; set; }

    /// <summary>One page of jobs, of a room (ListSmartLive) or of the project (ListSmartLiveJobs).</summary>
    public Task<Page<SmartLiveJob>> ListPageAsync(SmartLiveJobQuery query, long offset, int limit, CancellationToken cancellationToken)
    {
        var call = query.RoomId is null
            ? new ApiRequest(SmartLiveOperations.ListSmartLiveJobs, new[] { "smart-live-jobs" }, query.ToQuery(offset, limit))
            : new ApiRequest(SmartLiveOperations.ListSmartLive, new[] { "smart-live-rooms", query.RoomId, "smart-live-jobs" }, query.ToQuery(offset, limit));
        return SendAsync(call, (body, _, token) => PageParser.Parse<SmartLiveJob>(body, "smart_live_jobs", "job_id", MetaStudioJsonContext.Default, ParseOptionsFor(token)), cancellationToken);
    }

    /// <summary>One job (ShowSmartLive).</summary>
    public Task<SmartLiveJob> ShowAsync(string roomId, string jobId, CancellationToken cancellationToken)
    {
        SmartLiveJobQuery.ValidatePathSegment(roomId, "RoomId");
        SmartLiveJobQuery.ValidatePathSegment(jobId, "JobId");
        var call = new ApiRequest(SmartLiveOperations.ShowSmartLive, new[] { "smart-live-rooms", roomId, "smart-live-jobs", jobId });
        return SendAsync(call, (body, _, token) => ParseItem<SmartLiveJob>(body, "job_id", "job", token), cancellationToken);
    }

    /// <summary>One page of rooms (ListSmartLiveRooms).</summary>
    public Task<Page<SmartLiveRoom>> ListRoomsPageAsync(SmartLiveRoomQuery query, long offset, int limit, CancellationToken cancellationToken) =>
        SendAsync(new ApiRequest(SmartLiveOperations.ListSmartLiveRooms, new[] { "smart-live-rooms" }, query.ToQuery(offset, limit)),
            (body, _, token) => PageParser.Parse<SmartLiveRoom>(body, "smart_live_rooms", "room_id", MetaStudioJsonContext.Default, ParseOptionsFor(token)), cancellationToken);

    /// <summary>One room with its full definition (ShowSmartLiveRoom).</summary>
    public Task<SmartLiveRoom> ShowRoomAsync(string roomId, CancellationToken cancellationToken)
    {
        SmartLiveJobQuery.ValidatePathSegment(roomId, "RoomId");
        return SendAsync(new ApiRequest(SmartLiveOperations.ShowSmartLiveRoom, new[] { "smart-live-rooms", roomId }),
            (body, _, token) => WithRoomId(ParseItem<SmartLiveRoom>(body, "room_id", "room", token), roomId),
            cancellationToken);
    }

    /// <summary>Starts a live in a room (StartSmartLive). Never sent twice once it may have arrived.</summary>
    public async Task<StartedSmartLiveJob> StartAsync(string roomId, StartSmartLiveBody body, CancellationToken cancellationToken)
    {
        SmartLiveJobQuery.ValidatePathSegment(roomId, "RoomId");
        byte[] json = body.ToJson(out var secrets);
        string? requestId = null;
        var started = await SendAsync(new ApiRequest(SmartLiveOperations.StartSmartLive, new[] { "smart-live-rooms", roomId, "smart-live-jobs" }, null, json, secrets),
            (data, _, token) => ParseItem<StartedSmartLiveJob>(data, "job_id", "started job", token),
            cancellationToken, trace => requestId = trace.RequestId).ConfigureAwait(false);
        if (string.IsNullOrEmpty(started.JobId))
        {
            throw new MetaStudioServiceException(Errors.ServiceErrorKind.InvalidResponse, 202, null, "the answer has no job_id", requestId, SmartLiveOperations.StartSmartLive.Name)
                .WithUnknownOutcome(SmartLiveOperations.StartSmartLive.IfOutcomeUnknown);
        }

        try
        {
            // The id goes into the paths of every later request (wait, stop, commands): it must be one that can.
            SmartLiveJobQuery.ValidatePathSegment(started.JobId, "job_id");
        }
        catch (ArgumentException e)
        {
            throw new MetaStudioServiceException(Errors.ServiceErrorKind.InvalidResponse, 202, null,
                    "the answer's job_id cannot be used in a request: " + e.Message.Replace("-job_id", "job_id"), requestId, SmartLiveOperations.StartSmartLive.Name)
                .WithUnknownOutcome(SmartLiveOperations.StartSmartLive.IfOutcomeUnknown);
        }

        started.RoomId = roomId;
        started.RequestId = requestId;
        return started;
    }

    /// <summary>Stops a job (StopSmartLive); any 2xx is success. Never sent twice once it may have arrived.</summary>
    public Task<bool> StopAsync(string roomId, string jobId, CancellationToken cancellationToken)
    {
        SmartLiveJobQuery.ValidatePathSegment(roomId, "RoomId");
        SmartLiveJobQuery.ValidatePathSegment(jobId, "JobId");
        return SendAsync(new ApiRequest(SmartLiveOperations.StopSmartLive, new[] { "smart-live-rooms", roomId, "smart-live-jobs", jobId, "stop" }),
            (_, _, _) => true, cancellationToken);
    }

    /// <summary>
    /// Sends a command to a live (ExecuteSmartLiveCommand): <paramref name="body"/> is ControlSmartLiveReq as JSON.
    /// Never sent twice once it may have arrived.
    /// </summary>
    public async Task<SmartLiveCommandResult> ExecuteCommandAsync(string roomId, string jobId, byte[] body, CancellationToken cancellationToken)
    {
        SmartLiveJobQuery.ValidatePathSegment(roomId, "RoomId");
        SmartLiveJobQuery.ValidatePathSegment(jobId, "JobId");
        string? requestId = null;
        var result = await SendAsync(new ApiRequest(SmartLiveOperations.ExecuteSmartLiveCommand, new[] { "smart-live-rooms", roomId, "smart-live-jobs", jobId, "command" }, null, body),
            (data, _, token) => ParseItem<SmartLiveCommandResult>(data, "command_id", "command result", token),
            cancellationToken, trace => requestId = trace.RequestId).ConfigureAwait(false);
        result.RoomId = roomId;
        result.JobId = jobId;
        result.RequestId = requestId;
        if (result.Command == SmartLiveCommands.GetLiveJobConfigInfo && result.ResultText is { } config && config.TrimStart().StartsWith("{", StringComparison.Ordinal))
        {
            // The live's configuration has the shape of a room's detail: read as a room, its secrets stay out of views.
            try
            {
                result.Result = WithRoomId(ParseItem<SmartLiveRoom>(System.Text.Encoding.UTF8.GetBytes(config), "room_id", "live job config", cancellationToken), roomId);
            }
            catch (JsonException)
            {
                // Not a room after all: the module reads it as plain JSON.
            }
        }

        return result;
    }

    /// <summary>One page of the commands inserted into a live (ListInsertCommands).</summary>
    public Task<Page<InsertCommand>> ListInsertCommandsPageAsync(string roomId, string jobId, long offset, int limit, CancellationToken cancellationToken)
    {
        SmartLiveJobQuery.ValidatePathSegment(roomId, "RoomId");
        SmartLiveJobQuery.ValidatePathSegment(jobId, "JobId");
        var query = new[]
        {
            new KeyValuePair<string, string>("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new KeyValuePair<string, string>("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        return SendAsync(new ApiRequest(SmartLiveOperations.ListInsertCommands, new[] { "smart-live-rooms", roomId, "smart-live-jobs", jobId, "command", "insert-commands" }, query),
            (body, _, token) => PageParser.Parse<InsertCommand>(body, "insert_commands", "command_id", MetaStudioJsonContext.Default, ParseOptionsFor(token)), cancellationToken);
    }

    /// <summary>Sends a call with this client's context, options and observer, paced by the operation's rate-limit bucket.</summary>
    /// <param name="onSuccess">Also called with the trace of the attempt that succeeded (for its request id).</param>
    public Task<T> SendAsync<T>(ApiRequest call, MetaStudioTransport.BodyParser<T> parse, CancellationToken cancellationToken, Action<RequestTrace>? onSuccess = null)
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
        var observer = onSuccess is null ? Observer : trace =>
        {
            Observer?.Invoke(trace);
            if (trace.Error is null && trace.Status is >= 200 and < 300)
            {
                onSuccess(trace);
            }
        };
        return transport.SendAsync(call, Context, parse, options, observer, cancellationToken);
    }

    private static SmartLiveRoom WithRoomId(SmartLiveRoom room, string roomId)
    {
        room.RoomId ??= roomId;
        return room;
    }

    /// <summary>Warnings about single objects the service sent (a field that could not be read); take them on the pipeline thread.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Warnings { get; } = new();

    /// <summary>A page of jobs as the client reads it (the warm-up uses it).</summary>
    internal static Page<SmartLiveJob> ParsePage(ReadOnlySpan<byte> body) =>
        PageParser.Parse<SmartLiveJob>(body, "smart_live_jobs", "job_id", MetaStudioJsonContext.Default, ParseOptions.None);

    /// <summary>Raw values in warnings are masked with this connection's secrets; parsing stops on Ctrl+C or the attempt's timeout.</summary>
    private ParseOptions ParseOptionsFor(CancellationToken cancellationToken) => new()
    {
        Redact = text => Redactor.Redact(text, Context)!,
        Cancellation = cancellationToken,
    };

    private T ParseItem<T>(ReadOnlySpan<byte> body, string idName, string noun, CancellationToken cancellationToken)
        where T : class
    {
        var issues = new System.Collections.Generic.List<ParseIssue>();
        var item = PageParser.ParseItem<T>(body, idName, MetaStudioJsonContext.Default, ParseOptionsFor(cancellationToken), issues);
        foreach (var issue in issues)
        {
            Warnings.Enqueue(issue.Describe(noun, string.Empty));
        }

        return item;
    }
}
