using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using MetaStudio.Emulator;
using MetaStudio.Playground;

const string Usage = """
    MetaStudio playground: PowerShell 7.6 (the full engine, with its Utility, Management and Security
    modules) with the MetaStudio module, connected to the built-in emulator (default) or to a real endpoint.

      dotnet run --project src/MetaStudio.Playground                          the demo against the emulator
      dotnet run --project src/MetaStudio.Playground -- -Interactive          a PowerShell prompt; exit or Ctrl+D ends it
      dotnet run --project src/MetaStudio.Playground -- -Command '<pipeline>'  run a command line
      dotnet run --project src/MetaStudio.Playground -- -File script.ps1       run a script
      ... -- -Region cn-north-4 [-Command ...]    the real service; credentials from HUAWEICLOUD_SDK_AK,
      ... -- -Endpoint https://host [-Command ...] HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_PROJECT_ID (or the profile file)
      ... -- -Width N    format the demo, -Command and -File output for N columns (default: the
                         terminal's width; 80 when output is redirected, as pwsh does)
    """;

string? command = null, file = null, endpoint = null, region = null;
bool interactive = false;
int? width = null;
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        switch (args[i].ToLowerInvariant())
        {
            case "-command" or "-c": command = Next(); break;
            case "-file" or "-f": file = Next(); break;
            case "-endpoint": endpoint = Next(); break;
            case "-region": region = Next(); break;
            case "-interactive" or "-i": interactive = true; break;
            case "-width" or "-w":
                width = int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out int w) && w >= 20 && w <= 1000
                    ? w : throw new ArgumentException("-Width needs a number of columns from 20 to 1000.");
                break;
            case "-h" or "-help" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
        }
    }

    if (interactive && (command != null || file != null))
    {
        throw new ArgumentException("-Interactive cannot be combined with -Command or -File.");
    }

    if ((endpoint != null || region != null) && !interactive && command is null && file is null)
    {
        throw new ArgumentException("With -Region or -Endpoint, give -Command, -File or -Interactive (the demo runs on the emulator's data).");
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"{e.Message}\n{Usage}");
    return 2;
}

// Everything the playground talks to is on this machine: no PowerShell telemetry, no update check.
Environment.SetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT", "1");
Environment.SetEnvironmentVariable("POWERSHELL_UPDATECHECK", "Off");

var output = Console.Out;
bool real = endpoint != null || region != null;
EmulatorServer? emulator = null;
try
{
    string connect;
    if (real)
    {
        connect = "Connect-MSAccount" + (endpoint is null ? "" : $" -Endpoint '{Quote(endpoint)}'") + (region is null ? "" : $" -Region '{Quote(region)}'");
    }
    else
    {
        emulator = await EmulatorServer.StartAsync(Demo.EmulatorOptions());
        connect = Demo.ConnectCommand(emulator.BaseAddress);
    }

    if (interactive)
    {
        output.WriteLine(Welcome(emulator, endpoint ?? region));
        int exitCode = InteractiveShell.Run(PlaygroundSession.DefaultModulePath, connect);
        if (emulator != null)
        {
            var stopped = emulator.BaseAddress;
            await emulator.DisposeAsync();
            emulator = null;
            EndLine();
            output.WriteLine($"# Emulator on {stopped} stopped.");
        }

        return exitCode;
    }

    bool plain = Console.IsOutputRedirected || Environment.GetEnvironmentVariable("NO_COLOR") != null;
    using var session = new PlaygroundSession(output, PlaygroundSession.DefaultModulePath, width ?? ConsoleWidth(), plainText: plain);
    if (!session.Run(connect))
    {
        return 1;
    }

    if (emulator != null)
    {
        output.WriteLine($"# Emulator on {emulator.BaseAddress} with {emulator.Store.Rooms.Count} rooms and {emulator.Store.JobCount} jobs.");
    }

    bool ok;
    if (file != null)
    {
        ok = session.RunFile(file);
    }
    else if (command != null)
    {
        ok = session.Run(command);
    }
    else
    {
        ok = true;
        try
        {
            string room = emulator!.Store.Rooms[0].RoomId;
            foreach (var line in Demo.Lines(room).Concat(Demo.LifecycleLines(room)).Concat(Demo.ControlLines(room, FreeLoopbackPort())))
            {
                output.WriteLine();
                output.WriteLine("PS> " + line);
                ok &= session.Run(line);
            }
        }
        finally
        {
            session.Run(Demo.Cleanup);
        }
    }

    return session.Host.ExitCode ?? (ok ? 0 : 1);
}
finally
{
    if (emulator != null)
    {
        await emulator.DisposeAsync();
    }
}

static string Quote(string text) => text.Replace("'", "''");

// What pwsh formats for: the terminal's width, or 80 columns when output goes to a file or a pipe.
static int ConsoleWidth()
{
    if (Console.IsOutputRedirected)
    {
        return 80;
    }

    try
    {
        return Console.WindowWidth >= 20 ? Console.WindowWidth : 80;
    }
    catch (Exception e) when (e is System.IO.IOException or InvalidOperationException or PlatformNotSupportedException)
    {
        return 80;
    }
}

// After Ctrl+D the cursor is still on the prompt's line.
static void EndLine()
{
    try
    {
        if (!Console.IsOutputRedirected && Console.CursorLeft > 0)
        {
            Console.WriteLine();
        }
    }
    catch (Exception e) when (e is System.IO.IOException or InvalidOperationException or PlatformNotSupportedException)
    {
        // no cursor to ask about
    }
}

static string Welcome(EmulatorServer? emulator, string? target)
{
    string version = typeof(System.Management.Automation.PSObject).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split(' ', '+')[0] ?? "7.6";
    string where = emulator is null
        ? $"connecting to {target} with credentials from the environment or the profile file"
        : $"connected to the emulator on {emulator.BaseAddress} ({emulator.Store.Rooms.Count} rooms, {emulator.Store.JobCount} jobs)";
    string room = emulator?.Store.Rooms[0].RoomId ?? "<room-id>";
    string end = InteractiveShell.HasPSReadLine ? "'exit' or Ctrl+D" : "'exit'";
    return $"""
        MetaStudio playground: PowerShell {version} with the MetaStudio module imported,
        {where}. Try:
            Get-MSSmartLiveRoom
            Get-MSSmartLiveJob -RoomId {room} -State FAILED | Format-List
            $live = Start-MSSmartLiveJob -RoomId {room} -Wait; $live | Stop-MSSmartLiveJob -Wait -PassThru
            Get-MSSmartLiveJob -State SUCCEED | Export-Csv Temp:/jobs.csv; Import-Csv Temp:/jobs.csv | Select-Object -First 3
            Get-Help Start-MSSmartLiveJob -Examples
        {end} ends the session{(emulator is null ? "" : " and stops the emulator")}.
        """;
}

// The demo's callback receiver listens here: a port the system has just handed out, so it is free.
static int FreeLoopbackPort()
{
    var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    probe.Start();
    int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    probe.Stop();
    return port;
}
