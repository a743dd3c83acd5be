using System;

namespace MetaStudio.Emulator.Data;

/// <summary>
/// What a job started through StartSmartLive was started with, and what happens to it next. Fixed
/// when the job is created; its state moves on by the emulator's clock, so a test that moves the
/// clock drives the job without waiting.
/// </summary>
internal sealed class LiveJob
{
    /// <summary>When the job leaves WAITING (create time + the start delay).</summary>
    public required DateTimeOffset LeavesWaitingAt { get; init; }

    /// <summary>The state it then takes: PROCESSING, or FAILED / BLOCKED under a <c>job-fail</c> / <c>job-block</c> fault.</summary>
    public string FirstState { get; init; } = JobStates.Processing;

    /// <summary>Under <c>job-fail-later</c> / <c>job-block-later</c>: how long after it starts PROCESSING it turns <see cref="LaterState"/>.</summary>
    public TimeSpan? LaterAfter { get; init; }

    public string? LaterState { get; init; }

    /// <summary><c>max_live_duration</c>: how long it may be PROCESSING before it ends on its own (SUCCEED); null = unlimited.</summary>
    public TimeSpan? MaxLive { get; init; }

    public string FailureCode { get; init; } = "MSS.42000007";

    public string FailureMessage { get; init; } = "Infer Error";

    public string BlockReason { get; init; } = "直播内容违规 (content violates platform rules)";

    // Served with the job: raw JSON objects echoed from the request or taken from the room.
    public required string RtcRoomInfo { get; init; }

    public required string LiveEventReportUrl { get; init; }

    public string? LiveEventCallbackConfig { get; init; }

    public string? RtcCallbackConfig { get; init; }

    public string? CoStreamerConfig { get; init; }

    public string? RelationLivePlatformInfo { get; init; }

    public string? CoverUrl { get; init; }

    public string UsedResourceType { get; init; } = "PERIOD";

    /// <summary>When the next automatic change of a job in <paramref name="state"/> is due; null when none is.</summary>
    public DateTimeOffset? NextChange(string state, DateTimeOffset? startTime)
    {
        if (state == JobStates.Waiting)
        {
            return LeavesWaitingAt;
        }

        if (state != JobStates.Processing || startTime is not { } start)
        {
            return null;
        }

        DateTimeOffset? later = LaterAfter is { } l ? start + l : null;
        DateTimeOffset? end = MaxLive is { } m ? start + m : null;
        return later is null ? end : end is null ? later : later < end ? later : end;
    }

    /// <summary>The state after the change due at <paramref name="at"/>.</summary>
    public string NextState(string state, DateTimeOffset? startTime, DateTimeOffset at)
    {
        if (state == JobStates.Waiting)
        {
            return FirstState;
        }

        return LaterAfter is { } l && startTime is { } s && s + l == at && (MaxLive is null || s + l <= s + MaxLive.Value)
            ? LaterState ?? JobStates.Failed
            : JobStates.Succeed;
    }
}
