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
using MetaStudio.Client.Http;
using MetaStudio.Client.SmartLive;
using Xunit;

namespace MetaStudio.Tests.Jobs;

/// <summary>The lister's page ordering under prefetch, with a scripted transport (no server).</summary>
public class ListerTests
{
    private static readonly MetaStudioContext Context = new ContextResolver(_ => null, null).Resolve(new ConnectionSettings
    {
        AccessKey = "AK", SecretKey = "SK", ProjectId = "p", Endpoint = new Uri("http://127.0.0.1:1"), RateLimit = 0,
    });

    /// <summary>Answers each page from a function of (offset, limit, how many times that offset was asked).</summary>
    private sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly Func<int, int, int, Task<(int Count, IEnumerable<string> Ids)>> answer;

        public ScriptedHandler(Func<int, int, int, Task<(int Count, IEnumerable<string> Ids)>> answer) => this.answer = answer;

        public ConcurrentQueue<int> Offsets { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = HttpUtility.ParseQueryString(request.RequestUri!.Query);
            int offset = int.Parse(query["offset"]!), limit = int.Parse(query["limit"]!);
            Offsets.Enqueue(offset);
            var (count, ids) = await answer(offset, limit, Offsets.Count(o => o == offset));
            string jobs = string.Join(",", ids.Select(id => $"{{\"job_id\":\"{id}\",\"state\":\"SUCCEED\"}}"));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"{{\"count\":{count},\"smart_live_jobs\":[{jobs}]}}", Encoding.UTF8, "application/json") };
        }
    }

    private static List<string> Ids(int from, int count) => Enumerable.Range(from, count).Select(i => $"job-{i:D4}").ToList();

    [Fact]
    public void APageAnsweredBeforeTheListChangedIsAskedForAgain()
    {
        // 250 jobs, then 5 are inserted at the front. Page 3 (offset 200) is answered at once, before the
        // change; page 2 (offset 100) waits and is answered after it. Without asking page 3 again,
        // job-0195..0199 would be lost.
        var before = Ids(0, 250);
        var after = Ids(-5, 5).Concat(before).ToList();
        var page3Answered = new TaskCompletionSource();
        var handler = new ScriptedHandler(async (offset, limit, times) =>
        {
            if (offset == 100)
            {
                await page3Answered.Task;
                return (255, after.Skip(offset).Take(limit));
            }

            if (offset == 200 && times == 1)
            {
                page3Answered.SetResult();
                return (250, before.Skip(offset).Take(limit));
            }

            var list = offset == 0 ? before : after;
            return (list.Count, list.Skip(offset).Take(limit));
        });
        var client = new SmartLiveClient(Context, transport: new MetaStudioTransport(new HttpClient(handler)));
        var lister = new SmartLiveJobLister(client, new SmartLiveJobQuery { RoomId = "r" }, prefetch: 4);

        var ids = lister.Enumerate(CancellationToken.None).Select(j => j.JobId!).ToList();

        Assert.Equal(before, ids);
        Assert.Equal(2, handler.Offsets.Count(o => o == 200));
        Assert.True(lister.TryTakeWarning(out var warning));
        Assert.Contains("250", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void PagesAnsweredOutOfOrderAreYieldedInOrder()
    {
        var all = Ids(0, 1000);
        var random = new Random(3);
        var handler = new ScriptedHandler(async (offset, limit, _) =>
        {
            await Task.Delay(random.Next(0, 15));
            return (all.Count, all.Skip(offset).Take(limit));
        });
        var client = new SmartLiveClient(Context, transport: new MetaStudioTransport(new HttpClient(handler)));

        var ids = new SmartLiveJobLister(client, new SmartLiveJobQuery { RoomId = "r", PageSize = 10 }, prefetch: 16)
            .Enumerate(CancellationToken.None).Select(j => j.JobId!).ToList();

        Assert.Equal(all, ids);
        Assert.Equal(100, handler.Offsets.Count);
    }

    [Fact]
    public void FirstAndSkipBoundThePagesRequestedAhead()
    {
        var all = Ids(0, 1000);
        var handler = new ScriptedHandler((offset, limit, _) => Task.FromResult((all.Count, all.Skip(offset).Take(limit))));
        var client = new SmartLiveClient(Context, transport: new MetaStudioTransport(new HttpClient(handler)));

        var ids = new SmartLiveJobLister(client, new SmartLiveJobQuery { RoomId = "r", PageSize = 100 }, skip: 50, first: 230, prefetch: 8)
            .Enumerate(CancellationToken.None).Select(j => j.JobId!).ToList();

        Assert.Equal(all.Skip(50).Take(230), ids);
        Assert.Equal(new[] { 50, 150, 250 }, handler.Offsets.OrderBy(o => o));
    }
}
