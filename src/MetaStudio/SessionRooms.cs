using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using MetaStudio.Client.SmartLive;

namespace MetaStudio;

/// <summary>
/// Room ids (and names) this runspace's commands have returned, so -RoomId can complete them
/// without a network call. Bounded; the oldest entries are forgotten first. The ids come from the
/// service: one the cmdlets would refuse as -RoomId (see <see cref="SmartLiveJobQuery.ValidatePathSegment"/>)
/// is not remembered, and names are cut to <see cref="MaxNameLength"/> characters.
/// </summary>
internal static class SessionRooms
{
    private const int Capacity = 1000;
    internal const int MaxNameLength = 256;
    private static readonly ConditionalWeakTable<Runspace, Rooms> Table = new();

    public static void Remember(string roomId, string? roomName)
    {
        if (Runspace.DefaultRunspace is { } runspace && IsUsable(roomId))
        {
            if (roomName is { Length: > MaxNameLength })
            {
                roomName = roomName.Substring(0, MaxNameLength);
            }

            Table.GetValue(runspace, _ => new Rooms()).Add(roomId, roomName);
        }
    }

    private static bool IsUsable(string roomId)
    {
        try
        {
            SmartLiveJobQuery.ValidatePathSegment(roomId, "RoomId");
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static IReadOnlyList<KeyValuePair<string, string?>> Known =>
        Runspace.DefaultRunspace is { } runspace && Table.TryGetValue(runspace, out var rooms)
            ? rooms.Snapshot()
            : new List<KeyValuePair<string, string?>>();

    private sealed class Rooms
    {
        private readonly ConcurrentDictionary<string, string?> names = new();
        private readonly ConcurrentQueue<string> order = new();

        public void Add(string roomId, string? roomName)
        {
            if (names.TryAdd(roomId, roomName))
            {
                order.Enqueue(roomId);
                while (order.Count > Capacity && order.TryDequeue(out var oldest))
                {
                    names.TryRemove(oldest, out _);
                }
            }
        }

        public List<KeyValuePair<string, string?>> Snapshot() => order.Select(id => new KeyValuePair<string, string?>(id, names.TryGetValue(id, out var n) ? n : null)).ToList();
    }
}
