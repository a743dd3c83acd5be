using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using MetaStudio.Client.Signing;
using MetaStudio.Emulator;
using MetaStudio.Emulator.Api;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Emulator;

/// <summary>The gateway's throttle is per project and per operation: each operation has its own bucket and rate.</summary>
public class EmulatorThrottleTests
{
    [Fact]
    public async Task EachOperationResolvesItsRate()
    {
        await using var emu = await LiveEmulator.StartAsync();
        var server = emu.Server;
        Assert.All(Operations.All, op => Assert.Equal(0, server.RateLimitFor(op)));

        server.DocumentedRateLimits = true;
        Assert.Equal(4, server.RateLimitFor(Operations.StartSmartLive));
        Assert.Equal(20, server.RateLimitFor(Operations.ListSmartLive));
        Assert.Equal(20, server.RateLimitFor(Operations.ListSmartLiveRooms));
        Assert.Equal(20, server.RateLimitFor(Operations.ShowSmartLiveRoom));
        Assert.All(new[] { Operations.ListSmartLiveJobs, Operations.ShowSmartLive, Operations.StopSmartLive }, op => Assert.Equal(20, server.RateLimitFor(op)));

        server.RateLimit = 7; // one rate for all, over the documented ones
        Assert.All(Operations.All, op => Assert.Equal(7, server.RateLimitFor(op)));

        server.SetRateLimit(Operations.StartSmartLive, 1);
        Assert.Equal(1, server.RateLimitFor(Operations.StartSmartLive));
        Assert.Equal(7, server.RateLimitFor(Operations.StopSmartLive));
        server.SetRateLimit(Operations.StartSmartLive, null);
        Assert.Equal(7, server.RateLimitFor(Operations.StartSmartLive));
    }

    [Fact]
    public async Task OptionsSetTheRates()
    {
        await using var emu = await LiveEmulator.StartAsync(o =>
        {
            o.DocumentedRateLimits = true;
            o.OperationRateLimits[Operations.ShowSmartLive] = 50;
        });
        Assert.Equal(4, emu.Server.RateLimitFor(Operations.StartSmartLive));
        Assert.Equal(50, emu.Server.RateLimitFor(Operations.ShowSmartLive));
    }

    [Fact]
    public async Task EachOperationHasItsOwnBucket()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        string rooms = $"/v1/{emu.Http.ProjectId}/smart-live-rooms";
        emu.Server.RateLimit = 0.2; // one request per 5 s for each operation

        using var firstList = await emu.Http.GetAsync(rooms);
        using var secondList = await emu.Http.GetAsync(rooms);
        using var showRoom = await emu.Http.GetAsync($"{rooms}/{room}");
        using var jobs = await emu.Http.GetAsync(emu.Http.RoomJobs(room));
        var firstStart = await emu.Http.StartAsync(room);
        var secondStart = await emu.Http.StartAsync(room);

        Assert.Equal(HttpStatusCode.OK, firstList.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, secondList.StatusCode);
        Assert.Equal(HttpStatusCode.OK, showRoom.StatusCode);
        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        Assert.Equal(202, firstStart.Status);
        Assert.Equal(429, secondStart.Status);
        Assert.Equal("APIGW.0308", secondStart.Body.GetProperty("error_code").GetString());
        Assert.Contains("limit:0.2", secondStart.Body.GetProperty("error_msg").GetString(), StringComparison.Ordinal);
        Assert.Single(emu.Server.Store.JobsOf(room)); // a throttled start creates nothing
    }

    [Fact]
    public async Task BucketsArePerProject()
    {
        var clock = new SteppedClock(LiveEmulator.Start);
        var options = new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 1, Clock = clock, RateLimit = 0.2 };
        options.Keys.Add(new EmulatorKey("AKPROJECTONE00000001", "secret-one", "11111111111111111111111111111111"));
        options.Keys.Add(new EmulatorKey("AKPROJECTTWO00000002", "secret-two", "22222222222222222222222222222222"));
        await using var server = await EmulatorServer.StartAsync(options);
        using var one = new SignedHttp(server.BaseAddress) { Clock = () => clock.Now.UtcDateTime, Credential = new AkSkCredential("AKPROJECTONE00000001", "secret-one"), ProjectId = "11111111111111111111111111111111" };
        using var two = new SignedHttp(server.BaseAddress) { Clock = () => clock.Now.UtcDateTime, Credential = new AkSkCredential("AKPROJECTTWO00000002", "secret-two"), ProjectId = "22222222222222222222222222222222" };

        using var a1 = await one.GetAsync(one.AllJobs);
        using var a2 = await one.GetAsync(one.AllJobs);
        using var b1 = await two.GetAsync(two.AllJobs);

        Assert.Equal(HttpStatusCode.OK, a1.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, a2.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b1.StatusCode);
    }

    [Fact]
    public async Task TheDocumentedStartRateLetsABurstOfAboutFourThrough()
    {
        await using var emu = await LiveEmulator.StartAsync(o => o.DocumentedRateLimits = true);
        string room = emu.AddRoom();

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => emu.Http.StartAsync(room)));

        int accepted = results.Count(r => r.Status == 202), throttled = results.Count(r => r.Status == 429);
        Assert.InRange(accepted, 4, 7); // a burst of 4, plus what refills (4/s) while the burst arrives on a slow machine
        Assert.Equal(12, accepted + throttled);
        Assert.All(results.Where(r => r.Status == 429), r => Assert.Contains("limit:4,", r.Body.GetProperty("error_msg").GetString(), StringComparison.Ordinal));
        Assert.Equal(accepted, emu.Server.Store.JobsOf(room).Count);

        // Listing rooms has its own 20/s budget, untouched by the burst of starts.
        using var listed = await emu.Http.GetAsync($"/v1/{emu.Http.ProjectId}/smart-live-rooms");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }

    [Fact]
    public async Task TheCommandLineTakesTheLifecycleOptions()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "MetaStudio.Emulator.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--port", "0", "--rooms", "1", "--jobs-per-room", "0", "--rate-limit", "documented", "--rate-limit", "StartSmartLive=0.2",
                     "--start-delay-ms", "0", "--max-running-jobs", "5", "--fault", "job-fail" })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        try
        {
            var lineTask = process.StandardOutput.ReadLineAsync();
            Assert.True(await Task.WhenAny(lineTask, Task.Delay(TimeSpan.FromSeconds(30))) == lineTask, "the emulator printed nothing within 30 s");
            var url = new Uri((await lineTask)!.Split(' ')[3]);
            using var http = new SignedHttp(url);
            string room = (await http.GetJsonAsync($"/v1/{http.ProjectId}/smart-live-rooms")).GetProperty("smart_live_rooms")[0].GetProperty("room_id").GetString()!;

            var (status, started) = await http.StartAsync(room);
            var (throttled, _) = await http.StartAsync(room);
            var job = await http.GetJsonAsync($"{http.RoomJobs(room)}/{started.GetProperty("job_id").GetString()}");

            Assert.Equal(202, status);
            Assert.Equal(429, throttled);
            Assert.Equal("FAILED", job.GetProperty("state").GetString()); // no start delay, and the job-fail rule
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("--rate-limit", "StartSmartLives=1", "Unknown operation 'StartSmartLives'")]
    [InlineData("--start-delay-ms", "-5", "")]
    [InlineData("--max-running-jobs", "many", "")]
    public async Task BadLifecycleOptionsExitWithUsage(string option, string value, string message)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "MetaStudio.Emulator.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, option, value })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains("--start-delay-ms", error, StringComparison.Ordinal); // the usage
    }
}
