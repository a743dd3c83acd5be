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
public sealed class GetMSSmartLiveJobCommand : ServiceCmdlet
{
    private const string ProjectSet = "Project";
    private const string RoomSet = "Room";
    private const string JobSet = "Job";

    /// <summary>Rooms piped in whose first page is fetched while earlier rooms are written.</summary>
    private const int RoomsAhead = 16;

    private readonly HashSet<string> listedRooms = new(StringComparer.Ordinal); // in this pipeline
    private readonly Queue<Listing<SmartLiveJob>> listings = new(); // started, written in input order
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
        ConnectWithCallOptions();
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

    protected override void EndProcessing() => WriteListings(until: 0);

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

    /// <summary>
    /// Starts listing a room (or the project): its first page is requested now, while earlier listings
    /// are written, so rooms piped in overlap within the rate limit; output stays grouped by room, in input order.
    /// </summary>
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
            WriteVerbose($"Room {ConsoleText.Shorten(roomId, 80)} was already listed by this command; it is not listed again.");
            return;
        }

        if (PagingParameters.First == 0 && !PagingParameters.IncludeTotalCount)
        {
            return; // -First 0: nothing to write, so nothing to ask
        }

        long first = PagingParameters.First > long.MaxValue ? long.MaxValue : (long)PagingParameters.First;
        var lister = new SmartLiveJobLister(Client, query, (long)PagingParameters.Skip, first, ThrottleLimit);
        string activity = roomId is null ? "Listing jobs in the project" : $"Listing jobs in room {ConsoleText.Shorten(roomId, 80)}";
        string? lastRoom = null;
        var listing = new Listing<SmartLiveJob>(this, lister, activity, (object?)roomId ?? Client.Context.ProjectId, job =>
        {
            if (job.RoomId != null && job.RoomId != lastRoom)
            {
                SessionRooms.Remember(job.RoomId, job.RoomName); // for -RoomId completion
                lastRoom = job.RoomId;
            }
        }, first, query.PageSize, PagingParameters.IncludeTotalCount);
        listing.Start(Cancellation);
        listings.Enqueue(listing);
        WriteListings(until: Math.Min(RoomsAhead, Client.QueueBudget(SmartLiveOperations.ListSmartLive)));
    }

    /// <summary>Writes the listings in order: what is ready without waiting, and, while more than <paramref name="until"/> are started, all of the oldest.</summary>
    private void WriteListings(int until)
    {
        bool completed = false;
        try
        {
            while (listings.Count > 0)
            {
                bool finished = listings.Peek().Write(wait: listings.Count > until);
                if (!finished)
                {
                    break;
                }

                listings.Dequeue();
            }

            completed = true;
        }
        catch (Exception e) when (IsStop(e))
        {
            // Ctrl+C: the pipeline is stopping; that is not an error.
        }
        finally
        {
            if (!completed)
            {
                // Ctrl+C, or Select-Object -First stopped the pipeline downstream: cancel what is in flight.
                while (listings.Count > 0)
                {
                    listings.Dequeue().Abandon();
                }
            }
        }
    }

    private void Show(string roomId, string jobId)
    {
        try
        {
            var job = Await(Client.ShowAsync(roomId, jobId, Cancellation));
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
            WriteServiceError(e, $"{roomId}/{jobId}", roomId, jobId);
        }
        catch (Exception e) when (IsStop(e))
        {
        }
    }
}
