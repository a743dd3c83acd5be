using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Benchmarks;
using MetaStudio.Emulator;

// MetaStudio benchmarks: dotnet run -c Release --project tests/MetaStudio.Benchmarks [-- cold-start [runs] | lifecycle]
// Figures against goals and floors measured in this run. Exits non-zero only if it could not run.
// "cold-start" runs only row 7 (fresh pwsh processes), 15 alternating pairs unless told otherwise;
// "lifecycle" runs only rows 8 and 9 (many rooms and jobs at once).
try
{
    string only = args.Length > 0 ? args[0] : "";
    int runs = args.Length > 1 && int.TryParse(args[1], out int n) && n > 0 ? n : 15;
    if (only is not ("" or "cold-start" or "lifecycle") || (only == "lifecycle" && args.Length > 1))
    {
        Console.Error.WriteLine("Usage: MetaStudio.Benchmarks [cold-start [runs] | lifecycle]");
        return 2;
    }

    return await Benchmarks.RunAsync(only, runs);
}
catch (Exception e)
{
    Console.Error.WriteLine("The benchmarks could not run: " + e);
    return 1;
}

internal static class Benchmarks
{
    private const int BigJobs = 100_000;
    private const int SmallJobs = 10_000;
    private const int PageSize = 100;
    private static readonly List<string[]> Rows = new();

    public static async Task<int> RunAsync(string only, int coldStartRuns)
    {
#if DEBUG
        Console.WriteLine("WARNING: a Debug build; run with -c Release for figures worth writing down.");
#endif
        string manifest = Path.Combine(FindRepoRoot(), "out", "MetaStudio", "MetaStudio.psd1");
        Console.WriteLine($"MetaStudio benchmarks: .NET {Environment.Version}, {RuntimeInformation.OSDescription.Trim()}, {Environment.ProcessorCount} cores; emulator in-process on 127.0.0.1");

        var clock = Stopwatch.StartNew();
        if (only == "cold-start")
        {
            Rows.Add(await ColdStart.RunAsync(manifest, coldStartRuns));
            PrintTable(clock);
            return 0;
        }

        if (only == "lifecycle")
        {
            await LifecycleRows(manifest);
            PrintTable(clock);
            return 0;
        }

        await using (var big = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Seed = 1, Rooms = 1, JobsPerRoom = BigJobs, FullyPopulated = true }))
        {
            Console.WriteLine($"  {BigJobs:N0} fully populated jobs generated in {clock.Elapsed.TotalSeconds:0.0} s");
            string room = big.Store.Rooms[0].RoomId;
            Import(manifest, big, room); // first, while the module has never been loaded in this process
            using var session = Session.Open(manifest, big, rateLimit: 0);
            await Throughput(big, session, room);
            Memory(session, room);
        }

        await using (var slow = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Seed = 2, Rooms = 1, JobsPerRoom = SmallJobs, LatencyMs = 150 }))
        {
            string room = slow.Store.Rooms[0].RoomId;
            using var session = Session.Open(manifest, slow, rateLimit: null); // module defaults: 20 requests/s
            Latency(session, room);
            FirstObject(session, room);
        }

        await using (var throttled = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Seed = 3, Rooms = 1, JobsPerRoom = SmallJobs, LatencyMs = 20, RateLimit = 20 }))
        {
            using var session = Session.Open(manifest, throttled, rateLimit: null);
            Throttled(session, throttled, throttled.Store.Rooms[0].RoomId);
        }

        await LifecycleRows(manifest);

        // Last: fresh pwsh processes, with nothing else of this program running.
        Rows.Add(await ColdStart.RunAsync(manifest, coldStartRuns));
        PrintTable(clock);
        return 0;
    }

    private static async Task LifecycleRows(string manifest)
    {
        Rows.Add(await Lifecycle.RoomsPipedAsync(manifest));
        Rows.Add(await Lifecycle.WaitManyAsync(manifest));
    }

    private static void PrintTable(Stopwatch clock)
    {
        Console.WriteLine();
        Console.WriteLine("| # | Measure | Figure | Goal | Ratio | Met |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var row in Rows)
        {
            Console.WriteLine("| " + string.Join(" | ", row) + " |");
        }

        Console.WriteLine();
        Console.WriteLine($"Total time {clock.Elapsed.TotalSeconds:0} s.");
    }

    private static async Task Throughput(EmulatorServer server, Session session, string room)
    {
        using var http = new HttpClient();
        int pages = BigJobs / PageSize;

        // Warm both paths (JIT, connections), then take the best of three.
        await Floor.ListAsync(http, server.BaseAddress, room, 10_000, PageSize, 4);
        session.Time($"Get-MSSmartLiveJob -RoomId {room} -First 10000 | Out-Null");

        double floorBest = 0, cmdletBest = 0;
        for (int i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            int n = await Floor.ListAsync(http, server.BaseAddress, room, BigJobs, PageSize, 4);
            floorBest = Math.Max(floorBest, n / sw.Elapsed.TotalSeconds);
            Check(n == BigJobs, $"the floor listed {n:N0} jobs");

            var (elapsed, _) = session.Time($"Get-MSSmartLiveJob -RoomId {room} | Out-Null");
            cmdletBest = Math.Max(cmdletBest, BigJobs / elapsed.TotalSeconds);
        }

        double ratio = cmdletBest / floorBest;
        Rows.Add(new[] { "1", $"Throughput: {BigJobs:N0} fully populated jobs ({pages:N0} pages) to Out-Null, rate limiter off", $"{cmdletBest:N0} jobs/s (floor {floorBest:N0} jobs/s)", "≥ 0.7× floor", $"{ratio:0.00}×", Met(ratio >= 0.7) });
    }

    private static void Memory(Session session, string room)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long baseline = GC.GetTotalMemory(true);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peak = baseline;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            while (!done.IsSet)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                Thread.Sleep(1);
            }
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        sampler.Start();
        session.Time($"Get-MSSmartLiveJob -RoomId {room} | Out-Null");
        done.Set();
        sampler.Join();
        double growthMb = (peak - baseline) / 1024.0 / 1024.0;
        double allocatedPerJob = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)BigJobs;
        Rows.Add(new[] { "5", $"Memory: peak managed heap growth while streaming {BigJobs:N0} jobs to Out-Null (emulator in the same process)", $"{growthMb:0.0} MB ({allocatedPerJob / 1024:0.0} KB allocated per job, server side included)", "< 64 MB", $"{growthMb / 64:0.00}× goal", Met(growthMb < 64) });
    }

    private static void Import(string manifest, EmulatorServer server, string room)
    {
        var imports = new List<double>();
        var firstCalls = new List<double>();
        for (int i = 0; i < 21; i++)
        {
            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            var sw = Stopwatch.StartNew();
            ps.AddCommand("Import-Module").AddParameter("Name", manifest).Invoke();
            imports.Add(sw.Elapsed.TotalMilliseconds);
            Session.Connect(runspace, server, rateLimit: 0);
            ps.Commands.Clear();
            sw.Restart();
            var jobs = ps.AddScript($"Get-MSSmartLiveJob -RoomId {room} -First 1").Invoke();
            firstCalls.Add(sw.Elapsed.TotalMilliseconds);
            Check(jobs.Count == 1, "the first call returned no job");
        }

        double cold = imports[0], median = Median(imports.Skip(1)), call = Median(firstCalls.Skip(1));
        Rows.Add(new[] { "6", "Import-Module out/MetaStudio in a fresh runspace; then the first Get-MSSmartLiveJob -First 1", $"import {median:0} ms median (first in the process {cold:0} ms); first call {call:0} ms median (first {firstCalls[0]:0} ms)", "import < 150 ms median", $"{median / 150:0.00}× goal", Met(median < 150) });
    }

    private static void Latency(Session session, string room)
    {
        int pages = SmallJobs / PageSize;
        double floor = pages / 20.0;
        session.Time($"Get-MSSmartLiveJob -RoomId {room} -First 200 | Out-Null"); // warm
        Thread.Sleep(200);
        var (parallel, fast) = session.Time($"Get-MSSmartLiveJob -RoomId {room}");
        Thread.Sleep(200);
        var (sequential, slow) = session.Time($"Get-MSSmartLiveJob -RoomId {room} -ThrottleLimit 1");
        bool sameOrder = fast.Select(o => ((MetaStudio.Client.Models.SmartLiveJob)o.BaseObject).JobId)
            .SequenceEqual(slow.Select(o => ((MetaStudio.Client.Models.SmartLiveJob)o.BaseObject).JobId));
        Check(fast.Count == SmallJobs && sameOrder, "default and sequential paging returned different jobs");
        double ratio = parallel.TotalSeconds / floor, speedup = sequential.TotalSeconds / parallel.TotalSeconds;
        Rows.Add(new[] { "2", $"Latency: {SmallJobs:N0} jobs ({pages} pages), 150 ms per request, module defaults (20 requests/s, 4 pages in flight)", $"{parallel.TotalSeconds:0.00} s; sequential (-ThrottleLimit 1) {sequential.TotalSeconds:0.00} s; same order: {(sameOrder ? "yes" : "NO")}", $"≤ 1.15× floor ({floor:0.00} s = pages / 20 per s); ≥ 2.8× faster than sequential", $"{ratio:0.00}× floor; {speedup:0.00}× faster", Met(ratio <= 1.15 && speedup >= 2.8 && sameOrder) });
    }

    private static void FirstObject(Session session, string room)
    {
        var times = new List<double>();
        for (int i = 0; i < 11; i++)
        {
            Thread.Sleep(400); // the stopped listing had reserved rate-limit slots for its pages ahead: let them pass
            times.Add(session.TimeToFirstObject($"Get-MSSmartLiveJob -RoomId {room}").TotalMilliseconds);
        }

        double median = Median(times.Skip(1));
        Rows.Add(new[] { "4", "First object: time from invocation to the first job on the pipeline, 150 ms per request", $"{median:0} ms median of 10", "< 180 ms (one request's latency + 30 ms)", $"{median / 150:0.00}× one request's latency", Met(median < 180) });
    }

    private static void Throttled(Session session, EmulatorServer server, string room)
    {
        int pages = SmallJobs / PageSize;
        double floor = pages / 20.0;
        Thread.Sleep(1000); // start with the throttle's bucket full, as a quiet tenant would
        server.ClearRequests();
        var (elapsed, jobs) = session.Time($"Get-MSSmartLiveJob -RoomId {room}");
        int throttled = server.CountOf(429);
        Check(jobs.Count == SmallJobs, $"listed {jobs.Count:N0} jobs");
        double ratio = elapsed.TotalSeconds / floor;
        Rows.Add(new[] { "3", $"Throttled: {SmallJobs:N0} jobs, 20 ms per request, the service limited to 20 requests/s, module defaults", $"{elapsed.TotalSeconds:0.00} s, {throttled} responses 429", $"≤ 1.15× floor ({floor:0.00} s) with no 429", $"{ratio:0.00}× floor", Met(ratio <= 1.15 && throttled == 0) });
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    internal static string Met(bool met) => met ? "yes" : "**no**";

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MetaStudio.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from the repository (MetaStudio.sln not found).");
    }
}

/// <summary>A runspace with the staged module imported and connected to an emulator.</summary>
internal sealed class Session : IDisposable
{
    private readonly Runspace runspace;

    private Session(Runspace runspace) => this.runspace = runspace;

    public static Session Open(string manifest, EmulatorServer server, double? rateLimit)
    {
        var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using (var ps = PowerShell.Create())
        {
            ps.Runspace = runspace;
            ps.AddCommand("Import-Module").AddParameter("Name", manifest).Invoke();
        }

        Connect(runspace, server, rateLimit);
        return new Session(runspace);
    }

    public static void Connect(Runspace runspace, EmulatorServer server, double? rateLimit)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        var secret = new SecureString();
        foreach (char c in EmulatorOptions.DemoSecretKey)
        {
            secret.AppendChar(c);
        }

        ps.AddCommand("Connect-MSAccount").AddParameter("AccessKey", EmulatorOptions.DemoAccessKey).AddParameter("SecretKey", secret)
            .AddParameter("ProjectId", EmulatorOptions.DemoProjectId).AddParameter("Endpoint", server.BaseAddress);
        if (rateLimit is { } rate)
        {
            ps.AddParameter("RateLimit", rate);
        }

        ps.Invoke();
        if (ps.HadErrors)
        {
            throw new InvalidOperationException("Connect-MSAccount failed: " + string.Join("; ", ps.Streams.Error));
        }
    }

    public (TimeSpan Elapsed, Collection<PSObject> Output) Time(string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        var sw = Stopwatch.StartNew();
        var output = ps.Invoke();
        sw.Stop();
        if (ps.Streams.Error.Count > 0)
        {
            throw new InvalidOperationException($"'{script}' failed: " + string.Join("; ", ps.Streams.Error));
        }

        return (sw.Elapsed, output);
    }

    /// <summary>Sets a variable in the runspace (input for the next scripts).</summary>
    public void SetVariable(string name, object value) => runspace.SessionStateProxy.SetVariable(name, value);

    /// <summary>Runs a script; each object it writes comes with the time it reached the output.</summary>
    public (TimeSpan Elapsed, List<(DateTimeOffset At, PSObject Output)> Output) TimeEach(string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        var output = new PSDataCollection<PSObject>();
        var stamped = new List<(DateTimeOffset At, PSObject Output)>();
        output.DataAdded += (_, e) => stamped.Add((DateTimeOffset.UtcNow, output[e.Index]));
        var sw = Stopwatch.StartNew();
        ps.Invoke<PSObject, PSObject>(null, output, null);
        sw.Stop();
        if (ps.Streams.Error.Count > 0)
        {
            throw new InvalidOperationException($"'{script}' failed: " + string.Join("; ", ps.Streams.Error));
        }

        return (sw.Elapsed, stamped);
    }

    public TimeSpan TimeToFirstObject(string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        var output = new PSDataCollection<PSObject>();
        var first = new TaskCompletionSource<TimeSpan>();
        var sw = Stopwatch.StartNew();
        output.DataAdded += (_, _) => first.TrySetResult(sw.Elapsed);
        var invocation = ps.BeginInvoke<PSObject, PSObject>(null, output);
        var elapsed = first.Task.Wait(TimeSpan.FromSeconds(30)) ? first.Task.Result : throw new TimeoutException("no job within 30 s");
        ps.Stop();
        return elapsed;
    }

    public void Dispose() => runspace.Dispose();
}
