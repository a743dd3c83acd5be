using System;

namespace MetaStudio.Emulator.Data;

/// <summary>
/// One live job: the fields the server filters and sorts on, plus its JSON exactly as it is served
/// (serialised once, so a page is a concatenation of bytes).
/// </summary>
public sealed class StoredJob
{
    internal StoredJob(string jobId, string roomId, string roomName, string state, DateTimeOffset createTime, DateTimeOffset updateTime, long sequence, byte[] json)
    {
        JobId = jobId;
        RoomId = roomId;
        RoomName = roomName;
        State = state;
        CreateTime = createTime;
        UpdateTime = updateTime;
        Sequence = sequence;
        Json = json;
    }

    public string JobId { get; }

    public string RoomId { get; }

    public string RoomName { get; }

    public string State { get; }

    public DateTimeOffset CreateTime { get; }

    public DateTimeOffset UpdateTime { get; }

    /// <summary>Insertion order, used for the <c>asset_order</c> sort key.</summary>
    public long Sequence { get; }

    public byte[] Json { get; }
}

/// <summary>A smart live room as the emulator knows it.</summary>
public sealed record StoredRoom(string RoomId, string RoomName);
