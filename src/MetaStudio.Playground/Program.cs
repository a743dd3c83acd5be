using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using MetaStudio.Emulator;
using MetaStudio.Playground;

const string Usage = """
    MetaStudio playground: a PowerShell 7.6 engine with the MetaStudio module, connected to the
    built-in emulator (default) or to a real endpoint.

      dotnet run --project src/MetaStudio.Playground                          the demo against the emulator
      dotnet run --project src/MetaStudio.Playground -- -Command '<pipeline>'  run a command line
      dotnet run --project src/MetaStudio.Playground -- -File script.ps1       run a script
      ... -- -Region cn-north-4 [-Command ...]    the real service; credentials from HUAWEICLOUD_SDK_AK,
      ... -- -Endpoint https://host [-Command ...] HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_PROJECT_ID (or the profile file)
    """;

string? command = null, file = null, endpoint = null, region = null;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i].ToLowerInvariant())
    {
        case "-command" or "-c": command = Next(); break;
        case "-file" or "-f": file = Next(); break;
        case "-endpoint": endpoint = Next(); break;
        case "-region": region = Next(); break;
        case "-h" or "-help" or "--help": Console.WriteLine(Usage); return 0;
        default: Console.Error.WriteLine($"Unknown argument '{args[i]}'.\n{Usage}"); return 2;
    }
}

var output = Console.Out;
bool real = endpoint != null || region != null;
EmulatorServer? emulator = null;
try
{
    bool plain = Console.IsOutputRedirected || Environment.GetEnvironmentVariable("NO_COLOR") != null;
    using var session = new PlaygroundSession(output, PlaygroundSession.DefaultModulePath, plainText: plain);
    if (real)
    {
        var connect = "Connect-MSAccount" + (endpoint is null ? "" : $" -Endpoint '{endpoint}'") + (region is null ? "" : $" -Region '{region}'");
        if (!session.Run(connect))
        {
            return 1;
        }
    }
    else
    {
        emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Seed = 2026, Rooms = 3, JobsPerRoom = 40 });
        session.Run(DemoSecretKeyAssignment() +
            $"Connect-MSAccount -AccessKey {EmulatorOptions.DemoAccessKey} -SecretKey $demoSecretKey -ProjectId {EmulatorOptions.DemoProjectId} -Endpoint {emulator.BaseAddress}");
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
        foreach (var line in DemoLines(emulator))
        {
            output.WriteLine();
            output.WriteLine("PS> " + line);
            ok &= session.Run(line);
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

// The engine package has no ConvertTo-SecureString; build the demo secret from characters.
static string DemoSecretKeyAssignment() =>
    $"$demoSecretKey = [securestring]::new(); '{EmulatorOptions.DemoSecretKey}'.ToCharArray() | ForEach-Object {{ $demoSecretKey.AppendChar($_) }}; ";

static IEnumerable<string> DemoLines(EmulatorServer? emulator)
{
    string room = emulator?.Store.Rooms[0].RoomId ?? "<room-id>";
    yield return "Get-MSContext";
    yield return $"Get-MSSmartLiveJob -RoomId {room} -First 8";
    yield return "Get-MSSmartLiveJob -State FAILED -SortKey UpdateTime -Descending -First 5";
    yield return $"Get-MSSmartLiveJob -RoomId {room} | Where-Object {{ $_.State -eq 'SUCCEED' -and $_.Duration -gt 3600 }}";
}
