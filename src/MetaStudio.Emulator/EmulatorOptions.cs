using System;
using System.Collections.Generic;
using MetaStudio.Emulator.Faults;

namespace MetaStudio.Emulator;

/// <summary>An access key pair the emulator accepts, bound to one project (as an IAM user's AK/SK is).</summary>
public sealed record EmulatorKey(string AccessKey, string SecretKey, string ProjectId);

/// <summary>How the emulator is started. Every field has a command-line option of the same name.</summary>
public sealed class EmulatorOptions
{
    public const string DemoAccessKey = "MSEMULATORDEMOAK0001";
    public const string DemoSecretKey = "MSEmulatorDemoSecretKey00000000000000001";
    public const string DemoProjectId = "9a8b7c6d5e4f30211203f4e5d6c7b8a9";
    public const string DemoToken = "MSEmulatorDemoToken-0001";

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one (read it back from <see cref="EmulatorServer.BaseAddress"/>).</summary>
    public int Port { get; set; }

    /// <summary>Accepted AK/SK pairs; the demo pair when empty.</summary>
    public List<EmulatorKey> Keys { get; } = new();

    /// <summary>Accepted X-Auth-Token values, each bound to a project; the demo token when empty and no keys are given.</summary>
    public Dictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Seed of the generated data: the same seed gives the same rooms and jobs.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Generated rooms; their enumerations follow the index modulo 9 (<see cref="Data.RoomDataGenerator"/>), the first three can start jobs.</summary>
    public int Rooms { get; set; } = 3;

    public int JobsPerRoom { get; set; } = 25;

    /// <summary>Every optional room and job field present (benchmarks); otherwise some are left out, as in real data.</summary>
    public bool FullyPopulated { get; set; }

    /// <summary>A JSON file of rooms (any room fields, served as given) and their jobs to serve instead of generated data.</summary>
    public string? DataFile { get; set; }

    /// <summary>Added to every response, as a network round trip would.</summary>
    public int LatencyMs { get; set; }

    /// <summary>
    /// Requests per second per project and operation, the same for every operation; 0 = none (unless
    /// <see cref="DocumentedRateLimits"/> is on). Each operation has its own bucket, as the gateway's limits are per API.
    /// </summary>
    public double RateLimit { get; set; }

    /// <summary>
    /// Throttle each operation at its documented rate per project (<see cref="EmulatorServer.DocumentedRates"/>:
    /// StartSmartLive 4/s, the others 20/s) where neither <see cref="OperationRateLimits"/> nor <see cref="RateLimit"/> says otherwise.
    /// </summary>
    public bool DocumentedRateLimits { get; set; }

    /// <summary>Requests per second per project for one operation (by SDK name, e.g. StartSmartLive), over <see cref="RateLimit"/>; 0 = none.</summary>
    public Dictionary<string, double> OperationRateLimits { get; } = new(StringComparer.Ordinal);

    /// <summary>How long a job started through StartSmartLive stays WAITING before it turns PROCESSING (by <see cref="Clock"/>).</summary>
    public int StartDelayMs { get; set; } = 2000;

    /// <summary>
    /// At most this many jobs may be WAITING or PROCESSING over all rooms; a start beyond it is refused (400
    /// MSS.20010135). Null = unlimited.
    /// </summary>
    public int? MaxRunningJobs { get; set; }

    /// <summary>Largest accepted difference between X-Sdk-Date and the server clock (the gateway's is 15 minutes).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    public List<FaultRule> Faults { get; } = new();

    /// <summary>Serve https with this certificate instead of http.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; set; }

    /// <summary>
    /// Mask X-Security-Token in the canonical request echoed on a bad signature (default). Off, the
    /// emulator behaves like a gateway that echoes it, which the client must then redact.
    /// </summary>
    public bool MaskEchoedSecurityToken { get; set; } = true;

    /// <summary>
    /// Keep secret header values (the <c>Authorization</c> signature, <c>X-Auth-Token</c>,
    /// <c>X-Security-Token</c>, <c>Cookie</c>) in <see cref="EmulatorServer.Requests"/>. Off by default, and no
    /// command-line option: only a test that must compare what was sent (e.g. that no signature leaks
    /// into output) turns it on. Read for each request, so it may be changed while the server runs.
    /// </summary>
    public bool RecordSecretHeaders { get; set; }

    /// <summary>
    /// Post live events to the callback URL of jobs started with one (live_event_callback_config), signed
    /// as configured (<see cref="Events.LiveEventDispatcher"/>). Off by default: the emulator then calls nobody.
    /// </summary>
    public bool Events { get; set; }

    /// <summary>How long each script paragraph plays, on <see cref="Clock"/>, between SHOOT_SCRIPT_SWITCH events (0 = none sent).</summary>
    public int EventParagraphMs { get; set; } = 3000;

    /// <summary>The longest the emulator waits for a receiver to answer one event (connect and headers).</summary>
    public TimeSpan EventTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where failed deliveries and skipped callbacks are reported (the program prints them); null = nowhere.</summary>
    public Action<string>? EventLog { get; set; }

    /// <summary>The server clock; tests move it to check expired signatures and to drive started jobs from state to state.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    internal IReadOnlyList<EmulatorKey> EffectiveKeys =>
        Keys.Count > 0 ? Keys : new[] { new EmulatorKey(DemoAccessKey, DemoSecretKey, DemoProjectId) };

    internal IReadOnlyDictionary<string, string> EffectiveTokens =>
        Tokens.Count > 0 || Keys.Count > 0 ? Tokens : new Dictionary<string, string> { [DemoToken] = DemoProjectId };
}
