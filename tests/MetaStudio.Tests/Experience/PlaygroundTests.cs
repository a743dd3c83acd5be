using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using MetaStudio.Emulator;
using MetaStudio.Playground;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Experience;

/// <summary>The README's "run the main job" command: the playground program, as a new user runs it.</summary>
public class PlaygroundTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string PlaygroundDll => Path.Combine(RepoPaths.RepoRoot, "src", "MetaStudio.Playground", "bin", Configuration, "net10.0", "MetaStudio.Playground.dll");

    /// <summary>pwsh 7.6.9 as the PowerShell tool package ships it (the playground's build downloads that package for PSReadLine).</summary>
    private static string PwshDll
    {
        get
        {
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
                ? p
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            string dll = Path.Combine(packages, "powershell", "7.6.9", "tools", "net10.0", "any", OperatingSystem.IsWindows() ? "win" : "unix", "pwsh.dll");
            Assert.True(File.Exists(dll), $"pwsh 7.6.9 not found at {dll}; restore the solution (the playground downloads the PowerShell package).");
            return dll;
        }
    }

    private static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => RunProcessAsync(PlaygroundDll, null, args);

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(string dll, string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin != null,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin != null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(90))) != exited)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(dll)} did not finish within 90 s.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string[] Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    /// <summary>Terminal cells, counted here independently of the playground: CJK ideographs, CJK punctuation and fullwidth forms take two.</summary>
    private static int Cells(string text) =>
        text.Sum(c => (c >= '\u4E00' && c <= '\u9FFF') || (c >= '\u3000' && c <= '\u303E') || (c >= '\uFF01' && c <= '\uFF60') ? 2 : 1);

    private static bool HasWide(string text) => Cells(text) != text.Length;

    [Fact]
    public async Task TheDefaultDemoPrintsJobTablesAListAndACsvAndExitsZero()
    {
        string csv = Path.Combine(Path.GetTempPath(), "metastudio-demo.csv");
        var (exit, text) = await RunAsync();

        Assert.True(exit == 0, text);
        Assert.Contains("PS> Get-MSContext", text, StringComparison.Ordinal);
        Assert.Contains("AccessKeyId : MSEM****************", text, StringComparison.Ordinal);
        Assert.Matches(@"JobId\s+State\s+Start \(UTC\)\s+Hours\s+Error", text);
        Assert.Matches(@"\n[0-9a-f-]{36} +FAILED .+ MSS\.", text);
        Assert.Matches(@"\| Format-List\n\nJobId +: [0-9a-f-]{36}\n(.*\n)*State +: FAILED\n", text);
        Assert.Contains("\"JobId\",\"RoomName\",\"StartTime\",\"DurationSpan\"", text, StringComparison.Ordinal);
        Assert.Matches(@"\nRoomName +DurationSpan\n-+ +-+\n直播间-美妆专场 \d\d:\d\d:\d\d\n", text);
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal);
        Assert.False(File.Exists(csv), $"the demo left {csv} behind");
    }

    [Fact]
    public async Task TheDemoListsRoomsStartsALiveWaitsForItStopsItAndShowsHowItEnded()
    {
        var (exit, text) = await RunAsync();
        Assert.True(exit == 0, text);
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        string lifecycle = text[text.IndexOf("PS> Get-MSSmartLiveRoom", StringComparison.Ordinal)..];

        Assert.Matches(@"\nRoomId +RoomName +LastJob +Last start\n(-+ +){3}-+ *\n[0-9a-f-]{36} 直播间-美妆专场 ", lifecycle);
        string job = Regex.Match(lifecycle, @"\nJobId +: ([0-9a-f-]{36})\n").Groups[1].Value;
        Assert.True(job.Length == 36, lifecycle);
        Assert.Matches(@"\nLimitDuration +: 2 h\n", lifecycle);
        Assert.Contains("auth_key=***&", lifecycle.Replace("\n                          ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Matches($@"PS> \$live \| Wait-MSSmartLiveJob .*\n(.*\n){{3}}{job} PROCESSING ", lifecycle);
        Assert.Matches($@"PS> \$live \| Stop-MSSmartLiveJob .*\n\nJobId +: {job}\nRoomName +: 直播间-美妆专场\nState +: SUCCEED\nStartTime +: \S.*\nEndTime +: \S", lifecycle);
        Assert.DoesNotContain("Exception", lifecycle, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDemoSteersALiveAndReceivesItsSignedEventsVerifiedAndTyped()
    {
        var (exit, text) = await RunAsync();
        Assert.True(exit == 0, text);
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        string control = text[text.IndexOf("PS> $listener", StringComparison.Ordinal)..];

        string command = Regex.Match(control, @"\nINSERT_PLAY_SCRIPT +([0-9a-f-]{36}) SUCCESS\n").Groups[1].Value;
        Assert.True(command.Length == 36, control);
        Assert.Matches(@"\nINSERT_PLAY_SCRIPT +EXTERNAL +\{""text_config"":\{""text"":""欢迎来到直播间", control);
        string job = Regex.Match(control, @"\nRTMP_STREAM_STATE_CHANGE ([0-9a-f-]{36}) CONNECTING ").Groups[1].Value;
        Assert.True(job.Length == 36, control);
        Assert.Matches($@"\nRTMP_STREAM_STATE_CHANGE {job} CONNECTED .*\nREPLY_COMMAND_FINISH +{job} reply {command[..8]}", control);
        Assert.Matches($@"\nJobId +: {job}\n(.*\n)+State +: END\n", control);
        Assert.DoesNotContain("Exception", control, StringComparison.Ordinal);
        Assert.DoesNotContain("StreamKey", control, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDemoPrintsExactlyWhatPwshPrintsForTheSameCommands()
    {
        var (exit, demo) = await RunAsync();
        Assert.True(exit == 0, demo);

        // The same data, commands and module in pwsh 7.6.9 itself, its output redirected as the demo's is.
        await using var emulator = await EmulatorServer.StartAsync(Demo.EmulatorOptions());
        var script = new StringBuilder();
        script.AppendLine($"Import-Module '{RepoPaths.StagedManifest}' -ErrorAction Stop");
        script.AppendLine(Demo.ConnectCommand(emulator.BaseAddress));
        foreach (string line in Demo.Lines(emulator.Store.Rooms[0].RoomId))
        {
            script.AppendLine("'' | Out-Default");
            script.AppendLine($"'PS> {line.Replace("'", "''", StringComparison.Ordinal)}' | Out-Default");
            script.AppendLine($"{line} | Out-Default");
        }

        script.AppendLine(Demo.Cleanup);
        string file = Path.Combine(Path.GetTempPath(), $"ms-demo-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(file, script.ToString());
        try
        {
            var (pwshExit, pwsh) = await RunProcessAsync(PwshDll, null, "-NoProfile", "-NonInteractive", "-File", file);
            Assert.True(pwshExit == 0, pwsh);

            static string Normalise(string text) => Regex.Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal), @"http://127\.0\.0\.1:\d+/", "http://127.0.0.1:PORT/");
            string[] expected = Lines(Normalise(pwsh));
            // The demo's first line names the emulator; its lifecycle part (new job ids, today's times) is checked on its own.
            string[] actual = Lines(Normalise(demo)).Skip(1).TakeWhile(l => l != "PS> Get-MSSmartLiveRoom").ToArray();
            Assert.True(expected.Length > 60, pwsh);
            Assert.Equal(expected, actual);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task WideCharactersTakeTwoCellsSoTableColumnsLineUp()
    {
        await using var emulator = await EmulatorServer.StartAsync(Demo.EmulatorOptions());
        var screen = new StringWriter();
        using var session = new PlaygroundSession(screen, RepoPaths.StagedManifest, width: 80);
        Assert.True(session.Run(Demo.ConnectCommand(emulator.BaseAddress)), screen.ToString());

        Assert.Equal(15, session.Host.UI.RawUI.LengthInBufferCells("直播间-美妆专场"));
        Assert.Equal(Cells("数字人直播 01"), session.Host.UI.RawUI.LengthInBufferCells("数字人直播 01"));

        foreach (string table in new[] { "Format-Table JobId, RoomName, State", "Format-Table RoomName, State, JobId -AutoSize", "Format-Table @{ Label = 'Room'; Expression = { $_.RoomName }; Width = 12 }, State" })
        {
            screen.GetStringBuilder().Clear();
            // Rooms 0 and 2 have Chinese names (直播间-美妆专场, 数字人直播 01); three jobs of each.
            Assert.True(session.Run($"Get-MSSmartLiveJob -RoomId {emulator.Store.Rooms[0].RoomId}, {emulator.Store.Rooms[2].RoomId} -First 3 | {table}"), screen.ToString());
            var lines = Lines(screen.ToString()).Where(l => l.Length > 0).ToList();
            int header = lines.FindIndex(l => Regex.IsMatch(l, @"\bState\b"));
            Assert.True(header >= 0, screen.ToString());
            int stateColumn = lines[header].IndexOf("State", StringComparison.Ordinal); // the header is ASCII: characters are cells
            var rows = lines.Skip(header + 2).ToList();
            Assert.Equal(6, rows.Count);
            Assert.All(rows, row =>
            {
                var state = Regex.Match(row, @"(?<= )(WAITING|PROCESSING|SUCCEED|FAILED|BLOCKED)\b");
                Assert.True(state.Success, row);
                Assert.True(HasWide(row[..state.Index]), $"no wide characters before the state, so nothing is tested: {row}");
                Assert.True(Cells(row[..state.Index]) == stateColumn, $"State at cell {Cells(row[..state.Index])}, header at {stateColumn}:\n{screen}");
                Assert.True(Cells(row) <= 80, $"{Cells(row)} cells: {row}");
            });
        }
    }

    [Fact]
    public async Task InteractiveIsPwshsConsoleHostWithTheModuleConnectedAndExitEndsIt()
    {
        const string typed = "Get-MSSmartLiveJob -First 2\n" +
                             "\"host=$($Host.Name) endpoint=$((Get-MSContext).Endpoint) secret-variable=$([bool](Get-Variable sk -ErrorAction Ignore))\"\n" +
                             "Get-MSSmartLiveJob -State FAILED -First 1 | Format-List JobId, State\n" +
                             "exit 3\n" +
                             "'not reached'\n";
        var (exit, text) = await RunProcessAsync(PlaygroundDll, typed, "-Interactive");

        Assert.True(exit == 3, text);
        Assert.Contains("MetaStudio playground: PowerShell 7.6.9 with the MetaStudio module imported", text, StringComparison.Ordinal);
        Assert.Matches(@"\nJobId +State +Start \(UTC\)", text);
        Assert.Equal(2, Regex.Matches(text, @"\n[0-9a-f-]{36} +\S").Count);
        Assert.Matches(@"host=ConsoleHost endpoint=http://127\.0\.0\.1:\d+/ secret-variable=False", text);
        Assert.Matches(@"\nState +: FAILED\n", text);
        Assert.Matches(@"PS [^\n]*> exit 3\n", text);
        Assert.DoesNotContain("not reached", text, StringComparison.Ordinal);
        Assert.Matches(@"# Emulator on http://127\.0\.0\.1:\d+/ stopped\.\s*$", text);
    }

    [Fact]
    public async Task InteractiveEndsWithZeroAtTheEndOfInput()
    {
        var (exit, text) = await RunProcessAsync(PlaygroundDll, "$total = (Get-MSSmartLiveJob).Count; \"total=$total\"\n", "-Interactive");

        Assert.True(exit == 0, text);
        Assert.Contains("total=120", text, StringComparison.Ordinal);
        Assert.Matches(@"# Emulator on http://127\.0\.0\.1:\d+/ stopped\.\s*$", text);
    }

    [Fact]
    public async Task CommandRunsAnyCommandLineAndErrorsSetTheExitCode()
    {
        var (exit, text) = await RunAsync("-Command", "Get-MSSmartLiveJob -First 2 -IncludeTotalCount; (Get-MSContext).ProjectId");
        Assert.True(exit == 0, text);
        Assert.Contains("Total count: 120", text, StringComparison.Ordinal);

        var (failed, error) = await RunAsync("-Command", "Get-MSSmartLiveJob -RoomId r1 -JobId nope");
        Assert.Equal(1, failed);
        Assert.Contains("MSS.10001002", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandHasTheFullEngineAndTheWidthOption()
    {
        var (exit, text) = await RunAsync("-Width", "100", "-Command",
            "$Host.UI.RawUI.BufferSize.Width; Get-MSSmartLiveJob -First 3 | Select-Object -First 2 | ConvertTo-Csv | Measure-Object -Line | ForEach-Object Lines");
        Assert.True(exit == 0, text);
        Assert.Equal(new[] { "100", "3" }, Lines(text).Skip(1).Where(l => l.Length > 0).ToArray());
    }

    [Fact]
    public async Task FileRunsAScript()
    {
        string script = Path.Combine(Path.GetTempPath(), $"ms-playground-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(script, "$jobs = Get-MSSmartLiveJob -State FAILED\n\"failed jobs: $($jobs.Count)\"\n");
        try
        {
            var (exit, text) = await RunAsync("-File", script);
            Assert.True(exit == 0, text);
            Assert.Matches(@"failed jobs: \d+", text);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task ARealEndpointNeedsCredentialsAndSaysSo()
    {
        var (exit, text) = await RunAsync("-Endpoint", "http://metastudio.example.com", "-Command", "Get-MSContext");
        Assert.NotEqual(0, exit);
        Assert.Contains("loopback", text, StringComparison.Ordinal);
    }
}
