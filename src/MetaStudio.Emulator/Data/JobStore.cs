using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using MetaStudio.Emulator.Api;

namespace MetaStudio.Emulator.Data;

/// <summary>
/// Rooms and their jobs. Reads see immutable snapshots; a query's filtered and sorted result is
/// cached per data version, so paging through 100,000 jobs costs O(page) per request.
/// </summary>
public sealed class JobStore
{
    private readonly object gate = new();
    private readonly ConcurrentDictionary<string, (long Version, StoredJob[] Jobs)> queryCache = new(StringComparer.Ordinal);
    private List<StoredRoom> rooms = new();
    private Dictionary<string, StoredJob[]> jobsByRoom = new(StringComparer.Ordinal);
    private long version;
    private long sequence;

    public IReadOnlyList<StoredRoom> Rooms => rooms;

    public int JobCount => jobsByRoom.Values.Sum(j => j.Length);

    public IReadOnlyList<StoredJob> JobsOf(string roomId) =>
        jobsByRoom.TryGetValue(roomId, out var jobs) ? jobs : Array.Empty<StoredJob>();

    public StoredRoom AddRoom(string roomId, string roomName)
    {
        lock (gate)
        {
            var existing = rooms.FirstOrDefault(r => r.RoomId == roomId);
            if (existing != null)
            {
                return existing;
            }

            var room = new StoredRoom(roomId, roomName);
            rooms = new List<StoredRoom>(rooms) { room };
            var copy = new Dictionary<string, StoredJob[]>(jobsByRoom, StringComparer.Ordinal) { [roomId] = Array.Empty<StoredJob>() };
            jobsByRoom = copy;
            version++;
            return room;
        }
    }

    /// <summary>
    /// Adds jobs given as JSON objects (served verbatim, so unknown fields survive). Each needs
    /// <c>job_id</c>, <c>state</c> and <c>create_time</c>; <c>room_id</c>/<c>room_name</c> default to the room's.
    /// </summary>
    public IReadOnlyList<StoredJob> AddJobs(string roomId, IEnumerable<string> jobJson)
    {
        lock (gate)
        {
            if (!jobsByRoom.TryGetValue(roomId, out var existing))
            {
                throw new ArgumentException($"Unknown room '{roomId}'; add it first.", nameof(roomId));
            }

            var room = rooms.First(r => r.RoomId == roomId);
            var added = jobJson.Select(json => Parse(room, json, ++sequence)).ToList();
            var copy = new Dictionary<string, StoredJob[]>(jobsByRoom, StringComparer.Ordinal) { [roomId] = existing.Concat(added).ToArray() };
            jobsByRoom = copy;
            version++;
            return added;
        }
    }

    /// <summary>Adds pre-serialised jobs in bulk (the generator's path).</summary>
    internal void AddGenerated(string roomId, IEnumerable<Func<long, StoredJob>> factories)
    {
        lock (gate)
        {
            var existing = jobsByRoom[roomId];
            var added = factories.Select(f => f(++sequence)).ToList();
            var copy = new Dictionary<string, StoredJob[]>(jobsByRoom, StringComparer.Ordinal) { [roomId] = existing.Concat(added).ToArray() };
            jobsByRoom = copy;
            version++;
        }
    }

    public StoredJob? Find(string roomId, string jobId) =>
        jobsByRoom.TryGetValue(roomId, out var jobs) ? Array.Find(jobs, j => j.JobId == jobId) : null;

    /// <summary>
    /// Every matching job in order. Ties on the sort key are broken by job id, so the order is
    /// total and pages never overlap while the data is unchanged.
    /// </summary>
    public StoredJob[] Query(string? roomId, ListQuery query)
    {
        long v = version;
        string key = (roomId ?? "*") + "|" + query.CacheKey;
        if (queryCache.TryGetValue(key, out var cached) && cached.Version == v)
        {
            return cached.Jobs;
        }

        IEnumerable<StoredJob> source = roomId is null
            ? rooms.SelectMany(r => JobsOf(r.RoomId))
            : JobsOf(roomId);

        if (query.RoomName is { Length: > 0 } name)
        {
            source = source.Where(j => j.RoomName.Contains(name, StringComparison.OrdinalIgnoreCase));
        }

        if (query.States is { Count: > 0 } states)
        {
            source = source.Where(j => states.Contains(j.State));
        }

        if (query.CreateSince is { } since)
        {
            source = source.Where(j => j.CreateTime >= since);
        }

        if (query.CreateUntil is { } until)
        {
            source = source.Where(j => j.CreateTime <= until);
        }

        var list = source.ToArray();
        Comparison<StoredJob> byKey = query.SortKey switch
        {
            "update_time" => (a, b) => a.UpdateTime.CompareTo(b.UpdateTime),
            "asset_order" => (a, b) => a.Sequence.CompareTo(b.Sequence),
            _ => (a, b) => a.CreateTime.CompareTo(b.CreateTime),
        };
        int direction = query.Descending ? -1 : 1;
        Array.Sort(list, (a, b) =>
        {
            int c = direction * byKey(a, b);
            return c != 0 ? c : string.CompareOrdinal(a.JobId, b.JobId);
        });

        if (queryCache.Count > 256)
        {
            queryCache.Clear();
        }

        queryCache[key] = (v, list);
        return list;
    }

    /// <summary>
    /// Inserts <paramref name="count"/> new jobs that sort before every existing one (earliest
    /// create time), shifting later pages of an ascending listing: the "list changed while paging" case.
    /// </summary>
    public IReadOnlyList<StoredJob> Shift(string roomId, int count)
    {
        var jobs = JobsOf(roomId);
        var earliest = jobs.Count == 0 ? DateTimeOffset.UtcNow : jobs.Min(j => j.CreateTime);
        var json = Enumerable.Range(1, count).Select(i =>
        {
            var t = earliest.AddSeconds(-i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            return $"{{\"job_id\":\"shifted-{Guid.NewGuid():N}\",\"state\":\"WAITING\",\"create_time\":\"{t}\",\"lastupdate_time\":\"{t}\"}}";
        });
        return AddJobs(roomId, json);
    }

    private static StoredJob Parse(StoredRoom room, string json, long seq)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("A job must be a JSON object.");
        }

        string jobId = Required(root, "job_id");
        string state = Required(root, "state");
        var created = ParseTime(Required(root, "create_time"));
        var updated = root.TryGetProperty("lastupdate_time", out var u) && u.ValueKind == JsonValueKind.String ? ParseTime(u.GetString()!) : created;

        // Serve the object as given, with the room's id and name filled in when absent.
        using var buffer = new System.IO.MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, DemoDataGenerator.WriterOptions))
        {
            w.WriteStartObject();
            bool hasRoomId = root.TryGetProperty("room_id", out _), hasRoomName = root.TryGetProperty("room_name", out _);
            foreach (var p in root.EnumerateObject())
            {
                p.WriteTo(w);
            }

            if (!hasRoomId)
            {
                w.WriteString("room_id", room.RoomId);
            }

            if (!hasRoomName)
            {
                w.WriteString("room_name", room.RoomName);
            }

            w.WriteEndObject();
        }

        string roomName = root.TryGetProperty("room_name", out var rn) && rn.ValueKind == JsonValueKind.String ? rn.GetString()! : room.RoomName;
        return new StoredJob(jobId, room.RoomId, roomName, state, created, updated, seq, buffer.ToArray());
    }

    private static string Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new FormatException($"A job needs a string '{name}'.");

    internal static DateTimeOffset ParseTime(string value) =>
        ListQuery.TryParseRfc3339(value, out var t) ? t : throw new FormatException($"'{value}' is not an RFC 3339 time.");
}
