using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Http;
using MetaStudio.Client.SmartLive;
using MetaStudio.Client.Text;

namespace MetaStudio;

/// <summary>
/// What every cmdlet that calls the service shares: the client, Ctrl+C, and writing what each HTTP
/// attempt did (-Verbose, -Debug, warnings) on the pipeline thread.
/// </summary>
public abstract class ServiceCmdlet : MetaStudioCmdlet, IDisposable
{
    private readonly CancellationTokenSource cancellation = new();
    private readonly ConcurrentQueue<RequestTrace> traces = new();
    private SmartLiveClient? client;

    /// <summary>Cancelled by Ctrl+C (StopProcessing).</summary>
    protected CancellationToken Cancellation => cancellation.Token;

    /// <summary>The client, made in BeginProcessing by <see cref="Connect"/>.</summary>
    protected SmartLiveClient Client => client ?? throw new InvalidOperationException("Connect was not called.");

    /// <summary>Resolves the connection (or stops the cmdlet with its error) and makes the client.</summary>
    protected void Connect(int? maxRetry = null, int? timeoutSec = null) =>
        client = new SmartLiveClient(ResolveContext(), maxRetry, timeoutSec) { Observer = traces.Enqueue };

    /// <summary>
    /// <see cref="Connect"/> with this call's own -MaxRetry and -TimeoutSec (seconds per attempt), where the cmdlet
    /// has them and they were given; the connection's otherwise. (Wait-MSSmartLiveJob's -TimeoutSec is the whole
    /// wait's, so it does not use this.)
    /// </summary>
    protected void ConnectWithCallOptions()
    {
        var bound = MyInvocation.BoundParameters;
        Connect(bound.TryGetValue("MaxRetry", out object? retry) ? (int)retry : null, bound.TryGetValue("TimeoutSec", out object? timeout) ? (int)timeout : null);
    }

    /// <summary>True when both ids can go into a request path; else writes InvalidRoomId or InvalidJobId and is false.</summary>
    protected bool IsUsableJob(string roomId, string jobId)
    {
        try
        {
            SmartLiveJobQuery.ValidatePathSegment(roomId, "RoomId");
            SmartLiveJobQuery.ValidatePathSegment(jobId, "JobId");
            return true;
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "Invalid" + e.ParamName, ErrorCategory.InvalidArgument, e.ParamName == "JobId" ? jobId : roomId));
            return false;
        }
    }

    protected override void StopProcessing() => cancellation.Cancel();

    public void Dispose()
    {
        cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Waits for a call on the pipeline thread; then writes what its attempts did.</summary>
    protected T Await<T>(Task<T> task)
    {
        try
        {
            return task.ConfigureAwait(false).GetAwaiter().GetResult();
        }
        finally
        {
            DrainTraces();
        }
    }

    /// <summary>True for the exceptions Ctrl+C causes; a stopped pipeline is not an error.</summary>
    protected bool IsStop(Exception e) => cancellation.IsCancellationRequested && e is OperationCanceledException or HttpRequestException;

    /// <summary>The ErrorRecord of a failed call: id from the service's code, category from the status, the given target.</summary>
    internal void WriteServiceError(MetaStudioServiceException e, object? target, string? roomId = null, string? jobId = null) =>
        WriteError(ServiceErrors.ToErrorRecord(e, target, roomId, jobId));

    /// <summary>Writes, on the pipeline thread, a line per HTTP attempt since the last call (-Verbose), its headers (-Debug) and its warnings.</summary>
    internal void DrainTraces()
    {
        while (traces.TryDequeue(out var t))
        {
            // Secrets are already masked by the client; what the service sent is escaped before it is printed.
            string outcome = t.Status is { } status ? status.ToString(CultureInfo.InvariantCulture) : t.Error ?? "no response";
            string line = $"{t.Method} {t.PathAndQuery} -> {outcome} in {t.ElapsedMs} ms" + (t.RequestId is null ? string.Empty : $" (request id {ConsoleText.Shorten(t.RequestId, 64)})");
            if (t.Note != null)
            {
                line += $"; {t.Error}, {t.Note}";
            }
            else if (t.RetryAfter is { } wait)
            {
                line += string.Format(CultureInfo.InvariantCulture, "; {0}, retrying in {1:0.0} s (attempt {2} of {3})", t.Error, wait.TotalSeconds, t.Attempt + 1, t.MaxAttempts);
            }

            WriteVerbose(ConsoleText.Escape(line));
            if (t.Warning != null)
            {
                WriteWarning(ConsoleText.Escape(t.Warning));
            }

            // One debug record per request (with -Debug, an interactive host asks once per record).
            WriteDebug(ConsoleText.Escape($"{t.Method} {t.Endpoint}{t.PathAndQuery}") + Environment.NewLine + "  Request headers: " + Headers(t.RequestHeaders) +
                       Environment.NewLine + "  Response headers: " + Headers(t.ResponseHeaders));
        }

        while (client != null && client.Warnings.TryDequeue(out var warning))
        {
            WriteWarning(warning);
        }
    }

    private static string Headers(IEnumerable<KeyValuePair<string, string>> headers) =>
        string.Join("; ", headers.Select(h => $"{ConsoleText.Shorten(h.Key, 64)}: {ConsoleText.Shorten(h.Value, 512)}"));
}
