using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Http;
using MetaStudio.Client.Models;
using MetaStudio.Client.SmartLive;
using MetaStudio.Client.Text;
using MetaStudio.Completers;

namespace MetaStudio.Commands;

/// <summary>
/// <para type="synopsis">Lists the live jobs of smart live rooms (ListSmartLive), of the whole project (ListSmartLiveJobs), or gets one job (ShowSmartLive).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "MSSmartLiveJob", DefaultParameterSetName = ProjectSet, SupportsPaging = true)]
[OutputType(typeof(SmartLiveJob))]
public sealed class GetMSSmartLiveJobCommand : MetaStudioCmdlet, IDisposable
{
    private const string ProjectSet = "Project";
    private const string RoomSet = "Room";
    private const string JobSet = "Job";

    private readonly CancellationTokenSource cancellation = new();
    private readonly ConcurrentQueue<RequestTrace> traces = new();
    private readonly HashSet<string> listedRooms = new(StringComparer.Ordinal); // in this pipeline
    private SmartLiveClient client = null!;
    private SmartLiveJobQuery template = null!;

    /// <summary>The rooms whose jobs to list. Takes strings, room objects and job objects from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = RoomSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = JobSet)]
    [RoomIdTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RoomIdCompleter))]
    public string[] RoomId { get; set; } = null!;

    /// <summary>One job to get (with -RoomId); piping jobs back in refreshes them.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = JobSet)]
    [ValidateNotNullOrEmpty]
    public string JobId { get; set; } = null!;

    /// <summary>Without -RoomId: only rooms whose name contains this text (the service's fuzzy match).</summary>
    [Parameter(ParameterSetName = ProjectSet)]
    [ValidateNotNullOrEmpty]
    public string? RoomName { get; set; }


    /// <summary>Job states to keep: WAITING, PROCESSING, SUCCEED, FAILED, BLOCKED.</summary>
    [Parameter(ParameterSetName = RoomSet)]
    [Parameter(ParameterSetName = ProjectSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StateCompleter))]
    public string[]? State { get; set; }

    /// <summary>CreateTime, UpdateTime or AssetOrder.</summary>
    [Parameter(ParameterSetName = RoomSet)]
    [Parameter(ParameterSetName = ProjectSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SortKeyCompleter))]
    public string? SortKey { get; set; }

    /// <summary>Sorts in descending order (the service's default is ascending).</summary>
    [Parameter(ParameterSetName = RoomSet)]
    [Parameter(ParameterSetName = ProjectSet)]
    public SwitchParameter Descending { get; set; }

    /// <summary>Only jobs created at or after this time.</summary>
    [Parameter(ParameterSetName = RoomSet)]
    [Parameter(ParameterSetName = ProjectSet)]
    public DateTime CreateSince { get; set; }

    /// <summary>Only jobs created at or before this time.</summary>
    [Parameter(ParameterSetName = RoomSet)]
    [Parameter(ParameterSetName = ProjectSet)]
    public DateTime CreateUntil { get; set; }

    /// <summary>Jobs per request, 1–100 (default 100, the most the API allows).</summary>
    [Parameter(ParameterSetName = RoomSet)]
    [Parameter(ParameterSetName = ProjectSet)]
    [ValidateRange(1, SmartLiveJobQuery.MaxPageSize)]
    public int PageSize { get; set; } = SmartLiveJobQuery.MaxPageSize;

    /// <summary>Pages requested at once while listing, 1 (one after another) to 16; default 4.</summary>
    [Parameter(ParameterSetName = RoomSet)]
    [Parameter(ParameterSetName = ProjectSet)]
    [ValidateRange(1, SmartLiveJobLister.MaxPrefetch)]
    public int ThrottleLimit { get; set; } = SmartLiveJobLister.DefaultPrefetch;

    /// <summary>Retries after a failed attempt for this call (default: the connection's, 3).</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int MaxRetry { get; set; }

    /// <summary>Seconds allowed for each attempt of this call (default: the connection's, 30).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; }

    protected override void BeginProcessing()
    {
        if (ParameterSetName == JobSet)
        {
            RefusePagingWithJobId();
        }

        template = BuildQuery();
        var bound = MyInvocation.BoundParameters;
        client = new SmartLiveClient(ResolveContext(),
            bound.ContainsKey(nameof(MaxRetry)) ? MaxRetry : null,
            bound.ContainsKey(nameof(TimeoutSec)) ? TimeoutSec : null) { Observer = traces.Enqueue };
    }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case ProjectSet:
                List(null);
                break;
            case RoomSet:
                foreach (string room in RoomId)
                {
                    List(room);
                }

                break;
            case JobSet:
                RefusePagingWithJobId(); // -JobId may have come from the pipeline
                foreach (string room in RoomId)
                {
                    Show(room, JobId);
                }

                break;
        }
    }

    protected override void StopProcessing() => cancellation.Cancel();

    public void Dispose() => cancellation.Dispose();

    /// <summary>SupportsPaging offers -First, -Skip and -IncludeTotalCount in every set; one job has no pages.</summary>
    private void RefusePagingWithJobId()
    {
        foreach (string name in new[] { "First", "Skip", "IncludeTotalCount" })
        {
            if (MyInvocation.BoundParameters.ContainsKey(name))
            {
                throw Terminate(new ArgumentException(
                    $"-{name} cannot be used with -JobId: -First, -Skip and -IncludeTotalCount page a listing, and -JobId gets one job. Remove -{name}, or list the room without -JobId.", name), "PagingWithJobId");
            }
        }
    }

    private SmartLiveJobQuery BuildQuery()
    {
        var query = new SmartLiveJobQuery { PageSize = PageSize, Descending = Descending.IsPresent, RoomName = RoomName };
        if (State != null)
        {
            query.States = State.Select(s => s.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        }

        if (SortKey != null)
        {
            query.SortKey = SmartLiveJobQuery.SortKeyValue(SortKey.Trim()) ?? throw Terminate(new ArgumentException(
                $"-SortKey '{SortKey}' is not a sort key: use CreateTime, UpdateTime or AssetOrder.", nameof(SortKey)), "InvalidSortKey");
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(CreateSince)))
        {
            query.CreateSince = CreateSince;
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(CreateUntil)))
        {
            query.CreateUntil = CreateUntil;
        }

        if (PagingParameters.Skip > int.MaxValue)
        {
            throw Terminate(new ArgumentException($"-Skip {PagingParameters.Skip} is out of range: the API's largest offset is {int.MaxValue}.", "Skip"), "InvalidSkip");
        }

        try
        {
            query.Validate();
        }
        catch (ArgumentException e)
        {
            throw Terminate(e, "Invalid" + e.ParamName);
        }

        foreach (var unknown in (query.States ?? Array.Empty<string>()).Where(s => !SmartLiveJobQuery.KnownStates.Contains(s)))
        {
            WriteWarning($"State '{unknown}' is not one of the documented job states ({string.Join(", ", SmartLiveJobQuery.KnownStates)}); it is sent as given.");
        }

        return query;
    }

    private void List(string? roomId)
    {
        var query = template.With(roomId);
        try
        {
            query.Validate();
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "InvalidRoomId", ErrorCategory.InvalidArgument, roomId));
            return;
        }

        if (roomId != null && !listedRooms.Add(roomId))
        {
            // Jobs of one room piped in (… -First 3 | Get-MSSmartLiveJob -State FAILED) name their room each time.
            WriteVerbose($"Room {roomId} was already listed by this command; it is not listed again.");
            return;
        }

        if (PagingParameters.First == 0 && !PagingParameters.IncludeTotalCount)
        {
            return; // -First 0: nothing to write, so nothing to ask
        }

        long first = PagingParameters.First > long.MaxValue ? long.MaxValue : (long)PagingParameters.First;
        var lister = new SmartLiveJobLister(client, query, (long)PagingParameters.Skip, first, ThrottleLimit);
        var progress = new ListingProgress(this, roomId is null ? "Listing jobs in the project" : $"Listing jobs in room {ConsoleText.Shorten(roomId, 80)}", first, query.PageSize);
        bool countWritten = false;
        string? lastRoom = null;
        try
        {
            foreach (var page in lister.EnumeratePages(cancellation.Token))
            {
                Flush(lister, ref countWritten);
                progress.Update(lister, page.Count);
                foreach (var job in page)
                {
                    if (job.RoomId != null && job.RoomId != lastRoom)
                    {
                        SessionRooms.Remember(job.RoomId, job.RoomName); // for -RoomId completion
                        lastRoom = job.RoomId;
                    }
                }

                // A page at a time: the pipeline takes the jobs one by one, without a call per job.
                WriteObject(page, enumerateCollection: true);
            }

            Flush(lister, ref countWritten);
            if (PagingParameters.IncludeTotalCount && !countWritten)
            {
                WriteObject(PagingParameters.NewTotalCount((ulong)(lister.TotalCount ?? 0), 1.0));
            }

            progress.Complete();
        }
        catch (MetaStudioServiceException e)
        {
            Flush(lister, ref countWritten);
            progress.Complete();
            WriteError(ServiceErrors.ToErrorRecord(e, (object?)roomId ?? client.Context.ProjectId));
        }
        catch (Exception e) when (cancellation.IsCancellationRequested && e is OperationCanceledException or HttpRequestException)
        {
            // Ctrl+C: the pipeline is stopping; that is not an error.
        }
    }

    private void Show(string roomId, string jobId)
    {
        try
        {
            var job = client.ShowAsync(roomId, jobId, cancellation.Token).ConfigureAwait(false).GetAwaiter().GetResult();
            DrainTraces();
            if (job.RoomId != null)
            {
                SessionRooms.Remember(job.RoomId, job.RoomName);
            }

            WriteObject(job);
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "Invalid" + e.ParamName, ErrorCategory.InvalidArgument, e.ParamName == "JobId" ? jobId : roomId));
        }
        catch (MetaStudioServiceException e)
        {
            DrainTraces();
            WriteError(ServiceErrors.ToErrorRecord(e, $"{roomId}/{jobId}"));
        }
        catch (Exception e) when (cancellation.IsCancellationRequested && e is OperationCanceledException or HttpRequestException)
        {
        }
    }

    // Writes what happened since the last call, on the pipeline thread: request lines, warnings, the total count.
    private void Flush(SmartLiveJobLister lister, ref bool countWritten)
    {
        DrainTraces();
        while (lister.TryTakeWarning(out var warning))
        {
            WriteWarning(warning);
        }

        if (PagingParameters.IncludeTotalCount && !countWritten && lister.TotalCount is { } total)
        {
            WriteObject(PagingParameters.NewTotalCount((ulong)total, 1.0));
            countWritten = true;
        }
    }

    private void DrainTraces()
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
                line += string.Format(CultureInfo.InvariantCulture, "; {0}, retrying in {1:0.0} s (attempt {2} of {3})", t.Error, wait.TotalSeconds, t.Attempt + 1, client.Options.MaxAttempts);
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
    }

    private static string Headers(System.Collections.Generic.IEnumerable<System.Collections.Generic.KeyValuePair<string, string>> headers) =>
        string.Join("; ", headers.Select(h => $"{ConsoleText.Shorten(h.Key, 64)}: {ConsoleText.Shorten(h.Value, 512)}"));

    /// <summary>Write-Progress for a listing, only when it needs more than one page.</summary>
    private sealed class ListingProgress
    {
        private static int nextActivityId = 1;
        private readonly Cmdlet cmdlet;
        private readonly string activity;
        private readonly long first;
        private readonly int pageSize;
        private readonly int activityId = Interlocked.Increment(ref nextActivityId);
        private int pagesShown;
        private long written;
        private bool shown;

        public ListingProgress(Cmdlet cmdlet, string activity, long first, int pageSize)
        {
            this.cmdlet = cmdlet;
            this.activity = activity;
            this.first = first;
            this.pageSize = pageSize;
        }

        /// <summary>Called before each page is written; shows progress when a listing needs more than one page.</summary>
        public void Update(SmartLiveJobLister lister, int pageJobs)
        {
            if (lister.Pages != pagesShown && lister.TotalCount is { } total)
            {
                pagesShown = lister.Pages;
                long expected = Math.Min(first, Math.Max(0, total - lister.Skip));
                if (expected > Math.Min(pageSize, first))
                {
                    int percent = (int)Math.Min(100, written * 100 / Math.Max(1, expected));
                    cmdlet.WriteProgress(new ProgressRecord(activityId, activity, string.Format(CultureInfo.CurrentCulture, "{0:N0} of {1:N0}", written, expected))
                    {
                        PercentComplete = percent,
                    });
                    shown = true;
                }
            }

            written += pageJobs;
        }

        public void Complete()
        {
            if (shown)
            {
                cmdlet.WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
                shown = false;
            }
        }
    }

    private PipelineStoppedException Terminate(ArgumentException e, string errorId)
    {
        ThrowTerminatingError(new ErrorRecord(e, errorId, ErrorCategory.InvalidArgument, e.ParamName));
        return new PipelineStoppedException(); // not reached
    }
}
