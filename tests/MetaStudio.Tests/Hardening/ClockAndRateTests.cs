using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Errors;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Hardening;

/// <summary>
/// Clock skew is learnt as the service's Date minus the local time (never added up), concurrent
/// learners agree, an absurd clock is refused naming both clocks, a corrected service is re-learnt,
/// and Connect-MSAccount starts afresh. The rate limiter gives back cancelled slots, never waits
/// beyond the call's timeout, and one connection's -RateLimit does not change another's.
/// </summary>
public sealed class ClockAndRateTests
{
    /// <summary>A service clock the test moves.</summary>
    private sealed class MovableClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public DateTimeOffset? Fixed { get; set; }

        public override DateTimeOffset GetUtcNow() => Fixed ?? DateTimeOffset.UtcNow + Offset;
    }

    private static async Task<(EmulatorServer Server, MovableClock Clock)> StartAsync(int rooms = 8, int jobs = 30)
    {
        var clock = new MovableClock();
        var server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Rooms = rooms, JobsPerRoom = jobs, Clock = clock });
        return (server, clock);
    }

    [Fact]
    public async Task EightRunspacesMeetingAServiceAnHourAheadAllSucceedAndAgreeOnTheOffset()
    {
        var (server, clock) = await StartAsync();
        await using var _ = server;
        clock.Offset = TimeSpan.FromHours(1);
        server.LatencyMs = 400; // the eight first requests are all in flight before any answer comes back
        var runspaces = server.Store.Rooms.Select(_ => new HostedPowerShell().ConnectTo(server)).ToList();
        using var start = new Barrier(runspaces.Count);

        var results = await Task.WhenAll(runspaces.Select((pwsh, i) => Task.Run(() =>
        {
            start.SignalAndWait(); // all eight meet the skewed service at once
            return pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -MaxRetry 0 -PageSize 10; Get-MSSmartLiveJob -RoomId $args[0] -MaxRetry 0 -First 1", server.Store.Rooms[i].RoomId);
        })));
        runspaces.ForEach(r => r.Dispose());

        Assert.All(results, r => Assert.True(r.Errors.Count == 0, string.Join("; ", r.Errors)));
        Assert.All(results, r => Assert.Equal(31, r.Output.Count));
        Assert.True(server.CountOf(401) <= 16, $"{server.CountOf(401)} expired signatures for 16 calls"); // learnt, not compounded
    }

    [Fact]
    public async Task AServiceWhoseClockIsCorrectedIsReLearntOnce()
    {
        var (server, clock) = await StartAsync(rooms: 1);
        await using var _ = server;
        clock.Offset = TimeSpan.FromHours(1);
        using var pwsh = new HostedPowerShell().ConnectTo(server);
        Assert.Empty(pwsh.Run("Get-MSSmartLiveJob -First 1 -MaxRetry 0").Errors);

        clock.Offset = TimeSpan.Zero; // the service's clock is put right
        var first = pwsh.Run("Get-MSSmartLiveJob -First 1 -MaxRetry 0");
        var second = pwsh.Run("Get-MSSmartLiveJob -First 1 -MaxRetry 0");

        Assert.Empty(first.Errors);
        Assert.Single(first.Warnings);   // re-learnt, and said so
        Assert.Empty(second.Errors);
        Assert.Empty(second.Warnings);
        Assert.Equal(2, server.CountOf(401));
    }

    [Fact]
    public async Task AnAbsurdServiceClockIsRefusedNamingBothClocks()
    {
        var (server, clock) = await StartAsync(rooms: 1);
        await using var _ = server;
        clock.Fixed = new DateTimeOffset(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var pwsh = new HostedPowerShell().ConnectTo(server);

        var first = pwsh.Run("Get-MSSmartLiveJob -First 1");
        var second = pwsh.Run("Get-MSSmartLiveJob -First 1");

        foreach (var result in new[] { first, second })
        {
            var error = Assert.Single(result.Errors);
            var e = Assert.IsType<MetaStudioServiceException>(error.Exception);
            Assert.Equal("ClockSkew", e.Kind.ToString());
            Assert.Contains("differ by more than the 24 hours", e.Message, StringComparison.Ordinal);
            Assert.Contains("9000-01-01 00:00:00", e.Message, StringComparison.Ordinal);
            Assert.Contains(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        }

        Assert.Equal(2, server.CountOf(401)); // one expired signature per call, nothing learnt from it
    }

    [Fact]
    public async Task ConnectForgetsALearntOffset()
    {
        var (server, clock) = await StartAsync(rooms: 1);
        await using var _ = server;
        clock.Offset = TimeSpan.FromHours(1);
        using var pwsh = new HostedPowerShell().ConnectTo(server);
        Assert.Empty(pwsh.Run("Get-MSSmartLiveJob -First 1").Errors);
        Assert.Equal(1, server.CountOf(401));

        clock.Offset = TimeSpan.Zero;
        pwsh.ConnectTo(server);
        var result = pwsh.Run("Get-MSSmartLiveJob -First 1");

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal(1, server.CountOf(401)); // the new connection signs with the local clock again, which is right
    }

    [Fact]
    public async Task ACancelledWaitGivesItsSlotBackAndAnotherRateIsAnotherLimiter()
    {
        var (server, _) = await StartAsync(rooms: 1);
        await using var __ = server;
        using var pwsh = new HostedPowerShell();
        Connect(pwsh, server, "-RateLimit 0.05"); // one request per 20 s
        Assert.Empty(pwsh.Run("Get-MSSmartLiveJob -First 1").Errors);

        // A second call waits for its slot 20 s ahead; Ctrl+C it.
        using (var waiting = PowerShell.Create())
        {
            waiting.Runspace = pwsh.Runspace;
            waiting.AddScript("Get-MSSmartLiveJob -First 1 -TimeoutSec 60");
            var invocation = waiting.BeginInvoke();
            await Task.Delay(300);
            waiting.Stop();
            Assert.True(invocation.IsCompleted);
        }

        Connect(pwsh, server, "-RateLimit 20");
        var clock = Stopwatch.StartNew();
        var result = pwsh.Run("Get-MSSmartLiveJob -First 1 -TimeoutSec 2");

        Assert.Empty(result.Errors);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"waited {clock.Elapsed.TotalSeconds:0.0} s for a slot of another connection");
        Assert.Equal(2, server.ReceivedCount);
    }

    [Fact]
    public async Task AWaitLongerThanTheTimeoutFailsAsThrottledWithoutWaiting()
    {
        var (server, _) = await StartAsync(rooms: 1);
        await using var __ = server;
        using var pwsh = new HostedPowerShell();
        Connect(pwsh, server, "-RateLimit 0.1"); // one request per 10 s
        Assert.Empty(pwsh.Run("Get-MSSmartLiveJob -First 1").Errors);

        var clock = Stopwatch.StartNew();
        var result = pwsh.Run("Get-MSSmartLiveJob -First 1 -TimeoutSec 2");

        var error = Assert.Single(result.Errors);
        var e = Assert.IsType<MetaStudioServiceException>(error.Exception);
        Assert.Equal("RateLimited", e.ErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Contains("2 s timeout", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"waited {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(1, server.ReceivedCount);
    }

    [Fact]
    public async Task OneConnectionsRateLimitDoesNotChangeAnothers()
    {
        var (server, _) = await StartAsync(rooms: 2, jobs: 80);
        await using var __ = server;
        using var slow = new HostedPowerShell();
        using var fast = new HostedPowerShell();
        Connect(slow, server, "-RateLimit 2");
        Connect(fast, server, "-RateLimit 20");

        // 8 pages at 2 per second take at least 3.5 s, whatever the other runspace, listing at 20 per second meanwhile, set.
        var clock = Stopwatch.StartNew();
        var slowRun = Task.Run(() => slow.Run("Get-MSSmartLiveJob -RoomId $args[0] -PageSize 10 -ThrottleLimit 4", server.Store.Rooms[0].RoomId));
        await Task.Delay(200);
        var fastRun = Task.Run(() => fast.Run("Get-MSSmartLiveJob -RoomId $args[0] -PageSize 10 -ThrottleLimit 4", server.Store.Rooms[1].RoomId));
        var results = await Task.WhenAll(slowRun, fastRun);
        var elapsed = clock.Elapsed;

        Assert.All(results, r => Assert.Empty(r.Errors));
        Assert.All(results, r => Assert.Equal(80, r.Output.Count));
        Assert.True(elapsed >= TimeSpan.FromSeconds(3.4), $"8 pages took {elapsed.TotalSeconds:0.00} s at 2 per second");
    }

    [Fact]
    public async Task PagesRequestedAheadStayWithinWhatTheRateLimitLetsWaitInTime()
    {
        var (server, _) = await StartAsync(rooms: 1, jobs: 100);
        await using var __ = server;
        using var pwsh = new HostedPowerShell();
        Connect(pwsh, server, "-RateLimit 2 -TimeoutSec 3"); // 2 per second, 3 s per attempt: at most 5 can wait

        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -PageSize 10 -ThrottleLimit 16", server.Store.Rooms[0].RoomId);

        Assert.Empty(result.Errors);
        Assert.Equal(100, result.Output.Count);
    }

    private static void Connect(HostedPowerShell pwsh, EmulatorServer server, string extra) =>
        pwsh.Invoke("Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] -ProjectId $args[2] -Endpoint $args[3] " + extra,
            EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure(EmulatorOptions.DemoSecretKey), EmulatorOptions.DemoProjectId, server.BaseAddress.ToString());
}
