using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MetaStudio.Emulator.Data;
using MetaStudio.Emulator.Faults;

namespace MetaStudio.Emulator.Api;

/// <summary>Smart live jobs: ListSmartLive, ListSmartLiveJobs, ShowSmartLive, StartSmartLive, StopSmartLive.</summary>
internal sealed class JobsApi
{
    private static readonly byte[] Comma = { (byte)',' };
    private static readonly byte[] Tail = Encoding.UTF8.GetBytes("]}");

    private readonly JobStore store;

    private readonly Events.LiveEventDispatcher? events;

    public JobsApi(JobStore store, Events.LiveEventDispatcher? events = null)
    {
        this.store = store;
        this.events = events;
    }

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
        return new ApiResult(200, Page(all, fault?.Kind == FaultKind.IgnoreOffset ? 0 : query.Offset, query.Limit, count, call.Now));
    }

    /// <summary>ShowSmartLive: one job of a room; 404 MSS.10001002 when the room has no such job.</summary>
    public ApiResult Show(ApiCall call)
    {
        var job = store.Find(call.Route.RoomId!, call.Route.JobId!);
        return job is null ? JobNotFound(call.Route.JobId!) : ApiResult.Json(200, job.JsonAt(call.Now));
    }

    /// <summary>
    /// StartSmartLive: validates the body (<see cref="StartRequest"/>), then, atomically, the room (404
    /// MSS.10001004 unknown; 400 MSS.10001005 DISABLE or BLOCKED), one job per room (400 MSS.10001003 when
    /// single_job_in_room and the room has a WAITING or PROCESSING job) and the running-jobs quota (400
    /// MSS.20010135); then stores a WAITING job and answers 202 with StartSmartLiveResponse.
    /// </summary>
    public ApiResult Start(ApiCall call)
    {
        var request = StartRequest.TryParse(call.Body, call.ContentType, out var invalid);
        if (request is null)
        {
            return invalid;
        }

        string roomId = call.Route.RoomId!;
        var outcome = store.Start(roomId, request.SingleJobInRoom, call.MaxRunningJobs, call.Now,
            (room, sequence) => NewJob(call, request, room, sequence, call.ClaimJobFault()));
        switch (outcome.Result)
        {
            case StartResult.RoomNotFound:
                return RoomsApi.NotFound(roomId);
            case StartResult.RoomNotEnabled:
                return ApiResult.Error(400, ErrorBodies.RoomNotEnabled, $"The room cannot start a live job: room {roomId} is {outcome.Room!.RoomState}");
            case StartResult.RoomBusy:
                var running = outcome.RunningInRoom.OrderByDescending(j => j.CreateTime).First();
                return ApiResult.Error(400, ErrorBodies.RoomBusy,
                    $"The room already has a running job: room {roomId}, job {running.JobId} ({running.State})" +
                    (outcome.RunningInRoom.Count > 1 ? $" and {outcome.RunningInRoom.Count - 1} more" : string.Empty));
            case StartResult.QuotaReached:
                return ApiResult.Error(400, ErrorBodies.ConcurrencyExhausted,
                    $"Concurrency exhausted: {outcome.RunningEverywhere} smart live jobs are running, the limit is {call.MaxRunningJobs}");
        }

        events?.Track(outcome.Job!, outcome.Room!, request.LiveEventCallbackConfig, request.OutputUrl, request.StreamKey);
        return ApiResult.Json(202, StartResponse(outcome.Job!, outcome.Room!, request));
    }

    /// <summary>
    /// StopSmartLive: a WAITING or PROCESSING job becomes SUCCEED now; a job that already ended is left as it is.
    /// Both answer 200 <c>{}</c> (so a retried stop succeeds); 404 for an unknown room or job. The body is not read.
    /// </summary>
    public ApiResult Stop(ApiCall call)
    {
        if (store.FindRoom(call.Route.RoomId!) is null)
        {
            return RoomsApi.NotFound(call.Route.RoomId!);
        }

        var (result, _) = store.Stop(call.Route.RoomId!, call.Route.JobId!, call.Now);
        return result == StopResult.NotFound ? JobNotFound(call.Route.JobId!) : ApiResult.Json(200, EmptyObject);
    }

    private static readonly byte[] EmptyObject = Encoding.UTF8.GetBytes("{}");

    private static ApiResult JobNotFound(string jobId) => ApiResult.Error(404, ErrorBodies.JobNotFound, $"Smart live job not found: {jobId}");

    private static StoredJob NewJob(ApiCall call, StartRequest request, StoredRoom room, long sequence, FaultRule? fault)
    {
        string jobId = Guid.NewGuid().ToString("D");
        var now = call.Now;
        int hours = request.MaxLiveDurationHours ?? room.MaxLiveDurationHours ?? 0;
        var live = new LiveJob
        {
            LeavesWaitingAt = now + call.StartDelay,
            FirstState = fault?.Kind switch { FaultKind.JobFail => JobStates.Failed, FaultKind.JobBlock => JobStates.Blocked, _ => JobStates.Processing },
            LaterAfter = fault?.Kind is FaultKind.JobFailLater or FaultKind.JobBlockLater ? TimeSpan.FromMilliseconds(fault.Argument) : null,
            LaterState = fault?.Kind == FaultKind.JobBlockLater ? JobStates.Blocked : JobStates.Failed,
            MaxLive = hours > 0 ? TimeSpan.FromHours(hours) : null,
            RtcRoomInfo = RtcRoomInfo(jobId, now, request.NeedIndependentCaptureClient),
            LiveEventReportUrl = $"https://metastudio-live.example.com/v1/{call.Route.ProjectId}/smart-live-rooms/{room.RoomId}/smart-live-jobs/{jobId}/live-event-report" +
                                 $"?auth_key={RandomHex(16)}&expires_time={(now + TimeSpan.FromDays(1)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}",
            LiveEventCallbackConfig = request.LiveEventCallbackConfig,
            RtcCallbackConfig = request.RtcCallbackConfig,
            CoStreamerConfig = request.CoStreamerConfig,
            RelationLivePlatformInfo = room.RelationLivePlatformInfo,
            CoverUrl = room.CoverUrl,
            UsedResourceType = request.AllowResourceType is "PERIOD" or "ONDEMAND" or "ONE_TIME" ? request.AllowResourceType : "PERIOD",
        };
        var waiting = new StoredJob(jobId, room.RoomId, room.RoomName, JobStates.Waiting, now, now, sequence, Array.Empty<byte>(), live: live);
        return new StoredJob(jobId, room.RoomId, room.RoomName, JobStates.Waiting, now, now, sequence, JobJson.Render(waiting, now), live: live);
    }

    /// <summary>StartSmartLiveResponse: job_id, rtc_room_info, live_event_report_url, live_event_callback_config (as given), live_warning_info, limit_duration.</summary>
    private static byte[] StartResponse(StoredJob job, StoredRoom room, StartRequest request)
    {
        var live = job.Live!;
        using var buffer = new MemoryStream(1024);
        using (var w = new Utf8JsonWriter(buffer, DemoDataGenerator.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("job_id", job.JobId);
            w.WritePropertyName("rtc_room_info");
            w.WriteRawValue(live.RtcRoomInfo, skipInputValidation: true);
            w.WriteString("live_event_report_url", live.LiveEventReportUrl);
            if (request.LiveEventCallbackConfig != null)
            {
                w.WritePropertyName("live_event_callback_config");
                w.WriteRawValue(request.LiveEventCallbackConfig, skipInputValidation: true);
            }

            w.WriteStartArray("live_warning_info");
            foreach (var warning in Warnings(room, request))
            {
                w.WriteStartObject();
                w.WriteString("warning_type", warning);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("limit_duration", live.MaxLive is { } max ? (int)max.TotalHours : 0);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// TOO_LESSS_SCRIPT_ITEMS (sic) under 3 script items; TOO_LESS_DANMAKU_RULES without an enabled danmaku rule;
    /// RANDOM_PLAY_CLOSED when the random play mode (the request's, else the room's) is NONE.
    /// </summary>
    private static IEnumerable<string> Warnings(StoredRoom room, StartRequest request)
    {
        if (room.ShootScriptCount < 3)
        {
            yield return "TOO_LESSS_SCRIPT_ITEMS";
        }

        if (room.DanmakuRuleCount == 0)
        {
            yield return "TOO_LESS_DANMAKU_RULES";
        }

        if ((request.RandomPlayMode ?? room.RandomPlayMode) == "NONE")
        {
            yield return "RANDOM_PLAY_CLOSED";
        }
    }

    private static string RtcRoomInfo(string jobId, DateTimeOffset now, bool captureClient)
    {
        using var buffer = new MemoryStream(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("app_id", "rtc-app-emulator");
            w.WriteString("room_id", "rtc-" + jobId.Substring(0, 8));
            w.WriteStartArray("users");
            foreach (var type in captureClient ? new[] { "RENDER", "CAPTURE", "PLAYER" } : new[] { "RENDER", "PLAYER" })
            {
                w.WriteStartObject();
                w.WriteString("user_type", type);
                w.WriteString("user_id", "user-" + RandomHex(4));
                w.WriteString("signature", "rtcsig-" + RandomHex(24));
                w.WriteNumber("ctime", (now + TimeSpan.FromDays(1)).ToUnixTimeSeconds());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    /// <summary><c>{"count":N,"smart_live_jobs":[…]}</c> as the stored bytes of each job, written without copying them into one array.</summary>
    private static Payload Page(StoredJob[] all, int offset, int limit, string count, DateTimeOffset now)
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

            segments.Add(all[i].JsonAt(now));
        }

        segments.Add(Tail);
        return new Payload(segments);
    }
}
