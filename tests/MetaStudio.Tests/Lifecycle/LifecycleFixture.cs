using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Emulator;
using MetaStudio.Emulator.Data;
using MetaStudio.Tests.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Lifecycle;

/// <summary>
/// One emulator per test class for the lifecycle cmdlets in a hosted engine: nine generated rooms of
/// three jobs (seed 7), on a stepped clock that starts at the real time (the module signs by the real
/// clock), so a started job changes state only when a test moves the clock. Started jobs are on air
/// at their first read unless a test sets a start delay. Tests start jobs in rooms of their own
/// (<see cref="Room"/>), so they never meet another test's jobs.
/// </summary>
public sealed class LifecycleFixture : IAsyncLifetime
{
    private int rooms;

    public LiveEmulator Emulator { get; private set; } = null!;

    public EmulatorServer Server => Emulator.Server;

    public string Project => EmulatorOptions.DemoProjectId;

    public async Task InitializeAsync() => Emulator = await LiveEmulator.StartAsync(o => o.StartDelayMs = 0, DateTimeOffset.UtcNow);

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    /// <summary>A quiet emulator for the next test: no faults, quota or throttle, jobs on air at once, an empty request log.</summary>
    public void Reset()
    {
        Server.ClearFaults();
        Server.StartDelayMs = 0;
        Server.MaxRunningJobs = null;
        Server.SetRateLimit("StartSmartLive", null);
        Server.ClearRequests();
    }

    /// <summary>
    /// A new room without jobs, in <paramref name="state"/>, with four script items and a danmaku rule and
    /// random play on (so a start warns of nothing); <paramref name="extra"/> adds room fields (JSON members).
    /// </summary>
    public string Room(string? name = null, string state = "ENABLE", string extra = "")
    {
        int n = Interlocked.Increment(ref rooms);
        string id = $"life-room-{n}";
        Emulator.AddRoom($$$"""
            {"room_id":"{{{id}}}","room_name":"{{{name ?? $"生命周期 {n}"}}}","room_type":"NORMAL","room_state":"{{{state}}}","confirm_state":"CONFIRMED",
             "scene_scripts":[{"script_name":"s1","shoot_scripts":[{"sequence_no":1},{"sequence_no":2}]},{"script_name":"s2","shoot_scripts":[{"sequence_no":1},{"sequence_no":2}]}],
             "interaction_rules":[{"rule_index":"1","event_type":1,"enabled":true}],
             "play_policy":{"random_play_mode":"SCENE"}{{{(extra.Length == 0 ? "" : "," + extra)}}}}
            """);
        return id;
    }

    public string RoomJobsPath(string room) => SignedHttp.RoomJobsPath(Project, room);

    /// <summary>StartSmartLive requests received for a room.</summary>
    public List<RecordedRequest> StartsIn(string room) =>
        Server.Requests.Where(r => r.Method == "POST" && r.Path == RoomJobsPath(room)).ToList();

    /// <summary>StopSmartLive requests received for a job.</summary>
    public List<RecordedRequest> StopsOf(string room, string job) =>
        Server.Requests.Where(r => r.Method == "POST" && r.Path == $"{RoomJobsPath(room)}/{job}/stop").ToList();

    /// <summary>ShowSmartLive requests received for a job.</summary>
    public List<RecordedRequest> ShowsOf(string room, string job) =>
        Server.Requests.Where(r => r.Method == "GET" && r.Path == $"{RoomJobsPath(room)}/{job}").ToList();

    /// <summary>The jobs of a room, as the emulator holds them now.</summary>
    public IReadOnlyList<StoredJob> JobsIn(string room) => Server.Store.JobsOf(room);

    /// <summary>
    /// Runs a script in the background and, meanwhile, <paramref name="during"/> on the test's thread
    /// (to move the clock while a cmdlet waits); returns what the script produced.
    /// </summary>
    public static RunResult RunWhile(HostedPowerShell pwsh, string script, Action during, params object[] args)
    {
        var run = Task.Run(() => pwsh.Run(script, args));
        try
        {
            during();
        }
        finally
        {
            Assert.True(run.Wait(TimeSpan.FromSeconds(60)), "The script did not end within 60 s.");
        }

        return run.Result;
    }

    /// <summary>Waits (at most 20 s) until the condition holds.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Timed out waiting for {what}.");
            Thread.Sleep(10);
        }
    }
}
