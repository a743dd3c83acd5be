using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Http;
using MetaStudio.Client.Models;
using MetaStudio.Client.SmartLive;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Lifecycle;

/// <summary>Many jobs waited for together, and many rooms listed together, within the rate limit.</summary>
public sealed class WaiterAndRoomsTests
{
    /// <summary>ShowSmartLive answered from a script of each job's state by poll round.</summary>
    private sealed class JobStates(Func<string, int, string?> stateOf) : HttpMessageHandler
    {
        private readonly ConcurrentDictionary<string, int> asked = new();

        public ConcurrentQueue<string> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string job = request.RequestUri!.AbsolutePath.Split('/').Last();
            Requests.Enqueue(job);
            int round = asked.AddOrUpdate(job, 1, (_, n) => n + 1);
            string? state = stateOf(job, round);
            var response = state is null
                ? new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("{\"error_code\":\"MSS.10001002\",\"error_msg\":\"Smart live job not found\"}", Encoding.UTF8, "application/json") }
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"{{\"job_id\":\"{job}\",\"room_id\":\"r\",\"state\":\"{state}\",\"error_info\":{{\"error_code\":\"MSS.42000007\",\"error_msg\":\"Infer Error\"}}}}", Encoding.UTF8, "application/json") };
            return Task.FromResult(response);
        }
    }

    private static SmartLiveClient Client(HttpMessageHandler handler) => new(new ContextResolver(_ => null, null).Resolve(new ConnectionSettings
    {
        AccessKey = "AK", SecretKey = "SK", ProjectId = "p", Endpoint = new Uri("http://127.0.0.1:1"), RateLimit = 0, MaxRetry = 0,
    }), transport: new MetaStudioTransport(new HttpClient(handler)));

    [Fact]
    public async Task EachJobsOutcomeIsKnownAsSoonAsItHappensAndTheRestGoOn()
    {
        var handler = new JobStates((job, round) => job switch
        {
            "on-air" => round >= 3 ? "PROCESSING" : "WAITING",
            "fails" => "FAILED",
            "gone" => null,
            _ => "WAITING", // never there
        });
        var waiter = new JobWaiter(Client(handler), new[] { "PROCESSING" }, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1.5));

        var outcomes = await waiter.WaitAsync(new[] { ("r", "on-air"), ("r", "fails"), ("r", "gone"), ("r", "stuck") }, CancellationToken.None).ToListAsync();

        var byJob = outcomes.ToDictionary(o => o.JobId);
        Assert.Equal(WaitResult.Reached, byJob["on-air"].Result);
        Assert.Equal("PROCESSING", byJob["on-air"].Job!.State);
        Assert.Equal(WaitResult.EndedOtherwise, byJob["fails"].Result);
        Assert.Equal("MSS.42000007", byJob["fails"].Job!.ErrorCode);
        Assert.Equal(WaitResult.Failed, byJob["gone"].Result);
        Assert.Equal(404, byJob["gone"].Error!.StatusCode);
        Assert.Equal(WaitResult.TimedOut, byJob["stuck"].Result);
        Assert.Equal("WAITING", byJob["stuck"].Job!.State); // its last state
        Assert.Equal(new[] { "fails", "gone", "on-air", "stuck" }.Take(3), outcomes.Take(3).Select(o => o.JobId).OrderBy(j => j));
        Assert.Single(handler.Requests, r => r == "fails");  // an ended job is not asked again
        Assert.Equal(3, handler.Requests.Count(r => r == "on-air"));
    }

    [Fact]
    public async Task ARoundAsksForEveryPendingJobAtOnce()
    {
        var inFlight = 0;
        var most = 0;
        var handler = new DelayedStates(async () =>
        {
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await Task.Delay(100);
            Interlocked.Decrement(ref inFlight);
        });
        var jobs = Enumerable.Range(0, 40).Select(i => ("r", $"job-{i}")).ToList();
        var waiter = new JobWaiter(Client(handler), JobWaiter.EndedStates, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        var outcomes = await waiter.WaitAsync(jobs, CancellationToken.None).ToListAsync();

        Assert.Equal(40, outcomes.Count(o => o.Result == WaitResult.Reached));
        Assert.Equal(JobWaiter.MaxInFlight, most); // not one after another, and never more than the bound
    }

    [Fact]
    public async Task RoomsPipedInAreListedTogetherAndWrittenInInputOrder()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Rooms = 30, JobsPerRoom = 3 });
        server.LatencyMs = 300;
        using var pwsh = new HostedPowerShell().ConnectTo(server);
        var rooms = server.Store.Rooms.Select(r => r.RoomId).Reverse().ToList(); // input order is not the store's

        var result = pwsh.Run("$args[0] | Get-MSSmartLiveJob", rooms);

        Assert.Empty(result.Errors);
        var order = result.Output.Select(o => ((SmartLiveJob)o.BaseObject).RoomId!).Distinct().ToList();
        Assert.Equal(rooms, order); // grouped by room, rooms in input order
        Assert.Equal(90, result.Output.Count);
        // One after another, answers would come 300 ms apart; listed together, most come much closer.
        var answered = server.Requests.Select(r => r.ReceivedAt).OrderBy(t => t).ToList();
        var gaps = answered.Zip(answered.Skip(1), (a, b) => (b - a).TotalMilliseconds).OrderBy(g => g).ToList();
        Assert.True(gaps[gaps.Count / 2] < 200, $"median gap between answers {gaps[gaps.Count / 2]:0} ms");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private sealed class DelayedStates(Func<Task> during) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await during();
            string job = request.RequestUri!.AbsolutePath.Split('/').Last();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"{{\"job_id\":\"{job}\",\"state\":\"SUCCEED\"}}", Encoding.UTF8, "application/json") };
        }
    }
}
