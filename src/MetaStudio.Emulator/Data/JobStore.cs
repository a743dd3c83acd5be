using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using MetaStudio.Emulator.Api;

namespace MetaStudio.Emulator.Data;

/// <summary>
/// Rooms and their jobs, thread-safe. Reads see immutable snapshots (copy on write, under one lock);
/// a query's filtered and sorted result is cached per data version, so paging through 100,000 jobs
/// costs O(page) per request. Jobs started through the API change state by the store's clock: every
/// read first applies the changes that are due (<see cref="Advance"/>).
/// </summary>
public sealed class JobStore
{
    private readonly object gate = new();
    private readonly TimeProvider clock;
    private readonly ConcurrentDictionary<string, (long Version, StoredJob[] Jobs)> queryCache = new(StringComparer.Ordinal);
    private LastJobs lastJobCache = new(-1);
    private List<StoredRoom> rooms = new();
    private Dictionary<string, StoredRoom> roomsById = new(StringComparer.Ordinal);
    private Dictionary<string, StoredJob[]> jobsByRoom = new(StringComparer.Ordinal);
    private readonly List<(string RoomId, string JobId)> pending = new();
    private long nextChangeTicks = long.MaxValue;
    private long version;
    private long sequence;
    private long roomSequence;

    public JobStore()
        : this(TimeProvider.System)
    {
    }

    /// <param name="clock">The clock by which started jobs change state (the emulator's <see cref="EmulatorOptions.Clock"/>).</param>
    public JobStore(TimeProvider clock) => this.clock = clock;

    public IReadOnlyList<StoredRoom> Rooms => rooms;

    public int JobCount
    {
        get
        {
            Advance();
            return jobsByRoom.Values.Sum(j => j.Length);
        }
    }

    /// <summary>Jobs in WAITING or PROCESSING over every room.</summary>
    public int RunningJobCount
    {
        get
        {
            Advance();
            return jobsByRoom.Values.Sum(j => j.Count(x => x.IsRunning));
        }
    }

    /// <summary>Changes every time a room or job is added or changes state.</summary>
    public long Version => Interlocked.Read(ref version);

    public StoredRoom? FindRoom(string roomId) => roomsById.TryGetValue(roomId, out var room) ? room : null;

    public IReadOnlyList<StoredJob> JobsOf(string roomId)
    {
        Advance();
        return jobsByRoom.TryGetValue(roomId, out var jobs) ? jobs : Array.Empty<StoredJob>();
    }

    /// <summary>A room with only an id and a name (every other field absent).</summary>
    public StoredRoom AddRoom(string roomId, string roomName)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["room_id"] = roomId, ["room_name"] = roomName });
        return AddRoom(json, null);
    }

    /// <summary>
    /// A room given as a JSON object with any SmartLiveRoomBaseInfo / ShowSmartLiveRoom fields (served as given,
    /// unknown fields included). <c>room_id</c> is required; an optional <c>template_own_type</c> sets the
    /// ownership that filter matches and is not served; <c>jobs</c>, if present, is ignored here.
    /// </summary>
    public StoredRoom AddRoomJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var (bytes, ownType) = StoredRoom.Normalise(doc.RootElement);
        return AddRoom(bytes, ownType);
    }

    internal StoredRoom AddRoom(byte[] json, string? templateOwnType)
    {
        lock (gate)
        {
            var room = new StoredRoom(json, roomSequence + 1, templateOwnType);
            if (roomsById.TryGetValue(room.RoomId, out var existing))
            {
                return existing;
            }

            roomSequence++;
            rooms = new List<StoredRoom>(rooms) { room };
            roomsById = new Dictionary<string, StoredRoom>(roomsById, StringComparer.Ordinal) { [room.RoomId] = room };
            jobsByRoom = new Dictionary<string, StoredJob[]>(jobsByRoom, StringComparer.Ordinal) { [room.RoomId] = Array.Empty<StoredJob>() };
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

            var room = roomsById[roomId];
            var added = jobJson.Select(json => Parse(room, json, ++sequence)).ToList();
            jobsByRoom = new Dictionary<string, StoredJob[]>(jobsByRoom, StringComparer.Ordinal) { [roomId] = existing.Concat(added).ToArray() };
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
            jobsByRoom = new Dictionary<string, StoredJob[]>(jobsByRoom, StringComparer.Ordinal) { [roomId] = existing.Concat(added).ToArray() };
            version++;
        }
    }

    public StoredJob? Find(string roomId, string jobId)
    {
        Advance();
        return jobsByRoom.TryGetValue(roomId, out var jobs) ? Array.Find(jobs, j => j.JobId == jobId) : null;
    }

    /// <summary>
    /// The room's latest job: greatest create time, ties broken by insertion order (the last added wins).
    /// Null when the room has no job.
    /// </summary>
    public StoredJob? LastJobOf(string roomId)
    {
        Advance();
        var cache = Volatile.Read(ref lastJobCache);
        long v = Version;
        if (cache.Version != v)
        {
            cache = new LastJobs(v);
            Volatile.Write(ref lastJobCache, cache);
        }

        lock (cache.ByRoom)
        {
            if (cache.ByRoom.TryGetValue(roomId, out var last))
            {
                return last;
            }

            var jobs = jobsByRoom.TryGetValue(roomId, out var j) ? j : Array.Empty<StoredJob>();
            last = null;
            foreach (var job in jobs)
            {
                if (last is null || job.CreateTime > last.CreateTime || (job.CreateTime == last.CreateTime && job.Sequence > last.Sequence))
                {
                    last = job;
                }
            }

            cache.ByRoom[roomId] = last;
            return last;
        }
    }

    /// <summary>
    /// Every matching job in order. Ties on the sort key are broken by job id, so the order is
    /// total and pages never overlap while the data is unchanged.
    /// </summary>
    public StoredJob[] Query(string? roomId, ListQuery query)
    {
        Advance();
        long v = Version;
        string key = (roomId ?? "*") + "|" + query.CacheKey;
        if (queryCache.TryGetValue(key, out var cached) && cached.Version == v)
        {
            return cached.Jobs;
        }

        var snapshot = jobsByRoom;
        IEnumerable<StoredJob> source = roomId is null
            ? rooms.SelectMany(r => snapshot.TryGetValue(r.RoomId, out var j) ? j : Array.Empty<StoredJob>())
            : snapshot.TryGetValue(roomId, out var own) ? own : Array.Empty<StoredJob>();

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

    /// <summary>Applies every state change due by the store's clock now.</summary>
    public void Advance() => Advance(clock.GetUtcNow());

    /// <summary>Applies every state change due at or before <paramref name="now"/> (each at its own due time).</summary>
    public void Advance(DateTimeOffset now)
    {
        if (now.UtcTicks < Interlocked.Read(ref nextChangeTicks))
        {
            return;
        }

        lock (gate)
        {
            AdvanceLocked(now);
        }
    }

    /// <summary>
    /// Starts a job in a room, atomically with its checks: the room must exist and not be DISABLE or
    /// BLOCKED; with <paramref name="singleJobInRoom"/> the room must have no WAITING or PROCESSING job;
    /// with <paramref name="maxRunningJobs"/> fewer than that many jobs may be running over all rooms.
    /// <paramref name="create"/> builds the job (given the room and its insertion sequence number) only when all pass.
    /// </summary>
    internal StartOutcome Start(string roomId, bool singleJobInRoom, int? maxRunningJobs, DateTimeOffset now, Func<StoredRoom, long, StoredJob> create)
    {
        lock (gate)
        {
            AdvanceLocked(now);
            if (!roomsById.TryGetValue(roomId, out var room))
            {
                return new StartOutcome(StartResult.RoomNotFound, null, null, Array.Empty<StoredJob>());
            }

            if (room.RoomState is "DISABLE" or "BLOCKED")
            {
                return new StartOutcome(StartResult.RoomNotEnabled, room, null, Array.Empty<StoredJob>());
            }

            var jobs = jobsByRoom[roomId];
            if (singleJobInRoom)
            {
                var running = jobs.Where(j => j.IsRunning).ToArray();
                if (running.Length > 0)
                {
                    return new StartOutcome(StartResult.RoomBusy, room, null, running);
                }
            }

            if (maxRunningJobs is { } max)
            {
                int runningEverywhere = jobsByRoom.Values.Sum(list => list.Count(j => j.IsRunning));
                if (runningEverywhere >= max)
                {
                    return new StartOutcome(StartResult.QuotaReached, room, null, Array.Empty<StoredJob>(), runningEverywhere);
                }
            }

            var job = create(room, ++sequence);
            jobsByRoom = new Dictionary<string, StoredJob[]>(jobsByRoom, StringComparer.Ordinal) { [roomId] = jobs.Append(job).ToArray() };
            pending.Add((roomId, job.JobId));
            ScheduleLocked();
            version++;
            return new StartOutcome(StartResult.Started, room, job, Array.Empty<StoredJob>());
        }
    }

    /// <summary>
    /// Stops a job: WAITING or PROCESSING becomes SUCCEED at <paramref name="now"/>; a job that already ended
    /// is left as it is (<see cref="StopResult.AlreadyEnded"/>).
    /// </summary>
    internal (StopResult Result, StoredJob? Job) Stop(string roomId, string jobId, DateTimeOffset now)
    {
        lock (gate)
        {
            AdvanceLocked(now);
            if (!jobsByRoom.TryGetValue(roomId, out var jobs) || Array.FindIndex(jobs, j => j.JobId == jobId) is var i && i < 0)
            {
                return (StopResult.NotFound, null);
            }

            var job = jobs[i];
            if (!job.IsRunning)
            {
                return (StopResult.AlreadyEnded, job);
            }

            var stopped = Changed(job, JobStates.Succeed, now);
            ReplaceLocked(roomId, i, stopped);
            ScheduleLocked();
            return (StopResult.Stopped, stopped);
        }
    }

    private void AdvanceLocked(DateTimeOffset now)
    {
        if (now.UtcTicks < nextChangeTicks)
        {
            return;
        }

        foreach (var (roomId, jobId) in pending.ToArray())
        {
            var jobs = jobsByRoom[roomId];
            int i = Array.FindIndex(jobs, j => j.JobId == jobId);
            var job = jobs[i];
            bool changed = false;
            while (job.Live!.NextChange(job.State, job.StartTime) is { } due && due <= now)
            {
                job = Changed(job, job.Live.NextState(job.State, job.StartTime, due), due);
                changed = true;
            }

            if (changed)
            {
                ReplaceLocked(roomId, i, job);
            }
        }

        ScheduleLocked();
    }

    /// <summary>The job in <paramref name="state"/> from <paramref name="at"/>.</summary>
    private static StoredJob Changed(StoredJob job, string state, DateTimeOffset at)
    {
        bool ends = state is not (JobStates.Waiting or JobStates.Processing);
        if (job.Live is null)
        {
            // Generated and data-file jobs only ever change by StopSmartLive.
            return new StoredJob(job.JobId, job.RoomId, job.RoomName, state, job.CreateTime, at, job.Sequence,
                JobJson.Stopped(job.Json, job.StartTime, at), job.StartTime, at);
        }

        // A job that leaves WAITING starts then, even when it fails or is blocked at once; stopped while WAITING it never started.
        var start = job.StartTime ?? (job.State == JobStates.Waiting && state != JobStates.Succeed ? at : null);
        var changed = new StoredJob(job.JobId, job.RoomId, job.RoomName, state, job.CreateTime, at, job.Sequence, Array.Empty<byte>(),
            start, ends ? at : null, job.Live);
        return new StoredJob(job.JobId, job.RoomId, job.RoomName, state, job.CreateTime, at, job.Sequence, JobJson.Render(changed, at),
            start, ends ? at : null, job.Live);
    }

    private void ReplaceLocked(string roomId, int index, StoredJob job)
    {
        var copy = (StoredJob[])jobsByRoom[roomId].Clone();
        copy[index] = job;
        jobsByRoom = new Dictionary<string, StoredJob[]>(jobsByRoom, StringComparer.Ordinal) { [roomId] = copy };
        version++;
    }

    private void ScheduleLocked()
    {
        long next = long.MaxValue;
        for (int p = pending.Count - 1; p >= 0; p--)
        {
            var (roomId, jobId) = pending[p];
            var job = Array.Find(jobsByRoom[roomId], j => j.JobId == jobId)!;
            if (job.Live!.NextChange(job.State, job.StartTime) is { } due)
            {
                next = Math.Min(next, due.UtcTicks);
            }
            else
            {
                pending.RemoveAt(p);
            }
        }

        Interlocked.Exchange(ref nextChangeTicks, next);
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
        return new StoredJob(jobId, room.RoomId, roomName, state, created, updated, seq, buffer.ToArray(),
            OptionalTime(root, "start_time"), OptionalTime(root, "end_time"));
    }

    private static string Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new FormatException($"A job needs a string '{name}'.");

    /// <summary>An RFC 3339 time field, or null when absent or not a time (served as given all the same).</summary>
    private static DateTimeOffset? OptionalTime(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && ListQuery.TryParseRfc3339(v.GetString()!, out var t) ? t : null;

    internal static DateTimeOffset ParseTime(string value) =>
        ListQuery.TryParseRfc3339(value, out var t) ? t : throw new FormatException($"'{value}' is not an RFC 3339 time.");
}

/// <summary>The last job of each room, for one data version.</summary>
internal sealed class LastJobs
{
    public LastJobs(long version) => Version = version;

    public long Version { get; }

    public Dictionary<string, StoredJob?> ByRoom { get; } = new(StringComparer.Ordinal);
}

internal enum StartResult
{
    Started,
    RoomNotFound,
    RoomNotEnabled,
    RoomBusy,
    QuotaReached,
}

internal sealed record StartOutcome(StartResult Result, StoredRoom? Room, StoredJob? Job, IReadOnlyList<StoredJob> RunningInRoom, int RunningEverywhere = 0);

internal enum StopResult
{
    NotFound,
    AlreadyEnded,
    Stopped,
}
