using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using MetaStudio.Emulator.Data;

namespace MetaStudio.Emulator.Events;

/// <summary>One event the emulator posted (or tried to): the configured URL without its query (no signature, no credential), and the receiver's status or the error.</summary>
public sealed record EventDelivery(string JobId, string EventType, string Detail, string Url, string AuthType, int Status, string? Error, DateTimeOffset At);

/// <summary>
/// Posts the live events of started jobs that have a callback URL (<see cref="EmulatorOptions.Events"/>):
/// RTMP_STREAM_STATE_CHANGE CONNECTING and CONNECTED when a job goes on air, SHOOT_SCRIPT_SWITCH for each
/// of the room's script paragraphs (every <see cref="EmulatorOptions.EventParagraphMs"/> on the job clock,
/// round and round while it plays), RTMP END when it ends, and REPLY_COMMAND_FINISH on request
/// (<see cref="EmitReplyCommandFinish"/>). Bounded everywhere: a receiver that is down, slow or hostile
/// costs at most <see cref="EmulatorOptions.EventTimeout"/> per event on its own queue; a full queue drops
/// the event (counted in <see cref="Dropped"/>); the receiver's body is never read.
/// </summary>
public sealed class LiveEventDispatcher : IAsyncDisposable
{
    public const int MaxTrackedJobs = 1_000;
    public const int QueueCapacity = 256;
    public const int SenderCount = 4;
    public const int MaxRecordedDeliveries = 1_000;

    /// <summary>Paragraph switches a late tick catches up with at most; older ones are skipped.</summary>
    public const int MaxCatchUp = 8;

    // Quotes as \" and Chinese titles as they are, as the API page's examples show (the default encoder writes \u0022 and \uXXXX).
    private static readonly JsonWriterOptions AsTheServiceWrites = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly JobStore store;
    private readonly EmulatorOptions options;
    private readonly HttpClient http;
    private readonly ConcurrentDictionary<string, Tracked> tracked = new(StringComparer.Ordinal);
    private readonly Channel<Outgoing>[] queues;
    private readonly ConcurrentQueue<EventDelivery> deliveries = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly object tickGate = new();
    private readonly Task loop;
    private readonly Task[] senders;
    private int dropped;

    internal LiveEventDispatcher(JobStore store, EmulatorOptions options)
    {
        this.store = store;
        this.options = options;
        http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectTimeout = options.EventTimeout,
            MaxResponseHeadersLength = 64,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        })
        { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        queues = Enumerable.Range(0, SenderCount)
            .Select(_ => Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true }))
            .ToArray();
        senders = queues.Select(q => Task.Run(() => SendAllAsync(q.Reader))).ToArray();
        loop = Task.Run(RunAsync);
    }

    /// <summary>The most recent deliveries (at most <see cref="MaxRecordedDeliveries"/>), oldest first.</summary>
    public IReadOnlyList<EventDelivery> Deliveries => deliveries.ToArray();

    /// <summary>Events dropped because their receiver's queue was full.</summary>
    public int Dropped => Volatile.Read(ref dropped);

    /// <summary>Jobs whose events are still to come.</summary>
    public int TrackedJobs => tracked.Count;

    /// <summary>
    /// Queues REPLY_COMMAND_FINISH for a running job with a callback that lists it (or lists none): for the
    /// live commands to call when a reply has played. False when the job has no such callback or the queue is full.
    /// </summary>
    public bool EmitReplyCommandFinish(string roomId, string jobId, string replyId)
    {
        if (!tracked.TryGetValue(jobId, out var job) || job.RoomId != roomId)
        {
            return false;
        }

        lock (tickGate)
        {
            // What fell due before the reply (going on air, a paragraph) is queued first: events in the order they happened.
            Advance(job, store.Find(job.RoomId, job.JobId), options.Clock.GetUtcNow());
            return tracked.ContainsKey(jobId) && Enqueue(job, "REPLY_COMMAND_FINISH", replyId, w => w.WriteString("reply_id", replyId));
        }
    }

    /// <summary>Sends what is due by the emulator's clock now (the background loop does it every 100 ms; a test on a manual clock may call it after moving the clock).</summary>
    public void DispatchDue()
    {
        lock (tickGate)
        {
            var now = options.Clock.GetUtcNow();
            foreach (var job in tracked.Values)
            {
                Advance(job, store.Find(job.RoomId, job.JobId), now);
            }
        }
    }

    internal void Track(StoredJob job, StoredRoom room, string? callbackConfig, string? outputUrl, string? streamKey)
    {
        var target = CallbackTarget.TryParse(callbackConfig, out string? reason);
        if (target is null)
        {
            if (reason != null)
            {
                Log($"job {job.JobId}: no live events sent ({reason})");
            }

            return;
        }

        if (tracked.Count >= MaxTrackedJobs)
        {
            Log($"job {job.JobId}: no live events sent ({MaxTrackedJobs} jobs already have events to come)");
            return;
        }

        tracked[job.JobId] = new Tracked(job.RoomId, job.JobId, target, room.Paragraphs, outputUrl ?? $"rtmp://live-push.example.com/live/{job.JobId}", streamKey ?? string.Empty);
    }

    private void Advance(Tracked job, StoredJob? stored, DateTimeOffset now)
    {
        if (stored is null)
        {
            tracked.TryRemove(job.JobId, out _);
            return;
        }

        bool onAir = stored.StartTime is { } start && (stored.State == JobStates.Processing || (stored.EndTime is { } e && e > start));
        if (onAir && !job.Connected)
        {
            job.Connected = true;
            Rtmp(job, "CONNECTING");
            Rtmp(job, "CONNECTED");
        }

        if (job.Connected && job.Paragraphs.Count > 0 && options.EventParagraphMs > 0)
        {
            var begin = stored.StartTime!.Value;
            var until = stored.IsRunning ? now : stored.EndTime ?? now;
            double played = (until - begin).TotalMilliseconds / options.EventParagraphMs;
            long due = until < begin ? 0 : stored.IsRunning ? (long)played + 1 : (long)Math.Ceiling(played); // paragraphs begun by then
            job.NextParagraph = Math.Max(job.NextParagraph, due - MaxCatchUp);
            for (; job.NextParagraph < due; job.NextParagraph++)
            {
                var p = job.Paragraphs[(int)(job.NextParagraph % job.Paragraphs.Count)];
                Enqueue(job, "SHOOT_SCRIPT_SWITCH", $"{p.SceneScriptName} #{p.SequenceNo}", w =>
                {
                    w.WriteString("scene_script_name", p.SceneScriptName);
                    w.WriteString("shoot_script_sequence_no", p.SequenceNo);
                    w.WriteString("shoot_script_title", p.Title);
                });
            }
        }

        if (!stored.IsRunning)
        {
            if (job.Connected)
            {
                Rtmp(job, "END");
            }

            tracked.TryRemove(job.JobId, out _);
        }
    }

    private void Rtmp(Tracked job, string state) => Enqueue(job, "RTMP_STREAM_STATE_CHANGE", state, w =>
    {
        w.WriteString("output_url", job.OutputUrl);
        w.WriteString("stream_key", job.StreamKey);
        w.WriteString("state", state);
    });

    private bool Enqueue(Tracked job, string eventType, string detail, Action<Utf8JsonWriter> fields)
    {
        if (!job.Target.Wants(eventType))
        {
            return false;
        }

        var message = new MemoryStream();
        using (var w = new Utf8JsonWriter(message, AsTheServiceWrites))
        {
            w.WriteStartObject();
            w.WriteString("room_id", job.RoomId);
            w.WriteString("job_id", job.JobId);
            fields(w);
            w.WriteEndObject();
        }

        var body = new MemoryStream();
        using (var w = new Utf8JsonWriter(body, AsTheServiceWrites))
        {
            w.WriteStartObject();
            w.WriteString("event_type", eventType);
            w.WriteString("message", Encoding.UTF8.GetString(message.ToArray()));
            w.WriteEndObject();
        }

        // One queue per job (by id), so a job's events arrive in order and a slow receiver holds up only its share.
        var queue = queues[(int)((uint)StringComparer.Ordinal.GetHashCode(job.JobId) % SenderCount)];
        if (queue.Writer.TryWrite(new Outgoing(job, eventType, detail, body.ToArray())))
        {
            return true;
        }

        Interlocked.Increment(ref dropped);
        Log($"job {job.JobId}: {eventType} {detail} dropped (the receiver's queue is full)");
        return false;
    }

    private async Task RunAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                DispatchDue();
                await Task.Delay(100, stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log($"live events: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    private async Task SendAllAsync(ChannelReader<Outgoing> reader)
    {
        try
        {
            await foreach (var item in reader.ReadAllAsync(stopping.Token).ConfigureAwait(false))
            {
                await SendAsync(item).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(Outgoing item)
    {
        var (url, headers) = item.Job.Target.Sign(options.Clock.GetUtcNow());
        int status = 0;
        string? error = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(item.Body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            timeout.CancelAfter(options.EventTimeout);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            if (status is < 200 or > 299)
            {
                error = $"the receiver answered {status}";
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            error = $"no answer within {options.EventTimeout.TotalSeconds:0.#} s";
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
        {
            error = e.Message;
        }

        if (error != null)
        {
            Log($"job {item.Job.JobId}: {item.EventType} {item.Detail} to {Display(item.Job.Target.Url)}: {error}");
        }

        deliveries.Enqueue(new EventDelivery(item.Job.JobId, item.EventType, item.Detail, Display(item.Job.Target.Url), item.Job.Target.AuthType, status, error, options.Clock.GetUtcNow()));
        while (deliveries.Count > MaxRecordedDeliveries && deliveries.TryDequeue(out _))
        {
        }
    }

    /// <summary>The URL without its query: with auth_type NONE the query may hold the receiver's own credential.</summary>
    private static string Display(string url) => url.Split('?', '#')[0];

    private void Log(string line) => options.EventLog?.Invoke(line);

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        foreach (var queue in queues)
        {
            queue.Writer.TryComplete();
        }

        try
        {
            await Task.WhenAll(senders.Append(loop)).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
        }

        http.Dispose();
        stopping.Dispose();
    }

    private sealed record Outgoing(Tracked Job, string EventType, string Detail, byte[] Body);

    private sealed class Tracked
    {
        public Tracked(string roomId, string jobId, CallbackTarget target, IReadOnlyList<ScriptParagraph> paragraphs, string outputUrl, string streamKey)
        {
            RoomId = roomId;
            JobId = jobId;
            Target = target;
            Paragraphs = paragraphs;
            OutputUrl = outputUrl;
            StreamKey = streamKey;
        }

        public string RoomId { get; }

        public string JobId { get; }

        public CallbackTarget Target { get; }

        public IReadOnlyList<ScriptParagraph> Paragraphs { get; }

        public string OutputUrl { get; }

        public string StreamKey { get; }

        public bool Connected { get; set; }

        public long NextParagraph { get; set; }
    }
}
