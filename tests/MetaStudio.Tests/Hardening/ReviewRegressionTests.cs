using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
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

/// <summary>What an attack on the hardened read path found, each pinned by a test.</summary>
public sealed class ReviewRegressionTests
{
    private const string Token = "MIIabcdefghijklmnopqrstuvwxyz0123456789+/ABCDEFGHIJKLMNOP==";

    private static MetaStudioContext Context(string? token = null) => new ContextResolver(_ => null, null).Resolve(token is null
        ? new ConnectionSettings { AccessKey = "AK", SecretKey = "SK", ProjectId = "p", Endpoint = new Uri("http://127.0.0.1:1"), RateLimit = 0, MaxRetry = 0 }
        : new ConnectionSettings { Token = token, ProjectId = "p", Endpoint = new Uri("http://127.0.0.1:1"), RateLimit = 0, MaxRetry = 0 });

    /// <summary>Answers every request with the body a function makes of (offset, limit, request number).</summary>
    private sealed class Scripted(Func<int, int, int, (HttpStatusCode Status, string Body)> answer) : HttpMessageHandler
    {
        private int requests;

        public int Requests => requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = HttpUtility.ParseQueryString(request.RequestUri!.Query);
            int offset = int.TryParse(query["offset"], out int o) ? o : 0, limit = int.TryParse(query["limit"], out int l) ? l : 0;
            var (status, body) = answer(offset, limit, Interlocked.Increment(ref requests));
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }

    private static SmartLiveClient Client(Scripted handler, MetaStudioContext? context = null) =>
        new(context ?? Context(), transport: new MetaStudioTransport(new HttpClient(handler)));

    private static SmartLiveJobLister Lister(Scripted handler, MetaStudioContext? context = null) =>
        new(Client(handler, context), new SmartLiveJobQuery { RoomId = "r" });

    private static string Jobs(IEnumerable<string> items, string count = "") =>
        "{" + count + "\"smart_live_jobs\":[" + string.Join(",", items) + "]}";

    [Fact]
    public void ASecretEchoedIntoAFieldIsMaskedInTheWarning()
    {
        var handler = new Scripted((offset, limit, n) => (HttpStatusCode.OK,
            Jobs(new[] { "{\"job_id\":\"j1\",\"end_time\":\"" + Token.Replace("+", "\\u002B") + "\"}" }, "\"count\":1,")));
        var lister = Lister(handler, Context(Token));

        var jobs = lister.Enumerate(CancellationToken.None).ToList();

        Assert.Single(jobs);
        Assert.True(lister.TryTakeWarning(out var warning));
        Assert.Contains("'end_time' of job j1", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(Token.Substring(0, 16), warning, StringComparison.Ordinal);
        Assert.DoesNotContain(Token.Substring(20, 16), warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AParserMessageQuotingASecretIsMasked()
    {
        // A job body the fast path refuses and the lenient path cannot save (not an object): the error quotes nothing secret.
        var handler = new Scripted((offset, limit, n) => (HttpStatusCode.OK, "[\"" + Token + "\"]"));
        var client = Client(handler, Context(Token));

        var e = await Assert.ThrowsAsync<MetaStudioServiceException>(() => client.ShowAsync("r", "j", CancellationToken.None));

        Assert.Equal(ServiceErrorKind.InvalidResponse, e.Kind);
        Assert.DoesNotContain(Token.Substring(0, 16), e.ToString(), StringComparison.Ordinal);
        Assert.Null(e.InnerException); // the parser's own exception, which quotes the body, is not kept
    }

    [Fact]
    public void PagesServedAgainWithoutIdsStopTheListing()
    {
        var page = Jobs(Enumerable.Range(0, 100).Select(i => $"{{\"state\":\"SUCCEED\",\"room_name\":\"n{i}\"}}"));
        var handler = new Scripted((offset, limit, n) => (HttpStatusCode.OK, page));
        var lister = Lister(handler);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var e = Assert.Throws<MetaStudioServiceException>(() => lister.Enumerate(timeout.Token).Count());

        Assert.Equal("PagingStalled", e.Kind.ToString());
        Assert.Equal(100, lister.Yielded);
        Assert.True(handler.Requests <= 6, $"{handler.Requests} requests");
    }

    [Fact]
    public void AnItemThatRepeatsAKeyIsLeftOutAndTheRestKept()
    {
        var handler = new Scripted((offset, limit, n) => (HttpStatusCode.OK, Jobs(new[]
        {
            "{\"job_id\":\"ok-1\",\"duration\":\"zzz\"}",
            "{\"job_id\":\"dup\",\"duration\":\"zzz\",\"\\u001b]0;PWNED\\u0007\":1,\"\\u001b]0;PWNED\\u0007\":2}",
            "{\"job_id\":\"ok-2\"}",
        }, "\"count\":3,")));
        var lister = Lister(handler);

        var ids = lister.Enumerate(CancellationToken.None).Select(j => j.JobId).ToList();

        Assert.Equal(new[] { "ok-1", "ok-2" }, ids);
        var warnings = new List<string>();
        while (lister.TryTakeWarning(out var w))
        {
            warnings.Add(w);
        }

        Assert.Contains(warnings, w => w.Contains("job dup", StringComparison.Ordinal) && w.Contains("left out", StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.DoesNotContain('\u001b', w));
    }

    [Fact]
    public void ANegativeOrTooSmallCountIsNotTrusted()
    {
        var all = Enumerable.Range(0, 250).Select(i => $"{{\"job_id\":\"j{i:D3}\"}}").ToList();
        var handler = new Scripted((offset, limit, n) => (HttpStatusCode.OK, Jobs(all.Skip(offset).Take(limit), "\"count\":-1,")));
        var lister = Lister(handler);

        Assert.Equal(250, lister.Enumerate(CancellationToken.None).Count());
        Assert.Null(lister.TotalCount);
    }

    [Fact]
    public async Task AnErrorCodeWithControlCharactersIsNotUsedAsTheErrorId()
    {
        var handler = new Scripted((offset, limit, n) => (HttpStatusCode.BadRequest, "{\"error_code\":\"MSS.1\\u001b]0;PWNED\\u0007\",\"error_msg\":\"x\"}"));

        var e = await Assert.ThrowsAsync<MetaStudioServiceException>(() => Client(handler).ListPageAsync(new SmartLiveJobQuery { RoomId = "r" }, 0, 10, CancellationToken.None));

        Assert.Equal("Http400", e.ErrorId);
        Assert.Equal("MSS.1\u001b]0;PWNED\u0007", e.ErrorCode); // the property keeps what the service said
        Assert.DoesNotContain('\u001b', e.Message);
    }

    [Fact]
    public async Task OneJobIsReadLenientlyToo()
    {
        var handler = new Scripted((offset, limit, n) => (HttpStatusCode.OK, "{\"job_id\":\"j\",\"state\":\"FAILED\",\"end_time\":\"yesterday\"}"));
        var client = Client(handler);

        var job = await client.ShowAsync("r", "j", CancellationToken.None);

        Assert.Equal(("j", "FAILED", (DateTime?)null), (job.JobId, job.State, job.EndTime));
        Assert.True(client.Warnings.TryDequeue(out var warning));
        Assert.Contains("'end_time' of job j as \"yesterday\"", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void AContextsEndpointsCannotBeChangedInPlace()
    {
        var context = Context();
        var endpoints = (IList<Uri>)context.Endpoints;

        Assert.Throws<NotSupportedException>(() => endpoints[0] = new Uri("http://192.0.2.2:18001/"));
    }

    [Fact]
    public async Task ALongRetryAfterIsNamedInTheError()
    {
        var handler = new RetryAfterHandler(TimeSpan.FromHours(2));
        var context = new ContextResolver(_ => null, null).Resolve(new ConnectionSettings { AccessKey = "AK", SecretKey = "SK", ProjectId = "p", Endpoint = new Uri("http://127.0.0.1:1"), RateLimit = 0 });
        var client = new SmartLiveClient(context, transport: new MetaStudioTransport(new HttpClient(handler)));

        var e = await Assert.ThrowsAsync<MetaStudioServiceException>(() => client.ListPageAsync(new SmartLiveJobQuery { RoomId = "r" }, 0, 10, CancellationToken.None));

        Assert.Contains("Retry-After", e.Message, StringComparison.Ordinal);
        Assert.Contains("7,200 s", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task DeeplyNestedJsonIsNotRetried()
    {
        string deep = "{\"smart_live_jobs\":" + new string('[', 300) + new string(']', 300) + "}";
        var handler = new Scripted((offset, limit, n) => (HttpStatusCode.OK, deep));
        var context = new ContextResolver(_ => null, null).Resolve(new ConnectionSettings { AccessKey = "AK", SecretKey = "SK", ProjectId = "p", Endpoint = new Uri("http://127.0.0.1:1"), RateLimit = 0 });

        var e = await Assert.ThrowsAsync<MetaStudioServiceException>(() =>
            new SmartLiveClient(context, transport: new MetaStudioTransport(new HttpClient(handler))).ListPageAsync(new SmartLiveJobQuery { RoomId = "r" }, 0, 10, CancellationToken.None));

        Assert.Equal(ServiceErrorKind.InvalidResponse, e.Kind);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public void HalfASurrogatePairIsRefusedInAnId()
    {
        // Built here: test data passed through the runner would have its lone surrogates replaced.
        foreach (string id in new[] { "a" + '\ud800' + "b", '\udc00'.ToString(), "x" + '\ud83d' })
        {
            var e = Assert.Throws<ArgumentException>(() => SmartLiveJobQuery.ValidatePathSegment(id, "RoomId"));
            Assert.Contains("surrogate", e.Message, StringComparison.Ordinal);
        }

        SmartLiveJobQuery.ValidatePathSegment("room-🙂", "RoomId"); // a whole pair is fine
    }

    [Fact]
    public void ARoomIdObjectThatContainsItselfIsRefusedWithoutCrashing()
    {
        using var pwsh = new HostedPowerShell();

        var result = pwsh.Run("$o = [pscustomobject]@{}; $o | Add-Member RoomId $o; Get-MSSmartLiveJob -RoomId $o");

        Assert.NotNull(result.FirstError);
        Assert.Contains("nested too deeply", result.FirstError!.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, pwsh.Invoke("1 + 1").Single().BaseObject);
    }

    [Theory]
    [InlineData("metastudio:\n- id: local-1\n  endpoint: https://a.example.com\n", "https://a.example.com")]
    [InlineData("metastudio:\n  - {id: local-1, endpoints: [https://a.example.com, 'https://b.example.com']}\n", "https://a.example.com,https://b.example.com")]
    [InlineData("metastudio:\n  - id: local-1\n    endpoints:\n      - https://a.example.com\n", "https://a.example.com")]
    public void TheRegionsFileReadsTheSdksShapes(string text, string endpoints)
    {
        var regions = RegionsFile.Parse(text, "regions.yaml");
        Assert.Equal(endpoints, string.Join(",", regions["local-1"].Endpoints));
    }

    [Theory]
    [InlineData("metastudio:\n  - id: local-1\n    extra:\n      endpoint: https://evil.example.com\n    endpoint: https://a.example.com\n", "line 3")]
    [InlineData("metastudio:\n  - id: local-1\n\tendpoint: https://a.example.com\n", "tabs")]
    [InlineData("metastudio:\n  - id: local-1\n    id: local-2\n    endpoint: https://a.example.com\n", "'id' again")]
    [InlineData("metastudio:\n  - id: local-1\n    endpoint: https://a.example.com\n      endpoint: https://evil.example.com\n", "line 4")]
    public void TheRegionsFileRefusesWhatItCannotReadSafely(string text, string expected)
    {
        var e = Assert.Throws<MetaStudioConfigurationException>(() => RegionsFile.Parse(text, "regions.yaml"));
        Assert.Equal("RegionsFileInvalid", e.ErrorId);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private sealed class RetryAfterHandler(TimeSpan wait) : HttpMessageHandler
    {
        private int requests;

        public int Requests => requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref requests);
            var response = new HttpResponseMessage((HttpStatusCode)429) { Content = new StringContent("{\"error_code\":\"APIGW.0308\",\"error_msg\":\"throttled\"}", Encoding.UTF8, "application/json") };
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
            return Task.FromResult(response);
        }
    }
}
