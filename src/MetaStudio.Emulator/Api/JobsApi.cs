using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using MetaStudio.Emulator.Data;
using MetaStudio.Emulator.Faults;

namespace MetaStudio.Emulator.Api;

/// <summary>Smart live jobs: ListSmartLive, ListSmartLiveJobs, ShowSmartLive.</summary>
internal sealed class JobsApi
{
    private static readonly byte[] Comma = { (byte)',' };
    private static readonly byte[] Tail = Encoding.UTF8.GetBytes("]}");

    private readonly JobStore store;

    public JobsApi(JobStore store) => this.store = store;

    /// <summary>ListSmartLive (a room's jobs) and ListSmartLiveJobs (every room's, plus <c>room_name</c>).</summary>
    public ApiResult List(ApiCall call)
    {
        var query = ListQuery.TryParse(call.QueryPairs(), allowRoomName: call.Route.RoomId is null, out var error);
        if (query is null)
        {
            return ApiResult.Error(400, ErrorBodies.InvalidParameter, error!);
        }

        var all = store.Query(call.Route.RoomId, query);
        var fault = call.Fault;
        string count = fault?.Kind switch
        {
            FaultKind.Count => fault.Argument.ToString(CultureInfo.InvariantCulture),
            FaultKind.CountHuge => (1L << 40).ToString(CultureInfo.InvariantCulture),
            FaultKind.CountString => "\"" + all.Length.ToString(CultureInfo.InvariantCulture) + "\"",
            _ => all.Length.ToString(CultureInfo.InvariantCulture),
        };
        return new ApiResult(200, Page(all, fault?.Kind == FaultKind.IgnoreOffset ? 0 : query.Offset, query.Limit, count));
    }

    /// <summary>ShowSmartLive: one job of a room; 404 MSS.10001002 when the room has no such job.</summary>
    public ApiResult Show(ApiCall call)
    {
        var job = store.Find(call.Route.RoomId!, call.Route.JobId!);
        return job is null
            ? ApiResult.Error(404, ErrorBodies.JobNotFound, $"Smart live job not found: {call.Route.JobId}")
            : ApiResult.Json(200, job.Json);
    }

    /// <summary><c>{"count":N,"smart_live_jobs":[…]}</c> as the stored bytes of each job, written without copying them into one array.</summary>
    private static Payload Page(StoredJob[] all, int offset, int limit, string count)
    {
        int start = Math.Min(offset, all.Length);
        int end = (int)Math.Min((long)start + limit, all.Length);
        var segments = new List<byte[]>((2 * (end - start)) + 2)
        {
            Encoding.UTF8.GetBytes("{\"count\":" + count + ",\"smart_live_jobs\":["),
        };
        for (int i = start; i < end; i++)
        {
            if (i > start)
            {
                segments.Add(Comma);
            }

            segments.Add(all[i].Json);
        }

        segments.Add(Tail);
        return new Payload(segments);
    }
}
