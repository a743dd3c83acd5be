using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using MetaStudio.Emulator.Data;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Emulator;

/// <summary>
/// The job state machine: StartSmartLive makes a WAITING job that turns PROCESSING after the start
/// delay, StopSmartLive ends it as SUCCEED, max_live_duration ends it on its own; every change is
/// driven by the emulator's clock, which these tests move.
/// </summary>
public class EmulatorLifecycleTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    private static string Time(DateTimeOffset t) => DemoDataGenerator.Format(t);

    [Fact]
    public async Task AStartedJobWaitsForTheStartDelayThenProcessesWithAGrowingDuration()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        var created = emu.Clock.Now;

        string job = await emu.StartJobAsync(room);

        var waiting = await emu.ShowAsync(room, job);
        Assert.Equal("WAITING", waiting.GetProperty("state").GetString());
        Assert.Equal(Time(created), waiting.GetProperty("create_time").GetString());
        Assert.Equal(room, waiting.GetProperty("room_id").GetString());
        Assert.StartsWith("空闲直播间", waiting.GetProperty("room_name").GetString(), StringComparison.Ordinal);
        Assert.Equal($"https://obs.example.com/covers/{room}.png", waiting.GetProperty("cover_url").GetString());
        Assert.False(waiting.TryGetProperty("start_time", out _));
        Assert.False(waiting.TryGetProperty("duration", out _));

        emu.Advance(Delay - TimeSpan.FromMilliseconds(1));
        Assert.Equal("WAITING", (await emu.ShowAsync(room, job)).GetProperty("state").GetString());

        emu.Advance(TimeSpan.FromMilliseconds(1));
        var processing = await emu.ShowAsync(room, job);
        Assert.Equal("PROCESSING", processing.GetProperty("state").GetString());
        Assert.Equal(Time(created + Delay), processing.GetProperty("start_time").GetString());
        Assert.Equal(Time(created + Delay), processing.GetProperty("lastupdate_time").GetString());
        Assert.Equal(0, processing.GetProperty("duration").GetDouble());

        emu.Advance(TimeSpan.FromSeconds(90.5));
        var later = await emu.ShowAsync(room, job);
        Assert.Equal(90.5, later.GetProperty("duration").GetDouble());
        Assert.Equal(90.5, later.GetProperty("stream_duration").GetDouble());
        Assert.False(later.TryGetProperty("end_time", out _));

        // The listings serve the same job, with the same growing duration.
        var listed = (await emu.Http.GetJsonAsync(emu.Http.RoomJobs(room), ("state", "PROCESSING"))).GetProperty("smart_live_jobs").EnumerateArray().Single();
        Assert.Equal(job, listed.GetProperty("job_id").GetString());
        Assert.Equal(90.5, listed.GetProperty("duration").GetDouble());
        var all = await emu.Http.GetJsonAsync(emu.Http.AllJobs, ("state", "PROCESSING"), ("limit", "100"));
        Assert.Contains(all.GetProperty("smart_live_jobs").EnumerateArray(), j => j.GetProperty("job_id").GetString() == job);
    }

    [Fact]
    public async Task StopEndsAProcessingJobAsSucceedAndItsDurationStops()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        string job = await emu.StartJobAsync(room);
        emu.Advance(Delay + TimeSpan.FromMinutes(10));
        var stoppedAt = emu.Clock.Now;

        var (status, body) = await emu.Http.StopAsync(room, job);

        Assert.Equal(200, status);
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.Empty(body.EnumerateObject());
        emu.Advance(TimeSpan.FromHours(1));
        var stopped = await emu.ShowAsync(room, job);
        Assert.Equal("SUCCEED", stopped.GetProperty("state").GetString());
        Assert.Equal(Time(stoppedAt), stopped.GetProperty("end_time").GetString());
        Assert.Equal(Time(stoppedAt), stopped.GetProperty("lastupdate_time").GetString());
        Assert.Equal(600, stopped.GetProperty("duration").GetDouble());
        Assert.True(stopped.TryGetProperty("live_job_log", out _));
    }

    [Fact]
    public async Task StopWhileWaitingEndsAJobThatNeverStarted()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        string job = await emu.StartJobAsync(room);

        Assert.Equal(200, (await emu.Http.StopAsync(room, job)).Status);
        emu.Advance(Delay * 2);

        var stopped = await emu.ShowAsync(room, job);
        Assert.Equal("SUCCEED", stopped.GetProperty("state").GetString());
        Assert.False(stopped.TryGetProperty("start_time", out _));
        Assert.Equal(0, stopped.GetProperty("duration").GetDouble());
        Assert.Equal(Time(LiveEmulator.Start), stopped.GetProperty("end_time").GetString());
    }

    [Fact]
    public async Task StoppingAnEndedJobAgainIsAcceptedAndChangesNothing()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        string job = await emu.StartJobAsync(room);
        emu.Advance(Delay);
        await emu.Http.StopAsync(room, job);
        var first = (await emu.ShowAsync(room, job)).GetRawText();

        emu.Advance(TimeSpan.FromMinutes(5));
        var (status, _) = await emu.Http.StopAsync(room, job);

        Assert.Equal(200, status);
        Assert.Equal(first, (await emu.ShowAsync(room, job)).GetRawText());
    }

    [Fact]
    public async Task StopTakesAnEmptyBodyOrAnEmptyObject()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        string a = await emu.StartJobAsync(room), b = await emu.StartJobAsync(room);

        using var withObject = await emu.Http.PostAsync(emu.Http.StopPath(room, a), "{}");
        using var withEmptyJson = await emu.Http.PostAsync(emu.Http.StopPath(room, b), "", "application/json");

        Assert.Equal(200, (int)withObject.StatusCode);
        Assert.Equal(200, (int)withEmptyJson.StatusCode);
        Assert.Equal("SUCCEED", (await emu.ShowAsync(room, a)).GetProperty("state").GetString());
        Assert.Equal("SUCCEED", (await emu.ShowAsync(room, b)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task StoppingAnUnknownJobOrRoomIs404()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();

        using var noJob = await emu.Http.PostAsync(emu.Http.StopPath(room, "no-such-job"), null, null);
        Assert.Equal(404, (int)noJob.StatusCode);
        Assert.Equal("MSS.10001002", (await SignedHttp.ErrorOf(noJob)).Code);

        using var noRoom = await emu.Http.PostAsync(emu.Http.StopPath("no-such-room", "x"), null, null);
        Assert.Equal(404, (int)noRoom.StatusCode);
        Assert.Equal("MSS.10001004", (await SignedHttp.ErrorOf(noRoom)).Code);
    }

    [Fact]
    public async Task AGeneratedRunningJobCanBeStoppedKeepingItsOtherFields()
    {
        await using var emu = await LiveEmulator.StartAsync(o => o.JobsPerRoom = 20);
        var generated = emu.Server.Store.Rooms.Take(9).SelectMany(r => emu.Server.Store.JobsOf(r.RoomId)).First(j => j.State == "PROCESSING");
        var before = JsonDocument.Parse(generated.Json).RootElement;

        Assert.Equal(200, (await emu.Http.StopAsync(generated.RoomId, generated.JobId)).Status);

        var after = await emu.ShowAsync(generated.RoomId, generated.JobId);
        Assert.Equal("SUCCEED", after.GetProperty("state").GetString());
        Assert.Equal(Time(LiveEmulator.Start), after.GetProperty("end_time").GetString());
        Assert.Equal(before.GetProperty("start_time").GetString(), after.GetProperty("start_time").GetString());
        Assert.Equal(before.GetProperty("rtc_room_info").GetRawText(), after.GetProperty("rtc_room_info").GetRawText());
        var start = DateTimeOffset.Parse(before.GetProperty("start_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((LiveEmulator.Start - start).TotalSeconds, after.GetProperty("duration").GetDouble(), 3);
    }

    [Fact]
    public async Task AJobEndsOnItsOwnWhenMaxLiveDurationPasses()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        var (status, response) = await emu.Http.StartAsync(room, """{"play_policy":{"live_exit_config":{"max_live_duration":1}}}""");
        Assert.Equal(202, status);
        Assert.Equal(1, response.GetProperty("limit_duration").GetInt32());
        string job = response.GetProperty("job_id").GetString()!;

        emu.Advance(Delay + TimeSpan.FromMinutes(59));
        Assert.Equal("PROCESSING", (await emu.ShowAsync(room, job)).GetProperty("state").GetString());

        emu.Advance(TimeSpan.FromHours(2)); // read late: the job ended at its limit, not when it was read
        var ended = await emu.ShowAsync(room, job);
        Assert.Equal("SUCCEED", ended.GetProperty("state").GetString());
        Assert.Equal(Time(LiveEmulator.Start + Delay + TimeSpan.FromHours(1)), ended.GetProperty("end_time").GetString());
        Assert.Equal(3600, ended.GetProperty("duration").GetDouble());
    }

    [Fact]
    public async Task TheRoomsMaxLiveDurationAppliesWhenTheRequestGivesNone()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom("""{"room_id":"limited","room_name":"Limited","play_policy":{"live_exit_config":{"max_live_duration":3}}}""");

        var (_, response) = await emu.Http.StartAsync(room, null);
        Assert.Equal(3, response.GetProperty("limit_duration").GetInt32());

        var (_, unlimited) = await emu.Http.StartAsync(room, """{"play_policy":{"live_exit_config":{"max_live_duration":0}}}""");
        Assert.Equal(0, unlimited.GetProperty("limit_duration").GetInt32());
        emu.Advance(TimeSpan.FromHours(200));
        Assert.Equal("SUCCEED", (await emu.ShowAsync(room, response.GetProperty("job_id").GetString()!)).GetProperty("state").GetString());
        Assert.Equal("PROCESSING", (await emu.ShowAsync(room, unlimited.GetProperty("job_id").GetString()!)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task TheStartDelayIsSettableWhileRunningAndAppliesToJobsStartedAfter()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        string slow = await emu.StartJobAsync(room);

        emu.Server.StartDelayMs = 0;
        string quick = await emu.StartJobAsync(room);

        Assert.Equal("PROCESSING", (await emu.ShowAsync(room, quick)).GetProperty("state").GetString());
        Assert.Equal("WAITING", (await emu.ShowAsync(room, slow)).GetProperty("state").GetString());
        Assert.Throws<ArgumentOutOfRangeException>(() => emu.Server.StartDelayMs = -1);
    }

    [Fact]
    public async Task OnTheRealClockAJobProcessesAfterAShortDelay()
    {
        await using var server = await MetaStudio.Emulator.EmulatorServer.StartAsync(new MetaStudio.Emulator.EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 0, StartDelayMs = 200 });
        using var http = new SignedHttp(server.BaseAddress);
        string room = server.Store.Rooms[0].RoomId;
        var (status, response) = await http.StartAsync(room);
        Assert.Equal(202, status);
        string path = $"{http.RoomJobs(room)}/{response.GetProperty("job_id").GetString()}";

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        string? state = (await http.GetJsonAsync(path)).GetProperty("state").GetString();
        while (state == "WAITING" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            state = (await http.GetJsonAsync(path)).GetProperty("state").GetString();
        }

        Assert.Equal("PROCESSING", state);
    }

    [Fact]
    public async Task LastJobFieldsOfTheRoomFollowAStartedJob()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        async Task<JsonElement> Listed() =>
            (await emu.Http.GetJsonAsync($"/v1/{emu.Http.ProjectId}/smart-live-rooms", ("room_name", "空闲直播间"), ("limit", "100")))
            .GetProperty("smart_live_rooms").EnumerateArray().Single(r => r.GetProperty("room_id").GetString() == room);

        Assert.False((await Listed()).TryGetProperty("last_job_status", out _));
        string job = await emu.StartJobAsync(room);
        Assert.Equal("WAITING", (await Listed()).GetProperty("last_job_status").GetString());

        emu.Advance(Delay);
        var processing = await Listed();
        Assert.Equal("PROCESSING", processing.GetProperty("last_job_status").GetString());
        Assert.Equal(Time(LiveEmulator.Start + Delay), processing.GetProperty("last_job_start_time").GetString());
        var live = await emu.Http.GetJsonAsync($"/v1/{emu.Http.ProjectId}/smart-live-rooms", ("live_state", "PROCESSING"), ("limit", "100"));
        Assert.Contains(live.GetProperty("smart_live_rooms").EnumerateArray(), r => r.GetProperty("room_id").GetString() == room);

        emu.Advance(TimeSpan.FromMinutes(1));
        await emu.Http.StopAsync(room, job);
        var ended = await Listed();
        Assert.Equal("SUCCEED", ended.GetProperty("last_job_status").GetString());
        Assert.Equal(Time(LiveEmulator.Start + Delay + TimeSpan.FromMinutes(1)), ended.GetProperty("last_job_end_time").GetString());
        var success = await emu.Http.GetJsonAsync($"/v1/{emu.Http.ProjectId}/smart-live-rooms", ("live_state", "SUCCESS"), ("limit", "100"));
        Assert.Contains(success.GetProperty("smart_live_rooms").EnumerateArray(), r => r.GetProperty("room_id").GetString() == room);
    }

    [Fact]
    public async Task ManyClientsPollingWhileJobsStartAndStopSeeConsistentJobs()
    {
        await using var emu = await LiveEmulator.StartAsync(o => o.StartDelayMs = 0);
        string room = emu.AddRoom();
        var jobs = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => emu.StartJobAsync(room)));

        var polls = Enumerable.Range(0, 8).Select(async p =>
        {
            for (int round = 0; round < 15; round++)
            {
                foreach (var job in jobs)
                {
                    var shown = await emu.ShowAsync(room, job);
                    Assert.Equal(job, shown.GetProperty("job_id").GetString());
                    Assert.Contains(shown.GetProperty("state").GetString(), new[] { "PROCESSING", "SUCCEED" });
                }
            }
        });
        var stops = jobs.Select(async job =>
        {
            emu.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(200, (await emu.Http.StopAsync(room, job)).Status);
        });
        await Task.WhenAll(polls.Concat(stops));

        Assert.All(jobs, job => Assert.Equal("SUCCEED", emu.Server.Store.Find(room, job)!.State));
        Assert.Equal(0, emu.Server.Store.JobsOf(room).Count(j => j.IsRunning));
    }
}
