using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Emulator;
using MetaStudio.Emulator.Faults;

// First, before Console or anything else makes .NET look at signal dispositions.
TerminationSignals.RestoreInheritedIgnore();

const string Usage = """
    MetaStudio emulator: a local MetaStudio-compatible smart-live server on 127.0.0.1.

    Options:
      --port N                 TCP port (default 8787; 0 picks a free one)
      --access-key AK          an accepted access key (repeatable; pair with --secret-key and --project-id)
      --secret-key SK          its secret key
      --project-id ID          its project
      --token VALUE            an accepted X-Auth-Token, bound to the first project (repeatable)
      --seed N                 seed of the generated data (default 42)
      --rooms N                generated rooms (default 3; 9 show every room type, state and confirm state)
      --jobs-per-room N        generated jobs per room (default 25)
      --full                   fill every optional room and job field
      --data FILE              serve rooms and jobs from a JSON file instead
      --latency-ms N           delay added to every response
      --rate-limit N           requests per second per project and operation, for every operation (0 = off)
      --rate-limit documented  each operation at its documented rate (StartSmartLive 4/s, others 20/s)
      --rate-limit OP=N        one operation's rate, e.g. StartSmartLive=1 (repeatable; over the two above)
      --start-delay-ms N       how long a started job stays WAITING before PROCESSING (default 2000)
      --events                 post live events to the callback URL of jobs started with one (signed as configured)
      --max-running-jobs N     refuse a start while N jobs are WAITING or PROCESSING (default unlimited)
      --fault RULE             KIND[:ARG][xCOUNT][+SKIP][@TEXT] (repeatable; TEXT in the path and query), kinds: status, retry-after,
                               retry-after-date, reset, reset-mid-body, truncate, malformed, html, stall, trickle, shift,
                               reset-after, status-after, stall-after (the request is handled first), job-fail, job-block,
                               job-fail-later, job-block-later (the next started job's fate)
    """;

var options = new EmulatorOptions { Port = 8787 };
string? ak = null, sk = null, project = null;
var tokens = new System.Collections.Generic.List<string>();
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        int NextInt() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
        switch (args[i])
        {
            case "--port": options.Port = NextInt(); break;
            case "--access-key": FlushKey(); ak = Next(); break;
            case "--secret-key": sk = Next(); break;
            case "--project-id": project = Next(); break;
            case "--token": tokens.Add(Next()); break;
            case "--seed": options.Seed = NextInt(); break;
            case "--rooms": options.Rooms = NextInt(); break;
            case "--jobs-per-room": options.JobsPerRoom = NextInt(); break;
            case "--full": options.FullyPopulated = true; break;
            case "--data": options.DataFile = Next(); break;
            case "--latency-ms": options.LatencyMs = NextInt(); break;
            case "--rate-limit": RateLimit(Next()); break;
            case "--start-delay-ms": options.StartDelayMs = NextInt(); break;
            case "--events": options.Events = true; break;
            case "--max-running-jobs": options.MaxRunningJobs = NextInt(); break;
            case "--fault": options.Faults.Add(FaultRule.Parse(Next())); break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"Unknown option '{args[i]}'.");
        }
    }

    FlushKey();
    string tokenProject = options.Keys.Count > 0 ? options.Keys[0].ProjectId : EmulatorOptions.DemoProjectId;
    foreach (var t in tokens)
    {
        options.Tokens[t] = tokenProject;
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

options.EventLog = line => Console.Error.WriteLine("live events: " + line);
var server = await EmulatorServer.StartAsync(options);

// SIGTERM (docker stop, systemd, CI), SIGINT (Ctrl+C, kill -INT) and SIGQUIT stop the server
// gracefully: in-flight requests get a moment to finish, one line is printed, the exit code is 0.
// A second signal while stopping is not intercepted, so it ends the process the default way.
var stopping = new TaskCompletionSource<PosixSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
var registrations = new List<PosixSignalRegistration>();
foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
{
    try
    {
        registrations.Add(PosixSignalRegistration.Create(signal, context => context.Cancel = stopping.TrySetResult(context.Signal)));
    }
    catch (PlatformNotSupportedException)
    {
        // e.g. a signal Windows has no equivalent for
    }
}

var key = options.Keys.Count > 0 ? options.Keys[0] : new EmulatorKey(EmulatorOptions.DemoAccessKey, EmulatorOptions.DemoSecretKey, EmulatorOptions.DemoProjectId);
string token = options.Tokens.Count > 0 ? options.Tokens.Keys.First() : (options.Keys.Count == 0 ? EmulatorOptions.DemoToken : "(none)");
Console.WriteLine($"MetaStudio emulator on {server.BaseAddress.ToString().TrimEnd('/')}  project {key.ProjectId}  AK {key.AccessKey}  SK {key.SecretKey}  token {token}  ({server.Store.Rooms.Count} rooms, {server.Store.JobCount} jobs; Ctrl+C stops)");

var received = await stopping.Task;
await server.DisposeAsync();
Console.WriteLine($"MetaStudio emulator stopped ({received}).");
foreach (var registration in registrations)
{
    registration.Dispose();
}

return 0;

void RateLimit(string value)
{
    if (value == "documented")
    {
        options.DocumentedRateLimits = true;
        return;
    }

    int eq = value.IndexOf('=');
    if (eq < 0)
    {
        options.RateLimit = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return;
    }

    string operation = value.Substring(0, eq);
    if (!MetaStudio.Emulator.Api.Operations.All.Contains(operation, StringComparer.Ordinal))
    {
        throw new ArgumentException($"Unknown operation '{operation}' in --rate-limit: use {string.Join(", ", MetaStudio.Emulator.Api.Operations.All)}.");
    }

    options.OperationRateLimits[operation] = double.Parse(value.Substring(eq + 1), NumberStyles.Float, CultureInfo.InvariantCulture);
}

void FlushKey()
{
    if (ak is null && sk is null && project is null)
    {
        return;
    }

    if (ak is null || sk is null || project is null)
    {
        throw new ArgumentException("--access-key, --secret-key and --project-id go together.");
    }

    options.Keys.Add(new EmulatorKey(ak, sk, project));
    ak = sk = project = null;
}
