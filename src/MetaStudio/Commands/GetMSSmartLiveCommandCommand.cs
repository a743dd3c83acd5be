using System;
using System.Management.Automation;
using MetaStudio.Client.Models;
using MetaStudio.Client.Paging;
using MetaStudio.Client.SmartLive;
using MetaStudio.Completers;

namespace MetaStudio.Commands;

/// <summary>
/// <para type="synopsis">Lists the commands inserted into a live (ListInsertCommands): scripts and audio sent to it, and those it triggered itself.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "MSSmartLiveCommand", SupportsPaging = true)]
[OutputType(typeof(InsertCommand))]
public sealed class GetMSSmartLiveCommandCommand : ServiceCmdlet
{
    /// <summary>The room of the live. Takes the RoomId of piped jobs and command results.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RoomIdCompleter))]
    public string RoomId { get; set; } = null!;

    /// <summary>The live (job). Takes the JobId of piped jobs and command results.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string JobId { get; set; } = null!;

    /// <summary>Commands per request, 1–100 (default 100, the most the API allows).</summary>
    [Parameter]
    [ValidateRange(1, SmartLiveJobQuery.MaxPageSize)]
    public int PageSize { get; set; } = SmartLiveJobQuery.MaxPageSize;

    /// <summary>Pages requested at once, 1 (one after another) to 16; default 4.</summary>
    [Parameter]
    [ValidateRange(1, PageWalker<InsertCommand>.MaxPrefetch)]
    public int ThrottleLimit { get; set; } = PageWalker<InsertCommand>.DefaultPrefetch;

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
        ConnectWithCallOptions();
    }

    protected override void ProcessRecord()
    {
        if (!IsUsableJob(RoomId, JobId))
        {
            return;
        }

        if (PagingParameters.First == 0 && !PagingParameters.IncludeTotalCount)
        {
            return;
        }

        string room = RoomId, job = JobId;
        long first = PagingParameters.First > long.MaxValue ? long.MaxValue : (long)PagingParameters.First;
        var walker = new PageWalker<InsertCommand>((offset, limit, token) => Client.ListInsertCommandsPageAsync(room, job, offset, limit, token), c => c.CommandId,
            SmartLiveOperations.ListInsertCommands.Name, "commands", PageSize, (long)PagingParameters.Skip, first, ThrottleLimit,
            Client.QueueBudget(SmartLiveOperations.ListInsertCommands));
        var listing = new Listing<InsertCommand>(this, walker, "Listing inserted commands", $"{room}/{job}", c =>
        {
            c.RoomId = room;
            c.JobId = job;
            c.Parameters = JsonObjects.ToObject(c.ParametersJson);
        }, first, PageSize, PagingParameters.IncludeTotalCount);
        listing.Start(Cancellation);
        try
        {
            listing.Write(wait: true);
        }
        catch (Exception e) when (IsStop(e))
        {
        }
        finally
        {
            listing.Abandon();
        }
    }
}
