using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;

namespace MetaStudio.Tests.Emulator;

/// <summary>A clock tests move by hand; safe to read from the server's threads while a test moves it.</summary>
public sealed class SteppedClock : TimeProvider
{
    private long ticks;

    public SteppedClock(DateTimeOffset start) => ticks = start.UtcTicks;

    public DateTimeOffset Now => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}

/// <summary>
/// An emulator of its own for a lifecycle test, on a <see cref="SteppedClock"/> (so jobs change state only
/// when the test moves the clock), with a client that signs by the same clock.
/// </summary>
public sealed class LiveEmulator : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private int rooms;

    private LiveEmulator(EmulatorServer server, SteppedClock clock)
    {
        Server = server;
        Clock = clock;
        Http = new SignedHttp(server.BaseAddress, TimeSpan.FromSeconds(20)) { Clock = () => clock.Now.UtcDateTime };
    }

    public EmulatorServer Server { get; }

    public SteppedClock Clock { get; }

    public SignedHttp Http { get; }

    /// <summary>Nine generated rooms of three jobs (seed 7), a start delay of 2 s, on a stepped clock.</summary>
    /// <param name="start">Where the clock starts (default <see cref="Start"/>); a client that signs by the real clock needs about now.</param>
    public static async Task<LiveEmulator> StartAsync(Action<EmulatorOptions>? configure = null, DateTimeOffset? start = null)
    {
        var clock = new SteppedClock(start ?? Start);
        var options = new EmulatorOptions { Port = 0, Seed = 7, Rooms = 9, JobsPerRoom = 3, Clock = clock, StartDelayMs = 2000 };
        configure?.Invoke(options);
        return new LiveEmulator(await EmulatorServer.StartAsync(options), clock);
    }

    public void Advance(TimeSpan by) => Clock.Advance(by);

    /// <summary>A new room without jobs: ENABLE, with four script items and a danmaku rule (so a start warns of nothing), unless <paramref name="json"/> gives the room.</summary>
    public string AddRoom(string? json = null)
    {
        string id = $"idle-room-{Interlocked.Increment(ref rooms)}";
        Server.Store.AddRoomJson(json ?? $$$"""
            {"room_id":"{{{id}}}","room_name":"空闲直播间 {{{rooms}}}","room_type":"NORMAL","room_state":"ENABLE","confirm_state":"CONFIRMED",
             "cover_url":"https://obs.example.com/covers/{{{id}}}.png",
             "scene_scripts":[{"script_name":"s1","shoot_scripts":[{"sequence_no":1},{"sequence_no":2}]},{"script_name":"s2","shoot_scripts":[{"sequence_no":1},{"sequence_no":2}]}],
             "interaction_rules":[{"rule_index":"1","event_type":1,"enabled":true}],
             "play_policy":{"random_play_mode":"SCENE"}}
            """);
        return json is null ? id : JsonDocument.Parse(json).RootElement.GetProperty("room_id").GetString()!;
    }

    public async Task<JsonElement> ShowAsync(string room, string job) => await Http.GetJsonAsync($"{Http.RoomJobs(room)}/{Uri.EscapeDataString(job)}");

    /// <summary>Starts a job and returns its id (the start must be accepted).</summary>
    public async Task<string> StartJobAsync(string room, string body = "{}")
    {
        var (status, response) = await Http.StartAsync(room, body);
        if (status != 202)
        {
            throw new InvalidOperationException($"StartSmartLive answered {status}: {response}");
        }

        return response.GetProperty("job_id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
