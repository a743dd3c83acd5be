using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace MetaStudio.Tests.Support;

/// <summary>
/// Runs the playground program in a child process, as a runbook runs pwsh: a fresh process whose
/// environment (credentials, proxy variables) is read from the start.
/// </summary>
public static class PlaygroundProcess
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public static string Dll => Path.Combine(RepoPaths.RepoRoot, "src", "MetaStudio.Playground", "bin", Configuration, "net10.0", "MetaStudio.Playground.dll");

    /// <param name="environment">Variables to set (null removes one) on top of this process's environment.</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                psi.Environment.Remove(name);
            }
            else
            {
                psi.Environment[name] = value;
            }
        }

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
}
