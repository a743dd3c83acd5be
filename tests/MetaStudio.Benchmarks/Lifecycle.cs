using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Models;
using MetaStudio.Emulator;
using MetaStudio.Emulator.Api;
using MetaStudio.Emulator.Data;
using Bench = global::Benchmarks;

namespace MetaStudio.Benchmarks;

/// <summary>
/// Rows 8 and 9: the cmdlets of an operator's day that work on many rooms or jobs at once, 150 ms per
/// request, module defaults (20 requests/s per operation). Row 8: rooms piped into Get-MSSmartLiveJob,
/// against the throttle's floor and against one room after another. Row 9: Wait-MSSmartLiveJob on 50
/// jobs, against the service's ShowSmartLive limit (the emulator enforces it) and how soon each
/// change is seen.
/// </summary>
internal static class Lifecycle
{
    private const int LatencyMs = 150;
    private const double Rate = 20; // the module's default, the documented limit of every read

    public static async Task<string[]> RoomsPipedAsync(string manifest)
    {
        const int Rooms = 100;
        const int JobsPerRoom = 20; // one page each
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Seed = 5, Rooms = Rooms, JobsPerRoom = JobsPerRoom, LatencyMs = LatencyMs });
        using var session = Session.Open(manifest, server, rateLimit: null);
        session.Time("Get-MSSmartLiveRoom -First 2 | Get-MSSmartLiveJob | Out-Null"); // warm: JIT, connections
        var rooms = session.Time("(Get-MSSmartLiveRoom).RoomId").Output.Select(o => (string)o.BaseObject).ToList();
        Check(rooms.Count == Rooms, $"listed {rooms.Count} rooms");

        Thread.Sleep(1000); // start with no rate-limit slot taken
        server.ClearRequests();
        var (together, piped) = session.Time("Get-MSSmartLiveRoom | Get-MSSmartLiveJob");
        var requests = server.Requests;
        int roomRequests = requests.Count(r => r.Path.EndsWith("/smart-live-rooms", StringComparison.Ordinal));
        int jobRequests = requests.Count(r => r.Path.EndsWith("/smart-live-jobs", StringComparison.Ordinal));
        Check(jobRequests == Rooms && requests.Count == roomRequests + jobRequests, $"{roomRequests} room and {jobRequests} job listing requests of {requests.Count}");

        Thread.Sleep(1000);
        var (oneByOne, sequential) = session.Time("foreach ($room in Get-MSSmartLiveRoom) { Get-MSSmartLiveJob -RoomId $room.RoomId }");

        // Grouped by room in input order: the rooms, as the jobs come out, with each room's run collapsed, are the rooms as listed.
        var pipedJobs = piped.Select(o => (SmartLiveJob)o.BaseObject).ToList();
        var runs = pipedJobs.Select(j => j.RoomId!).Where((room, i) => i == 0 || room != pipedJobs[i - 1].RoomId).ToList();
        bool grouped = runs.SequenceEqual(rooms);
        bool sameJobs = pipedJobs.Select(j => j.JobId).SequenceEqual(sequential.Select(o => ((SmartLiveJob)o.BaseObject).JobId));
        Check(pipedJobs.Count == Rooms * JobsPerRoom, $"listed {pipedJobs.Count} jobs");

        double floor = (roomRequests + jobRequests) / Rate;
        double ratio = together.TotalSeconds / floor, speedup = oneByOne.TotalSeconds / together.TotalSeconds;
        return new[]
        {
            "8",
            $"Rooms piped: Get-MSSmartLiveRoom \\| Get-MSSmartLiveJob, {Rooms} rooms of {JobsPerRoom} jobs (one page each), {LatencyMs} ms per request, module defaults",
            $"{together.TotalSeconds:0.00} s; one room after another (foreach … Get-MSSmartLiveJob -RoomId) {oneByOne.TotalSeconds:0.00} s; grouped by room in input order: {YesNo(grouped)}; same jobs as one after another: {YesNo(sameJobs)}",
            $"≤ 1.15× floor ({floor:0.00} s = {roomRequests} + {jobRequests} requests / 20 per s)",
            $"{ratio:0.00}× floor; {speedup:0.00}× faster",
            Bench.Met(ratio <= 1.15 && grouped && sameJobs),
        };
    }

    public static async Task<string[]> WaitManyAsync(string manifest)
    {
        const int Jobs = 50;
        const int PollSec = 5; // Wait-MSSmartLiveJob's default
        var firstChange = TimeSpan.FromSeconds(4);
        var changeSpacing = TimeSpan.FromMilliseconds(250);

        // Rooms that can start a live (not DISABLE or BLOCKED), no generated jobs; ShowSmartLive throttled at its limit.
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Seed = 6, Rooms = 70, JobsPerRoom = 0 });
        server.SetRateLimit(Operations.ShowSmartLive, Rate);
        var rooms = server.Store.Rooms.Where(r => r.RoomState == "ENABLE").Take(Jobs).Select(r => r.RoomId).ToList();
        Check(rooms.Count == Jobs, $"only {rooms.Count} rooms can start a live");

        // Start the jobs, without latency or client-side pacing, each with its own start delay: they turn
        // PROCESSING one after another, 250 ms apart, from 4 s after the first start.
        using (var setup = Session.Open(manifest, server, rateLimit: 0))
        {
            var t0 = DateTimeOffset.UtcNow;
            for (int i = 0; i < Jobs; i++)
            {
                server.StartDelayMs = (int)Math.Max(0, (t0 + firstChange + (i * changeSpacing) - DateTimeOffset.UtcNow).TotalMilliseconds);
                setup.Time($"Start-MSSmartLiveJob -RoomId {rooms[i]} -Confirm:$false | Out-Null");
            }
        }

        var started = rooms.Select(room => server.Store.JobsOf(room).Single()).ToList();
        Check(started.All(j => j.State == JobStates.Waiting), "a job left WAITING before the wait began");

        using var session = Session.Open(manifest, server, rateLimit: null);
        session.SetVariable("jobs", started.Select(j => new { j.RoomId, j.JobId }).ToArray());
        server.LatencyMs = LatencyMs;
        server.ClearRequests();
        var (elapsed, seen) = session.TimeEach("$jobs | Wait-MSSmartLiveJob -State PROCESSING");
        var shows = server.Requests.Where(r => r.Method == "GET" && r.Path.Contains("/smart-live-jobs/", StringComparison.Ordinal)).ToList();
        Check(seen.Count == Jobs && shows.Count == server.Requests.Count, $"{seen.Count} jobs seen, {server.Requests.Count - shows.Count} other requests");

        // How late each change was seen: from the job's change (its start time, by the emulator's clock) to its object on the pipeline.
        var lags = seen.Select(s =>
        {
            var job = (SmartLiveJob)s.Output.BaseObject;
            var changed = server.Store.Find(job.RoomId!, job.JobId!)!.StartTime!.Value;
            return (s.At - changed).TotalSeconds;
        }).ToList();
        double round = (Jobs / Rate) + (LatencyMs / 1000.0);
        double bound = PollSec + round;
        int rounds = shows.GroupBy(r => r.Path).Max(g => g.Count());
        // The log's times are when each answer started, after the latency: the emulator's throttle counts then too.
        var answered = shows.Select(r => r.ReceivedAt).OrderBy(t => t).ToList();
        int busiest = BusiestSecond(answered);
        // The shortest time in which one request more than the limit was answered (1 s or more when the limit held).
        double tightest = Enumerable.Range(0, Math.Max(0, answered.Count - (int)Rate)).Min(i => (answered[i + (int)Rate] - answered[i]).TotalMilliseconds);
        int throttled = server.CountOf(429);
        bool met = lags.Max() <= bound && busiest <= Rate && throttled == 0;
        return new[]
        {
            "9",
            $"Wait-MSSmartLiveJob -State PROCESSING on {Jobs} jobs turning PROCESSING 250 ms apart, {LatencyMs} ms per request, ShowSmartLive limited to 20 requests/s by the emulator, module defaults (poll every {PollSec} s)",
            $"worst lag {lags.Max():0.00} s (median {Bench.Median(lags):0.00} s); {shows.Count} requests in {rounds} rounds, {elapsed.TotalSeconds:0.0} s; busiest second {busiest} requests (shortest span of 21 consecutive: {tightest:0} ms); {throttled} responses 429",
            $"every job seen ≤ {bound:0.00} s after its change (poll interval {PollSec} s + one round: {Jobs} requests / 20 per s + {LatencyMs} ms); ≤ 20 requests in any second; no 429",
            $"{lags.Max() / bound:0.00}× bound; {busiest / Rate:0.00}× limit",
            Bench.Met(met),
        };
    }

    /// <summary>The most requests answered within any one second (a window starting at each request); the times in order.</summary>
    private static int BusiestSecond(List<DateTimeOffset> times)
    {
        int most = 0;
        for (int i = 0, j = 0; i < times.Count; i++)
        {
            while (j < times.Count && times[j] - times[i] < TimeSpan.FromSeconds(1))
            {
                j++;
            }

            most = Math.Max(most, j - i);
        }

        return most;
    }

    private static string YesNo(bool value) => value ? "yes" : "NO";

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
