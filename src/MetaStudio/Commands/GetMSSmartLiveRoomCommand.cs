using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Models;
using MetaStudio.Client.Paging;
using MetaStudio.Client.SmartLive;
using MetaStudio.Client.Text;
using MetaStudio.Completers;

namespace MetaStudio.Commands;

/// <summary>
/// <para type="synopsis">Lists the project's smart live rooms (ListSmartLiveRooms), or gets rooms with their full definition (ShowSmartLiveRoom).</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "MSSmartLiveRoom", DefaultParameterSetName = ListSet, SupportsPaging = true)]
[OutputType(typeof(SmartLiveRoom))]
public sealed class GetMSSmartLiveRoomCommand : ServiceCmdlet
{
    private const string ListSet = "List";
    private const string RoomSet = "Room";

    /// <summary>Rooms to get with their full definition. Takes strings and objects with a RoomId property from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = RoomSet)]
    [RoomIdTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RoomIdCompleter))]
    public string[] RoomId { get; set; } = null!;

    /// <summary>Only rooms whose name contains this text (the service's fuzzy match).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? RoomName { get; set; }

    /// <summary>Only rooms of this digital human (dh_id).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? DigitalHumanId { get; set; }

    /// <summary>Only rooms whose avatar's name contains this text.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? ModelName { get; set; }

    /// <summary>Only rooms whose live is in one of these states: WAITING, PROCESSING, SUCCESS, FAILED, CANCELED, NULL (no live yet).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LiveStateCompleter))]
    public string[]? LiveState { get; set; }

    /// <summary>Only rooms whose last live started at or after this time.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public DateTime StartTime { get; set; }

    /// <summary>Only rooms whose last live ended at or before this time.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public DateTime EndTime { get; set; }

    /// <summary>NORMAL, TEMP or TEMPLATE.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RoomTypeCompleter))]
    public string? RoomType { get; set; }

    /// <summary>OWNED, SHARED_TO_OHTERS, SHARED_FROM_OHTERS or PUBLIC (spelled as the API spells them).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TemplateOwnTypeCompleter))]
    public string? TemplateOwnType { get; set; }

    /// <summary>UNCONFIRM, CONFIRMED or REJECT.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConfirmStateCompleter))]
    public string? ConfirmState { get; set; }

    /// <summary>Rooms per request, 1–100 (default 100, the most the API allows).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, SmartLiveJobQuery.MaxPageSize)]
    public int PageSize { get; set; } = SmartLiveJobQuery.MaxPageSize;

    /// <summary>Pages requested at once while listing, 1 (one after another) to 16; default 4.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, PageWalker<SmartLiveRoom>.MaxPrefetch)]
    public int ThrottleLimit { get; set; } = PageWalker<SmartLiveRoom>.DefaultPrefetch;

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
        if (ParameterSetName == RoomSet)
        {
            foreach (string name in new[] { "First", "Skip", "IncludeTotalCount" }.Where(MyInvocation.BoundParameters.ContainsKey))
            {
                throw Terminate(new ArgumentException($"-{name} cannot be used with -RoomId: it pages a listing, and -RoomId gets the rooms named. Remove -{name}, or list rooms without -RoomId.", name), "PagingWithRoomId");
            }
        }

        ConnectWithCallOptions();
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ListSet)
        {
            List();
            return;
        }

        foreach (string room in RoomId)
        {
            Show(room);
        }
    }

    private void List()
    {
        var query = new SmartLiveRoomQuery
        {
            RoomName = RoomName, DigitalHumanId = DigitalHumanId, ModelName = ModelName, RoomType = RoomType,
            TemplateOwnType = TemplateOwnType, ConfirmState = ConfirmState, PageSize = PageSize,
            LiveStates = LiveState?.Select(s => s.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList(),
            StartTime = MyInvocation.BoundParameters.ContainsKey(nameof(StartTime)) ? StartTime : null,
            EndTime = MyInvocation.BoundParameters.ContainsKey(nameof(EndTime)) ? EndTime : null,
        };
        try
        {
            query.Validate();
        }
        catch (ArgumentException e)
        {
            throw Terminate(e, "Invalid" + e.ParamName);
        }

        WarnUnknown(query.LiveStates, SmartLiveRoomQuery.KnownLiveStates, "live state");
        WarnUnknown(query.RoomType is null ? null : new[] { query.RoomType.ToUpperInvariant() }, SmartLiveRoomQuery.KnownRoomTypes, "room type");
        WarnUnknown(query.TemplateOwnType is null ? null : new[] { query.TemplateOwnType.ToUpperInvariant() }, SmartLiveRoomQuery.KnownTemplateOwnTypes, "template owner type");
        WarnUnknown(query.ConfirmState is null ? null : new[] { query.ConfirmState.ToUpperInvariant() }, SmartLiveRoomQuery.KnownConfirmStates, "confirm state");
        if (PagingParameters.First == 0 && !PagingParameters.IncludeTotalCount)
        {
            return;
        }

        long first = PagingParameters.First > long.MaxValue ? long.MaxValue : (long)PagingParameters.First;
        var walker = new PageWalker<SmartLiveRoom>((offset, limit, token) => Client.ListRoomsPageAsync(query, offset, limit, token), room => room.RoomId,
            SmartLiveOperations.ListSmartLiveRooms.Name, "rooms", query.PageSize, (long)PagingParameters.Skip, first, ThrottleLimit,
            Client.QueueBudget(SmartLiveOperations.ListSmartLiveRooms));
        var listing = new Listing<SmartLiveRoom>(this, walker, "Listing rooms", Client.Context.ProjectId, Remember, first, query.PageSize, PagingParameters.IncludeTotalCount);
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

    private void Show(string roomId)
    {
        try
        {
            var room = Await(Client.ShowRoomAsync(roomId, Cancellation));
            Remember(room);
            WriteObject(room);
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "InvalidRoomId", ErrorCategory.InvalidArgument, roomId));
        }
        catch (MetaStudioServiceException e)
        {
            WriteServiceError(e, roomId, roomId);
        }
        catch (Exception e) when (IsStop(e))
        {
        }
    }

    private static void Remember(SmartLiveRoom room)
    {
        if (room.RoomId != null)
        {
            SessionRooms.Remember(room.RoomId, room.RoomName);
        }
    }

    private void WarnUnknown(IEnumerable<string>? values, IReadOnlyList<string> known, string what)
    {
        foreach (string value in (values ?? Array.Empty<string>()).Where(v => !known.Contains(v, StringComparer.OrdinalIgnoreCase)))
        {
            // Rooms say SUCCESS where jobs say SUCCEED; the service's values are kept, so say which to use.
            string hint = what == "live state" && string.Equals(value, "SUCCEED", StringComparison.OrdinalIgnoreCase) ? " Rooms use SUCCESS where jobs use SUCCEED." : string.Empty;
            WriteWarning($"'{ConsoleText.Shorten(value, 64)}' is not a documented {what} ({string.Join(", ", known)}); it is sent as given.{hint}");
        }
    }
}
