using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using MetaStudio.Emulator;
using Bench = global::Benchmarks;

namespace MetaStudio.Benchmarks;

/// <summary>
/// Row 7: what the module adds to a runbook, each of which is a fresh pwsh process. Alternating runs
/// of a bare <c>pwsh -NoProfile -Command 1</c> and of a pwsh that imports the module, connects
/// (credentials from the environment, as in an automation account) and writes the first job to its
/// output; the figure is the median of the per-pair differences in wall time.
/// </summary>
internal static class ColdStart
{
    public const double GoalMs = 150;

    /// <summary>pwsh.dll of the PowerShell tool package (downloaded by this project's restore).</summary>
    public static string PwshDll =>
        typeof(ColdStart).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PwshDll").Value!;

    public static async Task<string[]> RunAsync(string manifest, int runs)
    {
        if (!File.Exists(PwshDll))
        {
            throw new FileNotFoundException($"pwsh not found at {PwshDll}; restore tests/MetaStudio.Benchmarks (it downloads the PowerShell tool package).");
        }

        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Seed = 4, Rooms = 3, JobsPerRoom = 40 });
        string endpoint = server.BaseAddress.ToString();
        string bare = "1";
        // Stopwatch marks go to stderr; the job goes to stdout through Out-Default, as a runbook's output would.
        string full = "$s = [Diagnostics.Stopwatch]::StartNew(); " +
                      $"Import-Module '{manifest.Replace("'", "''", StringComparison.Ordinal)}'; $i = $s.Elapsed.TotalMilliseconds; " +
                      $"Connect-MSAccount -Endpoint {endpoint}; $c = $s.Elapsed.TotalMilliseconds; " +
                      "Get-MSSmartLiveJob -First 1; $j = $s.Elapsed.TotalMilliseconds; " +
                      "[Console]::Error.WriteLine(('SPLIT {0:0.0} {1:0.0} {2:0.0}' -f $i, ($c - $i), ($j - $c)))";

        // One unmeasured pair first: pwsh's per-user caches (module analysis, startup JIT profile) exist from then on.
        Run(bare, out _);
        Run(full, out _);

        var bareMs = new List<double>();
        var fullMs = new List<double>();
        var differences = new List<double>();
        var cpuDifferences = new List<double>();
        var import = new List<double>();
        var connect = new List<double>();
        var firstJob = new List<double>();
        string loadBefore = LoadAverage();
        for (int i = 0; i < runs; i++)
        {
            double b = Run(bare, out _, out double bareCpu);
            double f = Run(full, out string stderr, out double fullCpu);
            cpuDifferences.Add(fullCpu - bareCpu);
            var split = Regex.Match(stderr, @"SPLIT (\S+) (\S+) (\S+)");
            if (!split.Success)
            {
                throw new InvalidOperationException("The cold-start run did not finish: " + stderr);
            }

            bareMs.Add(b);
            fullMs.Add(f);
            differences.Add(f - b);
            import.Add(double.Parse(split.Groups[1].Value, CultureInfo.InvariantCulture));
            connect.Add(double.Parse(split.Groups[2].Value, CultureInfo.InvariantCulture));
            firstJob.Add(double.Parse(split.Groups[3].Value, CultureInfo.InvariantCulture));
        }

        double difference = Bench.Median(differences);
        Console.WriteLine($"  cold start: {runs} pairs; load average {loadBefore} before, {LoadAverage()} after; " +
                          $"differences min {differences.Min():0} / median {difference:0} / max {differences.Max():0} ms; CPU time difference median {Bench.Median(cpuDifferences):0} ms");
        return new[]
        {
            "7",
            "Cold start in a runbook: a fresh `pwsh -NoProfile` (7.6.9) that imports the module, connects (credentials from the environment) and writes the first job, minus a bare `pwsh -NoProfile -Command 1`",
            $"{difference:0} ms median of {runs} alternating pairs (import {Bench.Median(import):0} ms, connect {Bench.Median(connect):0} ms, first job written {Bench.Median(firstJob):0} ms; bare pwsh {Bench.Median(bareMs):0} ms, full {Bench.Median(fullMs):0} ms; CPU time {Bench.Median(cpuDifferences):0} ms more)",
            $"≤ {GoalMs:0} ms",
            $"{difference / GoalMs:0.00}× goal",
            Bench.Met(difference <= GoalMs),
        };
    }

    /// <summary>Runs pwsh with one -Command and returns its wall time in milliseconds.</summary>
    private static double Run(string command, out string stderr) => Run(command, out stderr, out _);

    /// <summary>Runs pwsh with one -Command; its wall time and the CPU time it used, in milliseconds.</summary>
    private static double Run(string command, out string stderr, out double cpuMs)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { PwshDll, "-NoProfile", "-NonInteractive", "-Command", command })
        {
            psi.ArgumentList.Add(a);
        }

        // Credentials as a runbook has them; nothing leaves the machine (no telemetry, no update check).
        foreach (string name in psi.Environment.Keys.Where(k => k.StartsWith("HUAWEICLOUD_", StringComparison.Ordinal) || k.StartsWith("CLOUD_SDK_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(name);
        }

        psi.Environment["HUAWEICLOUD_SDK_AK"] = EmulatorOptions.DemoAccessKey;
        psi.Environment["HUAWEICLOUD_SDK_SK"] = EmulatorOptions.DemoSecretKey;
        psi.Environment["HUAWEICLOUD_SDK_PROJECT_ID"] = EmulatorOptions.DemoProjectId;
        psi.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["POWERSHELL_UPDATECHECK"] = "Off";

        double cpuBefore = ChildrenCpuMs();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("pwsh did not finish within 60 s.");
        }

        process.WaitForExit();
        double elapsed = clock.Elapsed.TotalMilliseconds;
        cpuMs = ChildrenCpuMs() - cpuBefore;
        stderr = error.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pwsh exited with {process.ExitCode}: {stderr}{output.Result}");
        }

        return elapsed;
    }

    /// <summary>CPU time (user + system) of this process's ended, reaped children, in ms; NaN where unknown.</summary>
    private static double ChildrenCpuMs()
    {
        if (OperatingSystem.IsWindows())
        {
            return double.NaN;
        }

        // The runtime reaps each child as soon as it exits, so its CPU time is in RUSAGE_CHILDREN by the time WaitForExit returns.
        var usage = new long[18];
        return GetRusage(-1, usage) == 0 ? ((usage[0] + usage[2]) * 1000.0) + ((usage[1] + usage[3]) / 1000.0) : double.NaN;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, [System.Runtime.InteropServices.Out] long[] usage);

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
