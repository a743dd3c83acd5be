using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using MetaStudio.Emulator;
using Xunit;

namespace MetaStudio.Tests.Emulator;

/// <summary>A fact that runs only on Linux (it sends POSIX signals with libc's kill).</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Sends POSIX signals to a child process with libc kill(2); Linux only.";
        }
    }
}

/// <summary>
/// The emulator as a program: <c>docker stop</c>, systemd and CI stop it with SIGTERM, a terminal with
/// SIGINT, and a script that started it in the background (where SIGINT starts out ignored) with
/// <c>kill -INT</c>. Each must stop it gracefully: one line, exit code 0, within 5 s.
/// </summary>
public class EmulatorLifetimeTests
{
    private const int SigInt = 2;
    private const int SigQuit = 3;
    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    [LinuxTheory]
    [InlineData(SigTerm, "", false)]
    [InlineData(SigInt, "", false)]
    [InlineData(SigQuit, "", false)]
    [InlineData(SigInt, "INT QUIT", false)] // how a non-interactive shell starts a background job
    [InlineData(SigQuit, "INT QUIT", false)]
    [InlineData(SigTerm, "INT QUIT", false)]
    [InlineData(SigTerm, "", true)] // a request stalled in flight does not hold the stop up
    public async Task StopsGracefullyOnTerminationSignals(int signal, string ignoredAtStart, bool requestInFlight)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "MetaStudio.Emulator.dll");
        // exec keeps the pid, and the ignored dispositions survive it, as they do for a background job.
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string trap = ignoredAtStart.Length > 0 ? $"trap '' {ignoredAtStart}; " : "";
        foreach (var a in new[] { "-c", trap + "exec dotnet \"$0\" --port 0 --rooms 1 --jobs-per-room 1 --fault stall:60000", dll }) // the stall applies to the first request
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        Task<HttpResponseMessage>? stalled = null;
        try
        {
            var first = process.StandardOutput.ReadLineAsync();
            Assert.True(await Task.WhenAny(first, Task.Delay(TimeSpan.FromSeconds(30))) == first, "the emulator printed nothing within 30 s");
            string line = (await first)!;
            Assert.StartsWith("MetaStudio emulator on http://127.0.0.1:", line, StringComparison.Ordinal);
            if (requestInFlight)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(line.Split(' ')[3]), $"/v1/{EmulatorOptions.DemoProjectId}/smart-live-jobs"));
                request.Headers.Add("X-Auth-Token", EmulatorOptions.DemoToken);
                stalled = http.SendAsync(request);
                await Task.WhenAny(stalled, Task.Delay(500)); // let it arrive (the emulator stalls it for 60 s)
            }

            Assert.Equal(0, kill(process.Id, signal));

            var exited = process.WaitForExitAsync();
            Assert.True(await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(5))) == exited, $"still running 5 s after signal {signal}");
            string rest = await process.StandardOutput.ReadToEndAsync();
            string errors = await process.StandardError.ReadToEndAsync();
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; stderr: {errors}");
            string name = signal switch { SigTerm => "SIGTERM", SigInt => "SIGINT", _ => "SIGQUIT" };
            Assert.Equal($"MetaStudio emulator stopped ({name})." + Environment.NewLine, rest);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            if (stalled != null)
            {
                await Task.WhenAny(stalled); // ends with the connection
            }
        }
    }
}
