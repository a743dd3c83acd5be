using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Emulator.Api;
using MetaStudio.Emulator.Auth;
using MetaStudio.Emulator.Data;
using MetaStudio.Emulator.Faults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetaStudio.Emulator;

/// <summary>
/// A request as the emulator saw it, for tests that assert what went over the wire. Status 499: the
/// client went away first; 0: the emulator reset the connection before answering (a fault).
/// Secret header values are masked (see <see cref="EmulatorOptions.RecordSecretHeaders"/>), and long
/// values are cut (see <see cref="EmulatorServer.MaxRecordedBytes"/>).
/// </summary>
public sealed record RecordedRequest(
    string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers,
    int Status, string RequestId, string? Fault, DateTimeOffset ReceivedAt);

/// <summary>
/// A local MetaStudio smart-live server on Kestrel, bound to 127.0.0.1. Start it with
/// <see cref="StartAsync"/>; change its faults, latency or data while it runs.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    /// <summary>At most this many requests are kept in <see cref="Requests"/>; the oldest are dropped first.</summary>
    public const int MaxRecorded = 20_000;

    /// <summary>
    /// At most about this many bytes are kept in <see cref="Requests"/> (8 MiB, estimated as UTF-16 text
    /// plus a per-entry overhead); the oldest requests are dropped first. Each request is cut to fit
    /// well within it: path and query to <see cref="MaxRecordedTextLength"/> characters, header values to
    /// <see cref="MaxRecordedHeaderValueLength"/>, names to <see cref="MaxRecordedHeaderNameLength"/>, and
    /// the first <see cref="MaxRecordedHeaders"/> headers; a cut value ends with '…'.
    /// </summary>
    public const long MaxRecordedBytes = 8L * 1024 * 1024;

    public const int MaxRecordedTextLength = 4_096;
    public const int MaxRecordedHeaderValueLength = 1_024;
    public const int MaxRecordedHeaderNameLength = 128;
    public const int MaxRecordedHeaders = 64;

    private readonly WebApplication app;
    private readonly Authenticator authenticator;
    private readonly Router router;
    private readonly Queue<(RecordedRequest Request, long Bytes)> requestLog = new();
    private readonly object requestLogGate = new();
    private long requestLogBytes;
    // One token bucket per project and operation ("project|operation").
    private readonly ConcurrentDictionary<string, TokenBucket> buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, int> statusCounts = new();
    private readonly object faultGate = new();
    private List<FaultRule> faults;

    /// <summary>
    /// The documented per-tenant limits (API reference §5.3, CN North-Beijing4): StartSmartLive 4/s, ListSmartLive,
    /// ListSmartLiveRooms and ShowSmartLiveRoom 20/s. The others were not retrieved; they get 20/s.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, double> DocumentedRates = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [Operations.StartSmartLive] = 4,
        [Operations.ListSmartLive] = 20,
        [Operations.ListSmartLiveRooms] = 20,
        [Operations.ShowSmartLiveRoom] = 20,
        [Operations.ListSmartLiveJobs] = 20,
        [Operations.ShowSmartLive] = 20,
        [Operations.StopSmartLive] = 20,
        [Operations.ExecuteSmartLiveCommand] = 20,
        [Operations.ListInsertCommands] = 20,
    };

    private readonly ConcurrentDictionary<string, double> operationRateLimits = new(StringComparer.Ordinal);

    private EmulatorServer(WebApplication app, EmulatorOptions options, JobStore store)
    {
        this.app = app;
        Options = options;
        Store = store;
        LatencyMs = options.LatencyMs;
        rateLimit = options.RateLimit;
        documentedRateLimits = options.DocumentedRateLimits;
        foreach (var (operation, rate) in options.OperationRateLimits)
        {
            operationRateLimits[operation] = rate;
        }

        StartDelayMs = options.StartDelayMs;
        MaxRunningJobs = options.MaxRunningJobs;
        faults = new List<FaultRule>(options.Faults);
        authenticator = new Authenticator(options.EffectiveKeys, options.EffectiveTokens, options.MaxClockSkew, options.Clock, options.MaskEchoedSecurityToken);
        Events = options.Events ? new Events.LiveEventDispatcher(store, options) : null;
        router = new Router(new RoomsApi(store), new JobsApi(store, Events), new CommandsApi(store, Commands));
        if (Events is { } events)
        {
            // A reply inserted through a command (a text or an audio clip) reports REPLY_COMMAND_FINISH once it is
            // accepted, with the command's id as reply_id: the emulator plays nothing, so it is finished at once.
            Commands.Executed += c =>
            {
                if (c.Command is "INSERT_PLAY_SCRIPT" or "INSERT_PLAY_AUDIO")
                {
                    events.EmitReplyCommandFinish(c.RoomId, c.JobId, c.CommandId);
                }
            };
        }
    }

    public EmulatorOptions Options { get; }

    public JobStore Store { get; }

    /// <summary>The commands sent to lives (ExecuteSmartLiveCommand) and those inserted into them, per job.</summary>
    public CommandStore Commands { get; } = new();

    /// <summary>The live events sender when <see cref="EmulatorOptions.Events"/> is on, else null.</summary>
    public Events.LiveEventDispatcher? Events { get; }

    /// <summary>e.g. <c>http://127.0.0.1:52341</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Milliseconds added before every response; settable while running.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Requests per second per project and operation, for every operation (0 = off); settable while running.</summary>
    public double RateLimit
    {
        get => rateLimit;
        set
        {
            rateLimit = value;
            buckets.Clear();
        }
    }

    private double rateLimit;

    /// <summary>Throttle each operation at its <see cref="DocumentedRates">documented rate</see> where nothing else is set; settable while running.</summary>
    public bool DocumentedRateLimits
    {
        get => documentedRateLimits;
        set
        {
            documentedRateLimits = value;
            buckets.Clear();
        }
    }

    private bool documentedRateLimits;

    /// <summary>Sets one operation's rate per project (over <see cref="RateLimit"/>); 0 turns it off; null goes back to the general setting.</summary>
    public void SetRateLimit(string operation, double? rate)
    {
        if (rate is { } r)
        {
            operationRateLimits[operation] = r;
        }
        else
        {
            operationRateLimits.TryRemove(operation, out _);
        }

        buckets.Clear();
    }

    /// <summary>
    /// The requests per second an operation is throttled at, per project (0 = not throttled): its own setting, else
    /// <see cref="RateLimit"/> when above 0, else its documented rate when <see cref="DocumentedRateLimits"/> is on.
    /// </summary>
    public double RateLimitFor(string operation) =>
        operationRateLimits.TryGetValue(operation, out var own) ? own
        : RateLimit > 0 ? RateLimit
        : DocumentedRateLimits ? DocumentedRates.GetValueOrDefault(operation, 20)
        : 0;

    /// <summary>How long a job started from now on stays WAITING, in milliseconds of <see cref="EmulatorOptions.Clock"/>; settable while running.</summary>
    public int StartDelayMs
    {
        get => Volatile.Read(ref startDelayMs);
        set => Volatile.Write(ref startDelayMs, value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The start delay cannot be negative."));
    }

    private int startDelayMs;

    /// <summary>At most this many WAITING or PROCESSING jobs over all rooms (null = unlimited); settable while running.</summary>
    public int? MaxRunningJobs { get; set; }

    /// <summary>Requests seen so far, oldest first: the last <see cref="MaxRecorded"/>, within <see cref="MaxRecordedBytes"/>.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (requestLogGate)
            {
                return requestLog.Select(e => e.Request).ToArray();
            }
        }
    }

    /// <summary>Requests received so far (counted on arrival, before any response).</summary>
    public int ReceivedCount => Volatile.Read(ref received);

    private int received;

    /// <summary>How many responses had this status.</summary>
    public int CountOf(int status) => statusCounts.TryGetValue(status, out var n) ? n : 0;

    public static async Task<EmulatorServer> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        var store = new JobStore(options.Clock);
        if (options.DataFile != null)
        {
            DataFile.Load(store, options.DataFile);
        }
        else
        {
            DemoDataGenerator.Populate(store, options.Seed, options.Rooms, options.JobsPerRoom, options.FullyPopulated);
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        // A library inside someone else's process (tests, the playground) must not take over its
        // SIGTERM and Ctrl+C, as the default console lifetime does; the emulator program handles them itself.
        builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
        // Stopping waits at most this long for requests in flight (a stalled one) before aborting them.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (options.Certificate != null)
                {
                    listen.UseHttps(options.Certificate);
                }
            });
        });
        var app = builder.Build();
        var server = new EmulatorServer(app, options, store);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        server.BaseAddress = new Uri(app.Urls.First());
        return server;
    }

    public void AddFault(FaultRule rule)
    {
        lock (faultGate)
        {
            faults = new List<FaultRule>(faults) { rule };
        }
    }

    public void AddFault(string rule) => AddFault(FaultRule.Parse(rule));

    public void ClearFaults()
    {
        lock (faultGate)
        {
            faults = new List<FaultRule>();
        }
    }

    public void ClearRequests()
    {
        lock (requestLogGate)
        {
            requestLog.Clear();
            requestLogBytes = 0;
        }

        statusCounts.Clear();
        Interlocked.Exchange(ref received, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        if (Events != null)
        {
            await Events.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        Interlocked.Increment(ref received);
        string requestId = Guid.NewGuid().ToString("N");
        ctx.Response.Headers["X-Request-Id"] = requestId;
        ctx.Response.Headers.Date = Options.Clock.GetUtcNow().ToString("R", CultureInfo.InvariantCulture); // the emulator's clock, which tests move
        string rawTarget = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Request.Path + ctx.Request.QueryString;
        int q = rawTarget.IndexOf('?');
        string rawPath = q < 0 ? rawTarget : rawTarget.Substring(0, q);
        string rawQuery = q < 0 ? string.Empty : rawTarget.Substring(q + 1);
        string? faultText = null;
        int isRecorded = 0;
        void Record(int status)
        {
            // Once per request, before the client can see the response: a test reading Requests after
            // its call returned always finds it.
            if (Interlocked.Exchange(ref isRecorded, 1) == 1)
            {
                return;
            }

            statusCounts.AddOrUpdate(status, 1, (_, n) => n + 1);
            AddToLog(RequestLog.Entry(ctx.Request.Method, rawPath, rawQuery, ctx.Request.Headers, Options.RecordSecretHeaders,
                status, requestId, faultText, DateTimeOffset.UtcNow));
        }

        ctx.Response.OnStarting(() =>
        {
            Record(ctx.Response.StatusCode);
            return Task.CompletedTask;
        });
        int status = 0;
        try
        {
            if (LatencyMs > 0)
            {
                await Task.Delay(LatencyMs, ctx.RequestAborted).ConfigureAwait(false);
            }

            status = await RespondAsync(ctx, rawTarget, rawPath, rawQuery, f => faultText = faultText is null ? f.ToString() : faultText + ", " + f).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            status = 499; // the client went away
        }
        finally
        {
            Record(status); // no response was started: a reset, or the client went away
        }
    }

    private void AddToLog((RecordedRequest Request, long Bytes) entry)
    {
        lock (requestLogGate)
        {
            requestLog.Enqueue(entry);
            requestLogBytes += entry.Bytes;
            while (requestLog.Count > MaxRecorded || (requestLogBytes > MaxRecordedBytes && requestLog.Count > 1))
            {
                requestLogBytes -= requestLog.Dequeue().Bytes;
            }
        }
    }

    /// <returns>The status sent, or 0 when the connection was reset.</returns>
    private async Task<int> RespondAsync(HttpContext ctx, string rawTarget, string rawPath, string rawQuery, Action<FaultRule> noteFault)
    {
        var route = ApiRoute.Match(ctx.Request.Method, rawPath);
        if (route is null)
        {
            return await WriteErrorAsync(ctx, 404, ErrorBodies.GatewayApiNotFound, "The API does not exist or has not been published in the environment").ConfigureAwait(false);
        }

        byte[] body = await ReadBodyAsync(ctx).ConfigureAwait(false);
        var auth = authenticator.Authenticate(ctx.Request.Method, rawTarget, route.ProjectId,
            name => ctx.Request.Headers.TryGetValue(name, out var v) ? v.ToString() : null, body);
        if (!auth.Ok)
        {
            return await WriteErrorAsync(ctx, auth.Status, auth.Code, auth.Message).ConfigureAwait(false);
        }

        double rate = RateLimitFor(route.Operation);
        if (rate > 0)
        {
            long now = (long)(Stopwatch.GetTimestamp() * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            var bucket = buckets.GetOrAdd(route.ProjectId + "|" + route.Operation, _ => new TokenBucket(rate, now));
            if (!bucket.TryTake(now))
            {
                return await WriteErrorAsync(ctx, 429, ErrorBodies.GatewayThrottled,
                    $"The throttling threshold has been reached: policy user over ratelimit,limit:{rate.ToString(CultureInfo.InvariantCulture)},time:1 second").ConfigureAwait(false);
            }
        }

        var faultsNow = faults;
        var fault = faultsNow.FirstOrDefault(f => !f.IsJobFault && f.TryClaim(rawTarget));
        if (fault != null)
        {
            noteFault(fault);
            switch (fault.Kind)
            {
                case FaultKind.Status:
                    var (code, message) = ErrorBodies.ForStatus(fault.Argument);
                    return await WriteErrorAsync(ctx, fault.Argument, code, message).ConfigureAwait(false);
                case FaultKind.RetryAfter:
                    ctx.Response.Headers["Retry-After"] = fault.Argument.ToString(CultureInfo.InvariantCulture);
                    return await WriteErrorAsync(ctx, 429, ErrorBodies.GatewayThrottled, ErrorBodies.ForStatus(429).Message).ConfigureAwait(false);
                case FaultKind.RetryAfterDate:
                    ctx.Response.Headers["Retry-After"] = Options.Clock.GetUtcNow().AddSeconds(fault.Argument).ToString("R", CultureInfo.InvariantCulture);
                    return await WriteErrorAsync(ctx, 429, ErrorBodies.GatewayThrottled, ErrorBodies.ForStatus(429).Message).ConfigureAwait(false);
                case FaultKind.Reset:
                    ctx.Abort();
                    return 0;
                case FaultKind.Html:
                    ctx.Response.StatusCode = fault.Argument;
                    ctx.Response.ContentType = "text/html";
                    await ctx.Response.WriteAsync($"<html><head><title>{fault.Argument} Bad Gateway</title></head><body><center><h1>{fault.Argument} Bad Gateway</h1></center><hr><center>nginx</center></body></html>", ctx.RequestAborted).ConfigureAwait(false);
                    return fault.Argument;
                case FaultKind.Stall:
                    await Task.Delay(fault.Argument, ctx.RequestAborted).ConfigureAwait(false);
                    break;
                case FaultKind.Shift:
                    Store.Shift(route.RoomId ?? Store.Rooms[0].RoomId, fault.Argument);
                    break;
                case FaultKind.Redirect:
                    ctx.Response.StatusCode = fault.Argument;
                    ctx.Response.Headers.Location = "https://metastudio.elsewhere.example.com" + rawTarget;
                    return fault.Argument;
                case FaultKind.WrongShape:
                    return await WriteAsync(ctx, 200, new Payload(Encoding.UTF8.GetBytes("[{\"count\":1}]")), null).ConfigureAwait(false);
                case FaultKind.Huge or FaultKind.Endless or FaultKind.GzipBomb:
                    return await HostileBodies.WriteAsync(ctx, fault).ConfigureAwait(false);
                case FaultKind.EchoSecrets:
                    string secret = ctx.Request.Headers["X-Security-Token"].ToString() is { Length: > 0 } st ? st : ctx.Request.Headers["X-Auth-Token"].ToString();
                    ctx.Response.Headers["X-Echo"] = secret;
                    ctx.Response.Headers["x-echo-lower"] = secret.ToLowerInvariant();
                    ctx.Response.Headers["X-Echo-Encoded"] = Uri.EscapeDataString(secret);
                    string echo = new string('.', 180) + " token " + secret + " lower " + secret.ToLowerInvariant() + " encoded " + Uri.EscapeDataString(secret) +
                                  " half " + secret.Substring(0, secret.Length / 2);
                    return await WriteErrorAsync(ctx, 401, ErrorBodies.GatewayAuth, echo).ConfigureAwait(false);
            }
        }

        FaultRule? ClaimJobFault()
        {
            var jobFault = faultsNow.FirstOrDefault(f => f.IsJobFault && f.TryClaim(rawTarget));
            if (jobFault != null)
            {
                noteFault(jobFault);
            }

            return jobFault;
        }

        var call = new ApiCall(route, rawTarget, rawQuery, body, ctx.Request.ContentType, Options.Clock.GetUtcNow(), fault, ClaimJobFault)
        {
            StartDelay = TimeSpan.FromMilliseconds(StartDelayMs),
            MaxRunningJobs = MaxRunningJobs,
        };
        var result = router.Handle(call);

        // The request has been handled: a started job exists, a stopped job has stopped. These faults hide that from the client.
        switch (fault?.Kind)
        {
            case FaultKind.ResetAfter:
                ctx.Abort();
                return 0;
            case FaultKind.StatusAfter:
                var (afterCode, afterMessage) = ErrorBodies.ForStatus(fault.Argument);
                return await WriteErrorAsync(ctx, fault.Argument, afterCode, afterMessage).ConfigureAwait(false);
            case FaultKind.StallAfter:
                await Task.Delay(fault.Argument, ctx.RequestAborted).ConfigureAwait(false);
                break;
        }

        return await WriteAsync(ctx, result.Status, result.Body, fault).ConfigureAwait(false);
    }

    private static async Task<int> WriteAsync(HttpContext ctx, int status, Payload body, FaultRule? fault)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json;charset=UTF-8";
        if (fault?.Kind is not (FaultKind.Truncate or FaultKind.Malformed or FaultKind.ResetMidBody or FaultKind.Trickle))
        {
            ctx.Response.ContentLength = body.Length;
            var writer = ctx.Response.BodyWriter;
            foreach (var segment in body.Segments)
            {
                writer.Write(segment);
            }

            await writer.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
            return status;
        }

        byte[] payload = body.ToArray();
        switch (fault?.Kind)
        {
            case FaultKind.Truncate:
                payload = payload.AsSpan(0, payload.Length / 2).ToArray();
                break;
            case FaultKind.Malformed:
                payload = Encoding.UTF8.GetBytes("{\"count\":3,\"smart_live_jobs\":[{\"job_id\":\"x\",\"state\":}]");
                break;
            case FaultKind.ResetMidBody:
                ctx.Response.ContentLength = payload.Length;
                await ctx.Response.Body.WriteAsync(payload.AsMemory(0, payload.Length / 2), ctx.RequestAborted).ConfigureAwait(false);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                ctx.Abort();
                return 0;
            case FaultKind.Trickle:
                ctx.Response.ContentLength = payload.Length;
                for (int at = 0; at < payload.Length; at += 64)
                {
                    await ctx.Response.Body.WriteAsync(payload.AsMemory(at, Math.Min(64, payload.Length - at)), ctx.RequestAborted).ConfigureAwait(false);
                    await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                    await Task.Delay(fault.Argument, ctx.RequestAborted).ConfigureAwait(false);
                }

                return status;
        }

        ctx.Response.ContentLength = payload.Length;
        await ctx.Response.Body.WriteAsync(payload, ctx.RequestAborted).ConfigureAwait(false);
        return status;
    }

    private static Task<int> WriteErrorAsync(HttpContext ctx, int status, string code, string message) =>
        WriteAsync(ctx, status, new Payload(ErrorBodies.Json(code, message)), null);

    private static async Task<byte[]> ReadBodyAsync(HttpContext ctx)
    {
        if (ctx.Request.ContentLength is 0 || (ctx.Request.ContentLength is null && !ctx.Request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return Array.Empty<byte>();
        }

        using var ms = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted).ConfigureAwait(false);
        return ms.ToArray();
    }
}

/// <summary>A host lifetime that installs no signal handlers: whoever hosts the emulator decides when it stops.</summary>
internal sealed class NoSignalsLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
