using System;

namespace MetaStudio.Emulator.Data;

/// <summary>
/// One live job, as an immutable snapshot: the fields the server filters and sorts on, plus its JSON
/// exactly as it is served (serialised once, so a page is a concatenation of bytes). A state change
/// replaces the snapshot in the store.
/// </summary>
public sealed class StoredJob
{
    internal StoredJob(string jobId, string roomId, string roomName, string state, DateTimeOffset createTime, DateTimeOffset updateTime, long sequence, byte[] json,
        DateTimeOffset? startTime = null, DateTimeOffset? endTime = null, LiveJob? live = null)
    {
        JobId = jobId;
        RoomId = roomId;
        RoomName = roomName;
        State = state;
        CreateTime = createTime;
        UpdateTime = updateTime;
        Sequence = sequence;
        Json = json;
        StartTime = startTime;
        EndTime = endTime;
        Live = live;
    }

    public string JobId { get; }

    public string RoomId { get; }

    public string RoomName { get; }

    public string State { get; }

    public DateTimeOffset CreateTime { get; }

    public DateTimeOffset UpdateTime { get; }

    public DateTimeOffset? StartTime { get; }

    public DateTimeOffset? EndTime { get; }

    /// <summary>Insertion order, used for the <c>asset_order</c> sort key.</summary>
    public long Sequence { get; }

    /// <summary>The JSON as of the last state change (a PROCESSING job started through the API is served with its duration at the time of reading).</summary>
    public byte[] Json { get; }

    /// <summary>WAITING or PROCESSING: what one-job-per-room and the running-jobs quota count.</summary>
    public bool IsRunning => State is JobStates.Waiting or JobStates.Processing;

    /// <summary>True for a job started through StartSmartLive (its state moves on with the clock).</summary>
    public bool StartedThroughApi => Live != null;

    /// <summary>What the job was started with and what happens to it next; null for generated and data-file jobs.</summary>
    internal LiveJob? Live { get; }

    /// <summary>The JSON to serve at <paramref name="now"/>: a PROCESSING API job's duration grows with the clock.</summary>
    public byte[] JsonAt(DateTimeOffset now) =>
        Live != null && State == JobStates.Processing ? JobJson.Render(this, now) : Json;
}

/// <summary>Job states as the API spells them.</summary>
public static class JobStates
{
    public const string Waiting = "WAITING";
    public const string Processing = "PROCESSING";
    public const string Succeed = "SUCCEED";
    public const string Failed = "FAILED";
    public const string Blocked = "BLOCKED";
}
