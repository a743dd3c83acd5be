using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Http;
using MetaStudio.Client.SmartLive;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Lifecycle;

/// <summary>
/// Answers a hostile or broken service gives to the lifecycle's requests: bodies that cannot be
/// decompressed, unusable job ids, a gateway that keeps saying the signature expired, and a wait that
/// the service stalls or throttles past -TimeoutSec.
/// </summary>
public sealed class HostileAnswerTests
{
    private static SmartLiveClient Client(HttpMessageHandler handler, int maxRetry = 3, int timeoutSec = 2) => new(new ContextResolver(_ => null, null).Resolve(new ConnectionSettings
    {
        AccessKey = "AK", SecretKey = "SK", ProjectId = "p", Endpoint = new Uri("http://127.0.0.1:1"), RateLimit = 0, MaxRetry = maxRetry, TimeoutSec = timeoutSec,
    }), transport: new MetaStudioTransport(new HttpClient(handler)));

    private static HttpResponseMessage Json(HttpStatusCode status, string json) => new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>What a gzip-encoded answer with a garbage body gives the reader: decompression throws InvalidDataException.</summary>
    private static HttpResponseMessage CorruptGzip(HttpStatusCode status)
    {
        var garbage = new MemoryStream(Enumerable.Range(0, 64).Select(i => (byte)(0x1f ^ i * 37)).ToArray());
        var content = new StreamContent(new GZipStream(garbage, CompressionMode.Decompress));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(status) { Content = content };
    }

    private static string ShowBody(string state) => $"{{\"job_id\":\"j1\",\"room_id\":\"r1\",\"state\":\"{state}\"}}";

    [Fact]
    public async Task AStartAnsweredWithABodyThatCannotBeDecompressedHasAnUnknownOutcome()
    {
        var handler = new ScriptedHandler((n, _, _) => Task.FromResult(CorruptGzip(HttpStatusCode.Accepted)));

        var e = await Assert.ThrowsAsync<MetaStudioServiceException>(() => Client(handler).StartAsync("r1", StartSmartLiveBody.From(null), CancellationToken.None));

        Assert.Equal(1, handler.Requests);
        Assert.Equal(ServiceErrorKind.InvalidResponse, e.Kind);
        Assert.True(e.OutcomeUnknown);
        Assert.Contains("could not be decompressed", e.Message, StringComparison.Ordinal);
        Assert.Contains("outcome is unknown", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReadAnsweredWithABodyThatCannotBeDecompressedIsRetried()
    {
        var handler = new ScriptedHandler((n, _, _) => Task.FromResult(n == 1 ? CorruptGzip(HttpStatusCode.OK) : Json(HttpStatusCode.OK, ShowBody("PROCESSING"))));

        var job = await Client(handler).ShowAsync("r1", "j1", CancellationToken.None);

        Assert.Equal(("j1", "PROCESSING"), (job.JobId, job.State));
        Assert.Equal(2, handler.Requests);
    }

    [Theory]
    [InlineData("../../x")]
    [InlineData("a/b")]
    [InlineData("j\u001b]0;owned\u0007")]
    public async Task AStartAnsweredWithAJobIdThatCannotBeUsedHasAnUnknownOutcome(string jobId)
    {
        string json = "{\"job_id\":" + System.Text.Json.JsonSerializer.Serialize(jobId) + "}";
        var handler = new ScriptedHandler((n, _, _) => Task.FromResult(Json(HttpStatusCode.Accepted, json)));

        var e = await Assert.ThrowsAsync<MetaStudioServiceException>(() => Client(handler).StartAsync("r1", StartSmartLiveBody.From(null), CancellationToken.None));

        Assert.Equal(1, handler.Requests);
        Assert.Equal(ServiceErrorKind.InvalidResponse, e.Kind);
        Assert.True(e.OutcomeUnknown);
        Assert.Contains("job_id", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWriteIsSentAgainOnlyOnceAfterTheGatewaySaysItsSignatureExpired()
    {
        var handler = new ScriptedHandler((n, _, _) =>
        {
            var response = Json(HttpStatusCode.Unauthorized, "{\"error_code\":\"APIGW.0303\",\"error_msg\":\"Incorrect app authentication information: signature expired\"}");
            response.Headers.Date = DateTimeOffset.UtcNow.AddHours(1);
            return Task.FromResult(response);
        });

        var e = await Assert.ThrowsAsync<MetaStudioServiceException>(() => Client(handler).StopAsync("r1", "j1", CancellationToken.None));

        Assert.Equal(401, e.StatusCode);
        Assert.Equal(2, handler.Requests);
    }

    [Fact]
    public async Task AWaitTheServiceStallsEndsAsTimedOutWithTheLastStateSeen()
    {
        // Answered once (WAITING), then never: each later request hangs past the connection's 5 s per attempt.
        var handler = new ScriptedHandler(async (n, _, token) =>
        {
            if (n > 1)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return Json(HttpStatusCode.OK, ShowBody("WAITING"));
        });
        var waiter = new JobWaiter(Client(handler, maxRetry: 2, timeoutSec: 5), new[] { "PROCESSING" }, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));

        var outcome = Assert.Single(await waiter.WaitAsync(new[] { ("r1", "j1") }, CancellationToken.None).ToListAsync());

        Assert.Equal(WaitResult.TimedOut, outcome.Result);
        Assert.Equal("WAITING", outcome.Job?.State);
        Assert.Null(outcome.Error);
    }

    [Fact]
    public async Task AWaitTheServiceThrottlesEndsAsTimedOutRatherThanWaitingOutItsRetryAfter()
    {
        var handler = new ScriptedHandler((n, _, _) =>
        {
            if (n == 1)
            {
                return Task.FromResult(Json(HttpStatusCode.OK, ShowBody("WAITING")));
            }

            var response = Json((HttpStatusCode)429, "{\"error_code\":\"APIGW.0308\",\"error_msg\":\"The request is throttled.\"}");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(50));
            return Task.FromResult(response);
        });
        var waiter = new JobWaiter(Client(handler, maxRetry: 1), new[] { "PROCESSING" }, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));

        var outcome = Assert.Single(await waiter.WaitAsync(new[] { ("r1", "j1") }, CancellationToken.None).ToListAsync());

        Assert.Equal(WaitResult.TimedOut, outcome.Result);
        Assert.Equal("WAITING", outcome.Job?.State);
    }
}
