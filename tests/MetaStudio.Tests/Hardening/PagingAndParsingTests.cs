using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Web;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Http;
using MetaStudio.Client.Models;
using MetaStudio.Client.SmartLive;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Hardening;

/// <summary>
/// Paging that never ends or silently loses jobs (a service ignoring offset, a list that shifts while
/// its count stays, a count that flaps), and one odd field that must not cost a page.
/// </summary>
public sealed class PagingAndParsingTests : IAsyncLifetime, IDisposable
{
    private static readonly MetaStudioContext Context = new ContextResolver(_ => null, null).Resolve(new ConnectionSettings
    {
        AccessKey = "AK", SecretKey = "SK", ProjectId = "p", Endpoint = new Uri("http://127.0.0.1:1"), RateLimit = 0, MaxRetry = 0,
    });

    private EmulatorServer server = null!;
    private HostedPowerShell pwsh = null!;

    private string Room => server.Store.Rooms[0].RoomId;

    public async Task InitializeAsync()
    {
        server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 250 });
        pwsh = new HostedPowerShell().ConnectTo(server);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose() => pwsh.Dispose();

    /// <summary>Answers pages from a function of (offset, limit, request number); the body is the function's JSON.</summary>
    private sealed class ScriptedHandler(Func<int, int, int, string> body) : HttpMessageHandler
    {
        private int requests;

        public ConcurrentQueue<int> Offsets { get; } = new();

        public int Requests => requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = HttpUtility.ParseQueryString(request.RequestUri!.Query);
            int offset = int.Parse(query["offset"]!), limit = int.Parse(query["limit"]!);
            Offsets.Enqueue(offset);
            int n = Interlocked.Increment(ref requests);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body(offset, limit, n), Encoding.UTF8, "application/json") });
        }
    }

    private static string Page(long count, IEnumerable<string> ids) =>
        $"{{\"count\":{count},\"smart_live_jobs\":[{string.Join(",", ids.Select(id => $"{{\"job_id\":\"{id}\",\"state\":\"SUCCEED\"}}"))}]}}";

    private static List<string> Ids(int from, int count) => Enumerable.Range(from, count).Select(i => $"job-{i:D4}").ToList();

    /// <summary>The walker's bound on restarts, here so the test also builds against versions without it.</summary>
    private static class PageWalkerLimits
    {
        public const int MaxRestarts = 3;
    }

    private static SmartLiveJobLister Lister(ScriptedHandler handler, int prefetch = 4) =>
        new(new SmartLiveClient(Context, transport: new MetaStudioTransport(new HttpClient(handler))), new SmartLiveJobQuery { RoomId = "r" }, prefetch: prefetch);

    [Fact]
    public void AServiceThatIgnoresOffsetStopsWithAnErrorInsteadOfRunningForEver()
    {
        // The same first page whatever the offset, with a count that promises a trillion jobs.
        var handler = new ScriptedHandler((offset, limit, n) => Page(1_000_000_000_000, Ids(0, limit)));
        var lister = Lister(handler);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var ids = new List<string>();
        var e = Assert.Throws<MetaStudioServiceException>(() =>
        {
            foreach (var job in lister.Enumerate(timeout.Token))
            {
                ids.Add(job.JobId!);
            }
        });

        Assert.Equal("PagingStalled", e.ErrorId);
        Assert.Contains("ignoring offset", e.Message, StringComparison.Ordinal);
        Assert.Contains("100 jobs had been written", e.Message, StringComparison.Ordinal);
        Assert.Equal(Ids(0, 100), ids);
        Assert.True(handler.Requests <= 6, $"{handler.Requests} requests");
    }

    [Fact]
    public void TheSameThroughTheEmulator()
    {
        server.AddFault("ignore-offsetx100");

        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0]", Room);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("PagingStalled,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(100, result.Output.Count);
    }

    [Fact]
    public void JobsShiftedPastTheEndWhileTheCountStaysAreStillRead()
    {
        // 255 jobs, but the count says 250 throughout; 5 are inserted at the front after the first page.
        var before = Ids(0, 250);
        var after = Ids(-5, 5).Concat(Ids(0, 250)).ToList();
        var handler = new ScriptedHandler((offset, limit, n) => Page(250, (offset == 0 ? before : after).Skip(offset).Take(limit)));
        var lister = Lister(handler, prefetch: 1);

        var ids = lister.Enumerate(CancellationToken.None).Select(j => j.JobId!).ToList();

        Assert.Equal(before, ids.Where(id => before.Contains(id)).ToList()); // every original job, in order
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(lister.TryTakeWarning(out var warning));
        Assert.Contains("repeated 5 jobs", warning, StringComparison.Ordinal);
        Assert.False(lister.TryTakeWarning(out _)); // once
    }

    [Fact]
    public void AFlappingCountCannotMultiplyTheWork()
    {
        // 5,000 jobs; the count alternates between 5,000 and 5,001 on every answer.
        var all = Ids(0, 5000);
        var handler = new ScriptedHandler((offset, limit, n) => Page(n % 2 == 0 ? 5001 : 5000, all.Skip(offset).Take(limit)));
        var lister = Lister(handler, prefetch: 4);

        var ids = lister.Enumerate(CancellationToken.None).Select(j => j.JobId!).ToList();

        Assert.Equal(all, ids);
        // 50 pages, plus at most the pages ahead asked again in the bounded restarts, plus the short page that ends it.
        Assert.True(handler.Requests <= 50 + (PageWalkerLimits.MaxRestarts * 4) + 1, $"{handler.Requests} requests for 50 pages");
    }

    [Fact]
    public void OneOddFieldLeavesThatFieldEmptyAndKeepsEverythingElse()
    {
        string room = server.Store.AddRoom("odd-room", "Odd").RoomId;
        const string Created = "\"create_time\":\"2026-01-01T00:00:00Z\"";
        server.Store.AddJobs(room, new[]
        {
            $"{{\"job_id\":\"odd-1\",{Created},\"state\":\"SUCCEED\",\"duration\":\"12\",\"stream_duration\":100.0,\"is_ai_mark_on\":\"true\",\"start_time\":\"\"}}",
            $"{{\"job_id\":\"odd-2\",{Created},\"state\":\"FAILED\",\"duration\":\"about an hour\",\"end_time\":\"yesterday\",\"room_name\":\"R2\"}}",
            $"{{\"job_id\":\"odd-3\",{Created},\"state\":\"SUCCEED\",\"rtc_room_info\":{{\"app_id\":\"a\",\"users\":[{{\"user_id\":\"u\",\"ctime\":\"soon\"}}]}},\"error_info\":\"oops\"}}",
            $"{{\"job_id\":\"odd-4\",{Created},\"state\":\"SUCCEED\",\"live_event_callback_config\":{{\"callback_event_type\":[1,\"SHOOT_SCRIPT_SWITCH\"]}}}}",
        });

        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0]", room);

        Assert.Empty(result.Errors);
        var jobs = result.Output.Select(o => (SmartLiveJob)o.BaseObject).ToDictionary(j => j.JobId!);
        Assert.Equal(4, jobs.Count);
        Assert.Equal(12, jobs["odd-1"].Duration);            // "12" means 12
        Assert.Equal(100, jobs["odd-1"].StreamDuration);
        Assert.True(jobs["odd-1"].IsAiMarkOn);
        Assert.Null(jobs["odd-1"].StartTime);                 // "" means no time
        Assert.Null(jobs["odd-2"].Duration);                  // not a number: left empty
        Assert.Null(jobs["odd-2"].EndTime);
        Assert.Equal("R2", jobs["odd-2"].RoomName);           // the rest of the job is kept
        Assert.Equal("a", jobs["odd-3"].RtcRoomInfo!.AppId);
        Assert.Null(jobs["odd-3"].RtcRoomInfo!.Users![0].Ctime);
        Assert.Equal("u", jobs["odd-3"].RtcRoomInfo!.Users![0].UserId);
        Assert.Null(jobs["odd-3"].ErrorInfo);
        Assert.Equal(new[] { "1", "SHOOT_SCRIPT_SWITCH" }, jobs["odd-4"].LiveEventCallbackConfig!.CallbackEventType);
        Assert.Contains(result.Warnings, w => w.Contains("'duration' of job odd-2 as \"about an hour\"", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("'end_time' of job odd-2 as \"yesterday\"", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("'rtc_room_info.users[0].ctime' of job odd-3", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("'error_info' of job odd-3 as \"oops\"", StringComparison.Ordinal));
        Assert.Equal(4, result.Warnings.Count);               // once per field
    }

    [Theory]
    [InlineData("count-string")]
    [InlineData("count-huge")]
    public void ACountSentAsAStringOrBeyond32BitsIsRead(string fault)
    {
        server.AddFault(fault + "x10");

        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -First 150 -IncludeTotalCount", Room);

        Assert.Empty(result.Errors);
        Assert.Equal(fault == "count-huge" ? 1UL << 40 : 250UL, result.Output[0].BaseObject);
        Assert.Equal(151, result.Output.Count);
    }

    [Fact]
    public void APageWithoutItsArrayIsReadAsEmptyWithAWarning()
    {
        var handler = new ScriptedHandler((offset, limit, n) => "{\"count\":3}");
        var lister = Lister(handler);

        Assert.Empty(lister.Enumerate(CancellationToken.None));
        Assert.True(lister.TryTakeWarning(out var warning));
        Assert.Contains("smart_live_jobs", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void ARedirectIsReportedAsARedirectAndNotFollowedOrRetried()
    {
        server.AddFault("redirect:307x4");

        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0]", Room);

        var error = Assert.Single(result.Errors);
        var e = Assert.IsType<MetaStudioServiceException>(error.Exception);
        Assert.Equal("Redirected", e.ErrorId);
        Assert.StartsWith("Redirected,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("redirected (HTTP 307) to https://metastudio.elsewhere.example.com/", e.Message, StringComparison.Ordinal);
        Assert.Contains("not followed", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Retry later", error.ErrorDetails!.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(1, e.Attempts);
        Assert.Equal(1, server.ReceivedCount);
    }
}
