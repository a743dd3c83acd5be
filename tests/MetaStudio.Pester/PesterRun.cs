using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;

namespace MetaStudio.Pester;

/// <summary>
/// Runs tests/Pester/Invoke-PesterSuites.ps1 once in a child pwsh (`dotnet $PSHOME/pwsh.dll`, the
/// repository's local PowerShell tool) and turns its summary into rows: one per Pester test, one per test
/// file that failed to load, and checks that the run happened and covered every It block.
/// </summary>
internal sealed class PesterRun
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);

    public static readonly Lazy<PesterRun> Shared = new(() => new PesterRun(), LazyThreadSafetyMode.ExecutionAndPublication);

    private PesterRun()
    {
        Rows = Run();
    }

    public IReadOnlyList<PesterRow> Rows { get; }

    private static string Setting(string name) =>
        typeof(PesterRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "Pester." + name)?.Value
        ?? throw new InvalidOperationException($"The build did not record Pester.{name}.");

    private static List<PesterRow> Run()
    {
        var rows = new List<PesterRow>();
        string repoRoot = Setting("RepoRoot");
        string pwshDll = Path.Combine(Setting("PwshHome"), "pwsh.dll");
        string suites = Path.Combine(repoRoot, "tests", "Pester");
        string output = Path.Combine(AppContext.BaseDirectory, "pester");
        Directory.CreateDirectory(output);
        string resultPath = Path.Combine(output, "pester-results.json");
        string logPath = Path.Combine(output, "pester-output.log");
        File.Delete(resultPath);

        var started = Start(pwshDll, repoRoot, resultPath, logPath);
        rows.Add(started);
        if (!started.Passed)
        {
            return rows;
        }

        if (!File.Exists(resultPath))
        {
            rows.Add(new PesterRow("Pester wrote its results", false, $"No {resultPath}; see {logPath}:\n{Tail(logPath)}"));
            return rows;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(resultPath));
        var root = doc.RootElement;
        var testsPerFile = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in Items(root, "tests"))
        {
            string name = Text(t, "name");
            string result = Text(t, "result");
            string file = Path.GetFileName(Text(t, "file"));
            testsPerFile[file] = testsPerFile.GetValueOrDefault(file) + 1;
            string where = $"{file}:{(t.TryGetProperty("line", out var line) ? line.ToString() : "?")}";
            string message = result switch
            {
                "Passed" => "",
                "Failed" => $"{where}\n{Text(t, "message")}",
                _ => $"{where}: the test was {result}; every Pester test is expected to run (nothing here is skipped).",
            };
            rows.Add(new PesterRow(name, result == "Passed", message));
        }

        foreach (var c in Items(root, "containers").Where(c => c.TryGetProperty("failedToRun", out var f) && f.ValueKind == JsonValueKind.True))
        {
            rows.Add(new PesterRow($"{Path.GetFileName(Text(c, "name"))} runs", false, $"{Text(c, "name")} failed to run:\n{Text(c, "message")}"));
        }

        // Each It block gives at least one test (one per case with -ForEach), file by file.
        var blocks = CountItBlocks(suites);
        var missing = blocks.Where(b => testsPerFile.GetValueOrDefault(b.Key) < b.Value).ToList();
        string counts = string.Join(", ", blocks.Select(b => $"{b.Key}: {testsPerFile.GetValueOrDefault(b.Key)} tests from {b.Value} It blocks"));
        string guard = $"Pester ran every It block ({testsPerFile.Values.Sum()} tests from {blocks.Values.Sum()} It blocks in {blocks.Count} files)";
        rows.Add(missing.Count == 0
            ? new PesterRow(guard, true, "")
            : new PesterRow(guard, false, $"Fewer tests than It blocks in {string.Join(", ", missing.Select(b => b.Key))}: a file did not load or a block was never reached ({counts}). See {logPath}."));
        return rows;
    }

    /// <summary>Starts the runner and waits for it; the row says whether pwsh and Pester ran at all.</summary>
    private static PesterRow Start(string pwshDll, string repoRoot, string resultPath, string logPath)
    {
        const string name = "pwsh starts and runs Pester";
        if (!File.Exists(pwshDll))
        {
            return new PesterRow(name, false, $"{pwshDll} is missing: restore brings it (PackageDownload of the PowerShell tool package, version from .config/dotnet-tools.json).");
        }

        var psi = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = repoRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string a in new[]
                 {
                     pwshDll, "-NoProfile", "-NonInteractive", "-File", Setting("RunnerPath"),
                     "-PesterPath", Setting("PesterPath"), "-ModulePath", Setting("ModulePath"),
                     "-EmulatorPath", Setting("EmulatorPath"), "-ResultPath", resultPath,
                 })
        {
            psi.ArgumentList.Add(a);
        }

        // The child finds its modules from its own $PSHOME, not from whatever started this test run.
        psi.Environment.Remove("PSModulePath");

        var log = new StringBuilder();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (log) { log.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (log) { log.AppendLine("stderr: " + e.Data); } } };
        try
        {
            process.Start();
        }
        catch (Exception e)
        {
            return new PesterRow(name, false, $"Could not start {psi.FileName} {pwshDll}: {e.Message}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool finished = process.WaitForExit(Limit);
        if (!finished)
        {
            // Everything it started (emulators, child pwsh processes) goes with it.
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        else
        {
            process.WaitForExit(); // drains the output
        }

        lock (log)
        {
            File.WriteAllText(logPath, log.ToString());
        }

        if (!finished)
        {
            return new PesterRow(name, false, $"The Pester run did not finish within {Limit.TotalMinutes} minutes and was stopped. See {logPath}:\n{Tail(logPath)}");
        }

        string text = File.ReadAllText(logPath);
        if (!Regex.IsMatch(text, @"^Pester \d+\.\d+\.\d+ on PowerShell 7\.", RegexOptions.Multiline))
        {
            return new PesterRow(name, false, $"pwsh exited with {process.ExitCode} before Pester started. See {logPath}:\n{Tail(logPath)}");
        }

        string version = Regex.Match(text, @"^Pester (\S+) on PowerShell (\S+)", RegexOptions.Multiline).Value;
        return new PesterRow($"{name} ({version})", true, "");
    }

    /// <summary>The dotnet that runs this test host, else the one on PATH.</summary>
    private static string DotnetHost()
    {
        string? fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        string? self = Environment.ProcessPath;
        return self != null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>It blocks in each suite file (an It with -ForEach or -TestCases counts once here).</summary>
    internal static SortedDictionary<string, int> CountItBlocks(string directory)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (string f in Directory.GetFiles(directory, "*.Tests.ps1"))
        {
            counts[Path.GetFileName(f)] = Regex.Matches(File.ReadAllText(f), @"^\s*It\s+['""]", RegexOptions.Multiline).Count;
        }

        return counts;
    }

    private static IEnumerable<JsonElement> Items(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : Enumerable.Empty<JsonElement>();

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? (v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.ToString()) : "";

    private static string Tail(string path, int lines = 40) =>
        File.Exists(path) ? string.Join("\n", File.ReadLines(path).TakeLast(lines)) : "(no output)";
}
