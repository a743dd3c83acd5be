using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
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

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(PlaygroundDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(90))) != exited)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The playground did not finish within 90 s.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task TheDefaultDemoPrintsJobTablesAndExitsZero()
    {
        var (exit, text) = await RunAsync();

        Assert.True(exit == 0, text);
        Assert.Contains("PS> Get-MSContext", text, StringComparison.Ordinal);
        Assert.Contains("AccessKeyId : MSEM****************", text, StringComparison.Ordinal);
        Assert.Matches(@"JobId\s+State\s+Start \(UTC\)\s+Hours\s+Error\s+RoomName", text);
        Assert.Matches(@"\n[0-9a-f-]{36} +FAILED .+ MSS\.", text);
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal);
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
