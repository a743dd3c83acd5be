using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using MetaStudio.Emulator.Faults;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Emulator;

/// <summary>Every fault rule does what it says, to exactly the requests it names.</summary>
public class EmulatorFaultTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture fixture;
    private readonly SignedHttp http;

    public EmulatorFaultTests(EmulatorFixture fixture)
    {
        this.fixture = fixture;
        fixture.Server.ClearFaults();
        fixture.Server.RateLimit = 0;
        fixture.Server.LatencyMs = 0;
        http = new SignedHttp(fixture.BaseAddress, TimeSpan.FromSeconds(10));
    }

    private string Room => fixture.Server.Store.Rooms[1].RoomId;

    public void Dispose()
    {
        fixture.Server.ClearFaults();
        http.Dispose();
    }

    [Theory]
    [InlineData(500, "MSS.00000002")]
    [InlineData(502, "MSS.00000002")]
    [InlineData(503, "MSS.00000002")]
    [InlineData(504, "APIGW.0201")]
    [InlineData(429, "APIGW.0308")]
    [InlineData(403, "MSS.00000004")]
    public async Task StatusFaultAnswersTheNextNRequests(int status, string code)
    {
        fixture.Server.AddFault($"status:{status}x2");

        for (int i = 0; i < 2; i++)
        {
            using var failed = await http.GetAsync(http.RoomJobs(Room));
            Assert.Equal(status, (int)failed.StatusCode);
            Assert.Equal(code, (await SignedHttp.ErrorOf(failed)).Code);
            Assert.True(failed.Headers.Contains("X-Request-Id"));
        }

        using var ok = await http.GetAsync(http.RoomJobs(Room));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task SkipLetsEarlierRequestsThroughAndPathTextScopesTheRule()
    {
        var other = fixture.Server.Store.Rooms[2].RoomId;
        fixture.Server.AddFault($"status:500x1+1@{Room}");

        using var first = await http.GetAsync(http.RoomJobs(Room));
        using var otherRoom = await http.GetAsync(http.RoomJobs(other));
        using var second = await http.GetAsync(http.RoomJobs(Room));
        using var third = await http.GetAsync(http.RoomJobs(Room));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherRoom.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task RetryAfterInSeconds()
    {
        fixture.Server.AddFault("retry-after:3");
        using var response = await http.GetAsync(http.RoomJobs(Room));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter!.Delta);
        Assert.Equal("APIGW.0308", (await SignedHttp.ErrorOf(response)).Code);
    }

    [Fact]
    public async Task RetryAfterAsAnHttpDate()
    {
        fixture.Server.AddFault("retry-after-date:30");
        using var response = await http.GetAsync(http.RoomJobs(Room));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var date = response.Headers.RetryAfter!.Date!.Value;
        Assert.InRange(date - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public async Task ResetDropsTheConnection()
    {
        fixture.Server.AddFault("reset");
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(http.RoomJobs(Room)));

        using var next = await http.GetAsync(http.RoomJobs(Room));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task ResetMidBodyFailsWhileReadingTheBody()
    {
        fixture.Server.AddFault("reset-mid-body");
        var ex = await Record.ExceptionAsync(async () =>
        {
            using var response = await http.GetAsync(http.RoomJobs(Room), ("limit", "100"));
            await response.Content.ReadAsByteArrayAsync();
        });

        Assert.True(ex is HttpRequestException or IOException, $"unexpected {ex?.GetType()}");
    }

    [Fact]
    public async Task TruncateEndsTheJsonHalfWay()
    {
        fixture.Server.AddFault("truncate");
        using var response = await http.GetAsync(http.RoomJobs(Room), ("limit", "20"));
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("{\"count\":", body, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task MalformedIsBrokenJson()
    {
        fixture.Server.AddFault("malformed");
        using var response = await http.GetAsync(http.RoomJobs(Room));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(response.Content.ReadAsStringAsync().Result));
    }

    [Fact]
    public async Task HtmlIsAProxyErrorPage()
    {
        fixture.Server.AddFault("html:502");
        using var response = await http.GetAsync(http.RoomJobs(Room));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<html>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StallOutlastsAClientTimeout()
    {
        fixture.Server.AddFault("stall:5000");
        using var impatient = new SignedHttp(fixture.BaseAddress, TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync(impatient.RoomJobs(Room)));
    }

    [Fact]
    public async Task TrickleDeliversTheWholeBodySlowly()
    {
        var expected = await http.GetJsonAsync(http.RoomJobs(Room), ("limit", "3"));
        fixture.Server.AddFault("trickle:5");
        var started = DateTime.UtcNow;

        var trickled = await http.GetJsonAsync(http.RoomJobs(Room), ("limit", "3"));

        Assert.Equal(expected.GetRawText(), trickled.GetRawText());
        int pieces = (expected.GetRawText().Length + 63) / 64;
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(5 * (pieces - 1)), "the body came in one piece");
    }

    [Fact]
    public async Task ShiftInsertsJobsAtTheFrontBeforeAnswering()
    {
        var before = await http.GetJsonAsync(http.RoomJobs(Room), ("limit", "5"));
        fixture.Server.AddFault("shift:3");

        var after = await http.GetJsonAsync(http.RoomJobs(Room), ("limit", "5"));

        Assert.Equal(before.GetProperty("count").GetInt32() + 3, after.GetProperty("count").GetInt32());
        var ids = after.GetProperty("smart_live_jobs").EnumerateArray().Select(j => j.GetProperty("job_id").GetString()!).ToList();
        Assert.All(ids.Take(3), id => Assert.StartsWith("shifted-", id, StringComparison.Ordinal));
        Assert.Equal(before.GetProperty("smart_live_jobs")[0].GetProperty("job_id").GetString(), ids[3]);
    }

    [Fact]
    public async Task RateLimitAnswersExcessRequestsWithGatewayThrottling()
    {
        // One request per 5 s: of a quick burst of 12, the first passes and the rest are throttled.
        fixture.Server.RateLimit = 0.2;
        try
        {
            var statuses = new System.Collections.Generic.List<int>();
            string? lastError = null;
            for (int i = 0; i < 12; i++)
            {
                using var r = await http.GetAsync(http.RoomJobs(Room), ("limit", "1"));
                statuses.Add((int)r.StatusCode);
                if (r.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    lastError = (await SignedHttp.ErrorOf(r)).Code;
                }
            }

            Assert.Equal(200, statuses[0]);
            Assert.Equal(11, statuses.Count(s => s == 429));
            Assert.Equal("APIGW.0308", lastError);
        }
        finally
        {
            fixture.Server.RateLimit = 0;
        }
    }

    [Fact]
    public async Task LatencyDelaysEveryResponse()
    {
        fixture.Server.LatencyMs = 150;
        try
        {
            var started = DateTime.UtcNow;
            using var response = await http.GetAsync(http.RoomJobs(Room));
            Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(140));
        }
        finally
        {
            fixture.Server.LatencyMs = 0;
        }
    }

    [Theory]
    [InlineData("status:503x2+1@/rooms", FaultKind.Status, 503, 2, 1, "/rooms")]
    [InlineData("retry-after", FaultKind.RetryAfter, 1, 1, 0, null)]
    [InlineData("reset-mid-body x3", null, 0, 0, 0, null)]
    [InlineData("status:200", null, 0, 0, 0, null)]
    [InlineData("explode", null, 0, 0, 0, null)]
    [InlineData("stall:40000x1", FaultKind.Stall, 40000, 1, 0, null)]
    public void RulesParseOrFailClearly(string text, FaultKind? kind, int argument, int count, int skip, string? path)
    {
        if (kind is null)
        {
            Assert.Throws<FormatException>(() => FaultRule.Parse(text));
            return;
        }

        var rule = FaultRule.Parse(text);
        Assert.Equal(kind, rule.Kind);
        Assert.Equal(argument, rule.Argument);
        Assert.Equal(count, rule.Count);
        Assert.Equal(skip, rule.Skip);
        Assert.Equal(path, rule.PathContains);
    }
}
