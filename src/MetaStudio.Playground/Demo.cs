using System;
using System.Collections.Generic;
using MetaStudio.Emulator;

namespace MetaStudio.Playground;

/// <summary>The playground's demo: the emulator's data and the command lines it runs, in order.</summary>
public static class Demo
{
    /// <summary>Where the Export-Csv step writes (PowerShell's Temp: drive); <see cref="Cleanup"/> removes it.</summary>
    public const string Csv = "Temp:/metastudio-demo.csv";

    public const string Cleanup = "Remove-Item " + Csv + " -ErrorAction Ignore";

    /// <summary>Three rooms (Chinese names) of 40 jobs, the same on every run; a live started with a callback URL gets its events (loopback or https only).</summary>
    public static EmulatorOptions EmulatorOptions() => new() { Port = 0, Seed = 2026, Rooms = 3, JobsPerRoom = 40, Events = true };

    /// <summary>Connect-MSAccount with the emulator's demo key pair, in a script block so the secret leaves no variable behind.</summary>
    public static string ConnectCommand(Uri endpoint) =>
        $"& {{ $sk = ConvertTo-SecureString '{Emulator.EmulatorOptions.DemoSecretKey}' -AsPlainText -Force; " +
        $"Connect-MSAccount -AccessKey {Emulator.EmulatorOptions.DemoAccessKey} -SecretKey $sk -ProjectId {Emulator.EmulatorOptions.DemoProjectId} -Endpoint {endpoint} }}";

    public static IEnumerable<string> Lines(string room)
    {
        yield return "Get-MSContext";
        yield return $"Get-MSSmartLiveJob -RoomId {room} -First 8";
        yield return "Get-MSSmartLiveJob -State FAILED -SortKey UpdateTime -Descending -First 5";
        yield return $"Get-MSSmartLiveJob -RoomId {room} | Where-Object {{ $_.State -eq 'SUCCEED' -and $_.Duration -gt 3600 }}";
        yield return $"Get-MSSmartLiveJob -RoomId {room} -State FAILED -First 1 | Format-List";
        yield return $"Get-MSSmartLiveJob -State SUCCEED -First 3 | Select-Object JobId, RoomName, StartTime, DurationSpan | Export-Csv {Csv}";
        yield return $"Get-Content {Csv}";
        yield return $"Import-Csv {Csv} | Format-Table RoomName, DurationSpan";
    }

    /// <summary>The lifecycle: find the rooms, start a live, wait until it is on air, stop it, see how it ended.</summary>
    public static IEnumerable<string> LifecycleLines(string room)
    {
        yield return "Get-MSSmartLiveRoom";
        yield return $"$live = Start-MSSmartLiveJob -RoomId {room} -MaxLiveDurationHours 2; $live";
        yield return "$live | Wait-MSSmartLiveJob -State PROCESSING -PollIntervalSec 1";
        yield return "$live | Stop-MSSmartLiveJob -Force -Wait -PassThru | Format-List JobId, RoomName, State, StartTime, EndTime, DurationSpan, ErrorInfo";
    }

    /// <summary>
    /// Live control and events, end to end: a receiver on this computer, a live started with a signed callback,
    /// a line inserted, the callbacks received, verified and typed, the live stopped and its END received.
    /// </summary>
    public static IEnumerable<string> ControlLines(string room, int receiverPort)
    {
        string callback = $"http://127.0.0.1:{receiverPort}/events";
        yield return $"$listener = [System.Net.HttpListener]::new(); $listener.Prefixes.Add('http://127.0.0.1:{receiverPort}/'); $listener.Start()";
        yield return "$key = ConvertTo-SecureString 'demo-callback-key' -AsPlainText -Force";
        yield return $"$live = Start-MSSmartLiveJob -RoomId {room} -CallbackUrl {callback} -CallbackAuthType MSS_A -CallbackKey $key " +
                     "-CallbackEventType RTMP_STREAM_STATE_CHANGE,REPLY_COMMAND_FINISH -Wait";
        yield return "$live | Invoke-MSSmartLiveCommand -Text '欢迎来到直播间，今天的新品马上开始' -Force";
        yield return "$live | Get-MSSmartLiveCommand";
        // The request waited for is kept across calls (one that runs out of time loses nothing) and waited for in quarter seconds (Ctrl+C works).
        yield return "function Receive-Callback([int] $Count, [int] $TimeoutSec = 10) { $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSec); foreach ($i in 1..$Count) { " +
                     "if (-not $script:next) { $script:next = $listener.GetContextAsync() }; while (-not $script:next.Wait(250)) { if ([datetime]::UtcNow -ge $deadline) { return } }; " +
                     "$context = $script:next.Result; $script:next = $null; [pscustomobject]@{ Url = $context.Request.Url; Body = [IO.StreamReader]::new($context.Request.InputStream).ReadToEnd() }; $context.Response.Close() } }";
        yield return $"Receive-Callback 3 | Where-Object {{ $_ | Test-MSLiveEventSignature -CallbackUrl {callback} -Key $key }} | ForEach-Object Body | ConvertFrom-MSLiveEvent";
        yield return $"$live | Stop-MSSmartLiveJob -Force; Receive-Callback 1 | Where-Object {{ $_ | Test-MSLiveEventSignature -CallbackUrl {callback} -Key $key }} | ForEach-Object Body | ConvertFrom-MSLiveEvent | Format-List";
        yield return "$listener.Stop()";
    }
}
