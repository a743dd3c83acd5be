using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Http;
using MetaStudio.Client.Models;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Reliability;

/// <summary>TLS, the client-side rate limiter, clock skew, and many runspaces at once.</summary>
public class TransportTests
{
    private static EmulatorOptions Options(int rooms = 1, int jobs = 30) => new() { Port = 0, Rooms = rooms, JobsPerRoom = jobs };

    [Fact]
    public async Task AnUntrustedCertificateIsRefusedAndNotRetried()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var options = Options();
        options.Certificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
        await using var server = await EmulatorServer.StartAsync(options);
        Assert.Equal("https", server.BaseAddress.Scheme);
        using var pwsh = new HostedPowerShell().ConnectTo(server);

        var result = pwsh.Run("Get-MSSmartLiveJob -First 1");

        var error = Assert.Single(result.Errors);
        var e = Assert.IsType<MetaStudioServiceException>(error.Exception);
        Assert.Equal(ServiceErrorKind.NetworkError, e.Kind);
        Assert.Equal(1, e.Attempts);
        Assert.Matches("(?i)ssl|certificate|tls", e.Message);
        Assert.Equal(0, server.ReceivedCount); // no request got through the handshake
    }

    [Fact]
    public void NoParameterDisablesCertificateValidation()
    {
        using var pwsh = new HostedPowerShell();
        foreach (var command in pwsh.Module!.ExportedCmdlets.Values)
        {
            Assert.DoesNotContain(command.Parameters.Keys, p => p.Contains("Certificate", StringComparison.OrdinalIgnoreCase) || p.Contains("Insecure", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task TheRateLimiterSpacesRequestsEvenly()
    {
        string project = "rate-test-" + Guid.NewGuid();
        var limiter = RateLimiter.For(new Uri("http://127.0.0.1:1"), project, "ListSmartLive", 50)!;
        var clock = Stopwatch.StartNew();
        var times = new double[11];
        for (int i = 0; i < times.Length; i++)
        {
            await limiter.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            times[i] = clock.Elapsed.TotalMilliseconds;
        }

        // Eleven slots at 50/s span at least ten intervals of 20 ms.
        Assert.True(times[^1] - times[0] >= 195, $"{times[^1] - times[0]:0} ms");
        Assert.Same(limiter, RateLimiter.For(new Uri("http://127.0.0.1:1/"), project, "ListSmartLive", 50)); // one per endpoint, project, bucket and rate
        Assert.NotSame(limiter, RateLimiter.For(new Uri("http://127.0.0.1:1/"), project + "-other", "ListSmartLive", 50));
        Assert.NotSame(limiter, RateLimiter.For(new Uri("http://127.0.0.1:1/"), project, "ShowSmartLive", 50));
        Assert.NotSame(limiter, RateLimiter.For(new Uri("http://127.0.0.1:1/"), project, "ListSmartLive", 10));
    }

    /// <summary>
    /// The service counts requests per second. On a busy machine the limiter's timer fires late now and
    /// then; a late slot must not let the slots after it catch up so far that one second holds more than
    /// the rate. Virtual time: the test moves the clock to each due slot, some of them late, and releases.
    /// </summary>
    [Fact]
    public void NoSecondHoldsMoreSlotsThanTheRateWhenTheTimerIsLate()
    {
        long now = 0;
        long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000);
        var limiter = new RateLimiter(20, () => now, useTimer: false);
        var waiters = Enumerable.Range(0, 200).Select(_ => limiter.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None)).ToList();
        double[] late = { 1, 0, 2, 24, 0, 1, 0, 0, 3, 0, 1, 40, 0, 0, 1, 2, 0, 0, 10, 0, 1, 0, 30 }; // ms after each due time
        var granted = new List<long> { 0 }; // the first slot at once
        for (int i = 0; granted.Count < waiters.Count && i < 10 * waiters.Count; i++)
        {
            now = limiter.DueAt!.Value + Ms(late[i % late.Length]);
            limiter.Release();
            while (granted.Count < waiters.Count(w => w.IsCompleted))
            {
                granted.Add(now);
            }
        }

        Assert.Equal(waiters.Count, granted.Count);
        var shortest = Enumerable.Range(0, granted.Count - 20).Min(k => granted[k + 20] - granted[k]);
        Assert.True(shortest >= Ms(1000), $"21 slots within {shortest * 1000.0 / Stopwatch.Frequency:0.0} ms");
        // And it keeps up: in virtual time, the 200 slots take at most 3% longer than the pace itself, late releases included.
        double paced = 199 * RateLimiter.IntervalFor(20).TotalMilliseconds;
        Assert.True(granted[^1] - granted[0] <= Ms(paced * 1.03), $"200 slots took {(granted[^1] - granted[0]) * 1000.0 / Stopwatch.Frequency:0} ms, paced {paced:0} ms");
    }

    [Fact]
    public void ZeroTurnsTheLimiterOff()
    {
        Assert.Null(RateLimiter.For(new Uri("http://127.0.0.1:2"), "rate-off-" + Guid.NewGuid(), "ListSmartLive", 0));
    }

    [Fact]
    public async Task TheDefaultLimitKeepsAThrottledTenantFreeOf429s()
    {
        var options = Options(rooms: 1, jobs: 2000);
        options.RateLimit = 20; // the service's documented ListSmartLive limit
        await using var server = await EmulatorServer.StartAsync(options);
        using var pwsh = new HostedPowerShell().ConnectTo(server);

        // 40 requests: 2 s at 20/s; without the client limiter, the emulator's throttle answers 429s.
        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -PageSize 50", server.Store.Rooms[0].RoomId);

        Assert.Empty(result.Errors);
        Assert.Equal(2000, result.Output.Count);
        Assert.Equal(0, server.CountOf(429));

        pwsh.Run("Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] -ProjectId $args[2] -Endpoint $args[3] -RateLimit 0 -MaxRetry 0",
            EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure(EmulatorOptions.DemoSecretKey), EmulatorOptions.DemoProjectId, server.BaseAddress.ToString());
        var unlimited = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -PageSize 50", server.Store.Rooms[0].RoomId);
        Assert.True(server.CountOf(429) > 0, "without the limiter the throttle must bite (or this test proves nothing)");
        Assert.Equal("APIGW.0308,MetaStudio.Commands.GetMSSmartLiveJobCommand", Assert.Single(unlimited.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task ASkewedClockIsCorrectedOnceWithAWarning()
    {
        var options = Options(rooms: 1, jobs: 250); // the service's clock is 40 minutes ahead
        options.Clock = new ShiftedClock(TimeSpan.FromMinutes(40));
        await using var server = await EmulatorServer.StartAsync(options);
        using var pwsh = new HostedPowerShell().ConnectTo(server);

        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -Verbose", server.Store.Rooms[0].RoomId);

        Assert.Empty(result.Errors);
        Assert.Equal(250, result.Output.Count);
        string warning = Assert.Single(result.Warnings);
        Assert.Matches(@"The local clock is off by 2,(39|40)\d seconds from 127\.0\.0\.1's \(it is behind\)", warning);
        Assert.Equal(1, server.CountOf(401)); // one expired signature, then every request signed with the service's time
        Assert.Equal(3, server.CountOf(200));

        var again = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -First 1", server.Store.Rooms[0].RoomId);
        Assert.Empty(again.Warnings);
        Assert.Equal(1, server.CountOf(401));
    }

    [Fact]
    public async Task EightRunspacesListDifferentRoomsAtOnce()
    {
        var options = Options(rooms: 8, jobs: 400);
        await using var server = await EmulatorServer.StartAsync(options);
        var rooms = server.Store.Rooms.Select(r => r.RoomId).ToList();

        var results = await Task.WhenAll(rooms.Select(room => Task.Run(() =>
        {
            using var pwsh = new HostedPowerShell().ConnectTo(server);
            var output = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -PageSize 50 -MaxRetry 0", room);
            Assert.Empty(output.Errors);
            return (Room: room, Jobs: output.Output.Select(o => (SmartLiveJob)o.BaseObject).ToList());
        })));

        foreach (var (room, jobs) in results)
        {
            var expected = server.DefaultOrder(room);
            Assert.Equal(expected, jobs.Select(j => j.JobId));
            Assert.All(jobs, j => Assert.Equal(room, j.RoomId));
        }

        Assert.Equal(8 * 8, server.Requests.Count); // 400 / 50 pages per room
        Assert.Equal(0, server.CountOf(429));
    }

    /// <summary>The real clock, moved by an offset.</summary>
    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + offset;
    }
}
