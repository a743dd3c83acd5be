using System.Net.Http;
using MetaStudio.Client.Http;

namespace MetaStudio.Client.SmartLive;

/// <summary>
/// One description per smart-live operation: name, method, retry safety and rate-limit bucket with
/// the service's documented per-tenant limit (CN North-Beijing4). Where no limit was published
/// (ListSmartLiveJobs, ShowSmartLive, StopSmartLive, ExecuteSmartLiveCommand, ListInsertCommands), the
/// neighbouring operations' value is assumed: 20/s for reads, StartSmartLive's 4/s for the writes.
/// </summary>
public static class SmartLiveOperations
{
    public static readonly ApiOperation ListSmartLive = new("ListSmartLive", HttpMethod.Get, idempotent: true, "ListSmartLive", 20);

    public static readonly ApiOperation ListSmartLiveJobs = new("ListSmartLiveJobs", HttpMethod.Get, idempotent: true, "ListSmartLiveJobs", 20);

    public static readonly ApiOperation ShowSmartLive = new("ShowSmartLive", HttpMethod.Get, idempotent: true, "ShowSmartLive", 20);

    public static readonly ApiOperation ListSmartLiveRooms = new("ListSmartLiveRooms", HttpMethod.Get, idempotent: true, "ListSmartLiveRooms", 20);

    public static readonly ApiOperation ShowSmartLiveRoom = new("ShowSmartLiveRoom", HttpMethod.Get, idempotent: true, "ShowSmartLiveRoom", 20);

    public static readonly ApiOperation StartSmartLive = new("StartSmartLive", HttpMethod.Post, idempotent: false, "StartSmartLive", 4,
        "Check the room's jobs before starting again: Get-MSSmartLiveJob -RoomId <room> -State WAITING,PROCESSING");

    public static readonly ApiOperation StopSmartLive = new("StopSmartLive", HttpMethod.Post, idempotent: false, "StopSmartLive", 4,
        "Check the job's state: Get-MSSmartLiveJob -RoomId <room> -JobId <job>; stopping an ended job again changes nothing");

    /// <summary>A command to a running live. Not idempotent: an inserted script sent twice is spoken twice.</summary>
    public static readonly ApiOperation ExecuteSmartLiveCommand = new("ExecuteSmartLiveCommand", HttpMethod.Post, idempotent: false, "ExecuteSmartLiveCommand", 4,
        "See what the live received before sending it again: Get-MSSmartLiveCommand -RoomId <room> -JobId <job> lists the commands inserted into it");

    public static readonly ApiOperation ListInsertCommands = new("ListInsertCommands", HttpMethod.Get, idempotent: true, "ListInsertCommands", 20);
}
