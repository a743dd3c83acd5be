using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using MetaStudio.Emulator.Data;

namespace MetaStudio.Emulator.Api;

/// <summary>Smart live rooms: ListSmartLiveRooms and ShowSmartLiveRoom.</summary>
internal sealed class RoomsApi
{
    private static readonly byte[] Comma = { (byte)',' };
    private static readonly byte[] Tail = Encoding.UTF8.GetBytes("]}");

    private readonly JobStore store;

    public RoomsApi(JobStore store) => this.store = store;

    /// <summary>
    /// ListSmartLiveRooms: rooms in the order they were added (generated order, or the data file's),
    /// filtered, then paged; each as SmartLiveRoomBaseInfo.
    /// </summary>
    public ApiResult List(ApiCall call)
    {
        var query = RoomQuery.TryParse(call.QueryPairs(), out var error);
        if (query is null)
        {
            return ApiResult.Error(400, ErrorBodies.InvalidParameter, error!);
        }

        var matching = store.Rooms.Select(r => (Room: r, Last: LastJobView.Of(store, r))).Where(x => Matches(x.Room, x.Last, query)).ToList();
        var segments = new List<byte[]> { Encoding.UTF8.GetBytes("{\"count\":" + matching.Count.ToString(CultureInfo.InvariantCulture) + ",\"smart_live_rooms\":[") };
        foreach (var (room, last) in matching.Skip(query.Offset).Take(query.Limit))
        {
            if (segments.Count > 1)
            {
                segments.Add(Comma);
            }

            segments.Add(Render(room, last, call.Route.ProjectId, listing: true));
        }

        segments.Add(Tail);
        return new ApiResult(200, new Payload(segments));
    }

    /// <summary>ShowSmartLiveRoom: the room's detail fields (§1.13); 404 MSS.10001004 for an unknown room.</summary>
    public ApiResult Show(ApiCall call)
    {
        var room = store.FindRoom(call.Route.RoomId!);
        return room is null
            ? NotFound(call.Route.RoomId!)
            : ApiResult.Json(200, Render(room, LastJobView.Of(store, room), call.Route.ProjectId, listing: false));
    }

    /// <summary>A room's ShowSmartLiveRoom body (what GET_LIVE_JOB_CONFIG_INFO starts from).</summary>
    internal static byte[] Detail(JobStore store, StoredRoom room, string projectId) => Render(room, LastJobView.Of(store, room), projectId, listing: false);

    public static ApiResult NotFound(string roomId) => ApiResult.Error(404, ErrorBodies.RoomNotFound, $"Smart live room not found: {roomId}");

    private static bool Matches(StoredRoom room, LastJobView last, RoomQuery q)
    {
        if (q.RoomName != null && !room.RoomName.Contains(q.RoomName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (q.DhId != null && !room.DhIds.Contains(q.DhId, StringComparer.Ordinal) && !room.ModelAssetIds.Contains(q.DhId, StringComparer.Ordinal))
        {
            return false;
        }

        if (q.ModelName != null && !room.ModelNames.Any(n => n.Contains(q.ModelName, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (q.LiveStatesWanted is { } states && !states.Contains(last.Status switch { null => "NULL", JobStates.Succeed => "SUCCESS", var s => s }))
        {
            return false;
        }

        if (q.StartTime is { } from && !(last.StartTime is { } started && started >= from))
        {
            return false;
        }

        if (q.EndTime is { } to && !(last.EndTime is { } ended && ended <= to))
        {
            return false;
        }

        return (q.RoomType is null || q.RoomType == room.RoomType) &&
               (q.TemplateOwnType is null || q.TemplateOwnType == room.TemplateOwnType) &&
               (q.ConfirmState is null || q.ConfirmState == room.ConfirmState);
    }

    /// <summary>
    /// The stored room with the fields of one operation: the listing leaves out the detail-only fields and adds
    /// project_id (from the path, unless the room has one) and last_job_* (from the room's jobs, when it has any);
    /// Show leaves out the listing-only fields. Unknown fields are served by both.
    /// </summary>
    private static byte[] Render(StoredRoom room, LastJobView last, string projectId, bool listing)
    {
        using var doc = JsonDocument.Parse(room.Json);
        var root = doc.RootElement;
        bool hasProject = root.TryGetProperty("project_id", out _);
        bool hasUpdateTime = root.TryGetProperty("update_time", out _);
        using var buffer = new MemoryStream(room.Json.Length + 256);
        using (var w = new Utf8JsonWriter(buffer, DemoDataGenerator.WriterOptions))
        {
            w.WriteStartObject();
            foreach (var p in root.EnumerateObject())
            {
                if (listing ? StoredRoom.DetailOnlyFields.Contains(p.Name) : StoredRoom.ListOnlyFields.Contains(p.Name))
                {
                    continue;
                }

                if (listing && last.FromJobs && p.Name.StartsWith("last_job_", StringComparison.Ordinal))
                {
                    continue; // replaced by the values of the room's jobs
                }

                p.WriteTo(w);
                if (listing && p.NameEquals("room_id") && !hasProject)
                {
                    w.WriteString("project_id", projectId);
                }

                if (listing && p.NameEquals("update_time"))
                {
                    WriteLastJob(w, last);
                }
            }

            if (listing && !hasUpdateTime)
            {
                WriteLastJob(w, last);
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteLastJob(Utf8JsonWriter w, LastJobView last)
    {
        if (!last.FromJobs)
        {
            return; // the stored values, if any, were written as they are
        }

        if (last.StartTime is { } start)
        {
            w.WriteString("last_job_start_time", DemoDataGenerator.Format(start));
        }

        if (last.EndTime is { } end)
        {
            w.WriteString("last_job_end_time", DemoDataGenerator.Format(end));
        }

        w.WriteString("last_job_status", last.Status);
    }

    /// <summary>A room's last job as the listing reports it: from its jobs, or from the room's own fields when it has none.</summary>
    private readonly record struct LastJobView(string? Status, DateTimeOffset? StartTime, DateTimeOffset? EndTime, bool FromJobs)
    {
        public static LastJobView Of(JobStore store, StoredRoom room)
        {
            var job = store.LastJobOf(room.RoomId);
            if (job != null)
            {
                return new LastJobView(job.State, job.StartTime, job.EndTime, true);
            }

            static DateTimeOffset? Time(string? value) => value != null && ListQuery.TryParseRfc3339(value, out var t) ? t : null;
            return new LastJobView(room.StoredLastJobStatus, Time(room.StoredLastJobStart), Time(room.StoredLastJobEnd), false);
        }
    }
}
