using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using MetaStudio.Emulator.Data;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Emulator;

/// <summary>ListSmartLive, ListSmartLiveJobs and ShowSmartLive semantics (API reference §1.3–1.7).</summary>
public class EmulatorQueryTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture fixture;
    private readonly SignedHttp http;

    public EmulatorQueryTests(EmulatorFixture fixture)
    {
        this.fixture = fixture;
        http = new SignedHttp(fixture.BaseAddress);
    }

    private string Room => fixture.Server.Store.Rooms[0].RoomId;

    private IReadOnlyList<StoredJob> RoomJobs => fixture.Server.Store.JobsOf(Room);

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task DefaultsToTenJobsFromOffsetZeroWithTheTotalCount()
    {
        var page = await http.GetJsonAsync(http.RoomJobs(Room));

        Assert.Equal(RoomJobs.Count, page.GetProperty("count").GetInt32());
        Assert.Equal(10, page.GetProperty("smart_live_jobs").GetArrayLength());
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("100", 60)]
    public async Task LimitBoundsAreAccepted(string limit, int expected)
    {
        var page = await http.GetJsonAsync(http.RoomJobs(Room), ("limit", limit));
        Assert.Equal(expected, page.GetProperty("smart_live_jobs").GetArrayLength());
    }

    [Theory]
    [InlineData("limit", "0")]
    [InlineData("limit", "101")]
    [InlineData("limit", "-1")]
    [InlineData("limit", "ten")]
    [InlineData("limit", "1.5")]
    [InlineData("offset", "-1")]
    [InlineData("offset", "2147483648")]
    [InlineData("offset", "")]
    [InlineData("state", "succeed")]
    [InlineData("state", "SUCCEED,")]
    [InlineData("sort_key", "name")]
    [InlineData("sort_dir", "DESC")]
    [InlineData("create_since", "2026-01-05")]
    [InlineData("create_since", "2026-01-05T01:00:00")]
    [InlineData("create_until", "yesterday")]
    public async Task InvalidParametersAreRejectedNamingTheParameter(string name, string value)
    {
        using var response = await http.GetAsync(http.RoomJobs(Room), (name, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message) = await SignedHttp.ErrorOf(response);
        Assert.Equal("MSS.00000003", code);
        Assert.Contains(name, message, StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("X-Request-Id"));
    }

    [Fact]
    public async Task MaximumOffsetGivesAnEmptyPageWithTheCount()
    {
        var page = await http.GetJsonAsync(http.RoomJobs(Room), ("offset", "2147483647"), ("limit", "100"));
        Assert.Equal(RoomJobs.Count, page.GetProperty("count").GetInt32());
        Assert.Equal(0, page.GetProperty("smart_live_jobs").GetArrayLength());
    }

    [Fact]
    public async Task StateFilterTakesACommaList()
    {
        var jobs = await http.ListAllAsync(http.RoomJobs(Room), 100, ("state", "SUCCEED,FAILED"));

        Assert.NotEmpty(jobs);
        Assert.All(jobs, j => Assert.Contains(j.GetProperty("state").GetString(), new[] { "SUCCEED", "FAILED" }));
        Assert.Equal(RoomJobs.Count(j => j.State is "SUCCEED" or "FAILED"), jobs.Count);
    }

    [Fact]
    public async Task RepeatedStatesMergeAndOtherRepeatsAreRejected()
    {
        var merged = await http.GetJsonAsync(http.RoomJobs(Room), ("state", "SUCCEED"), ("state", "FAILED"));
        Assert.Equal(RoomJobs.Count(j => j.State is "SUCCEED" or "FAILED"), merged.GetProperty("count").GetInt32());

        using var response = await http.GetAsync(http.RoomJobs(Room), ("limit", "5"), ("limit", "6"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("limit", (await SignedHttp.ErrorOf(response)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownStatesMatchNothing()
    {
        var page = await http.GetJsonAsync(http.RoomJobs(Room), ("state", "CANCELED"));
        Assert.Equal(0, page.GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("create_time", "asc")]
    [InlineData("create_time", "desc")]
    [InlineData("update_time", "asc")]
    [InlineData("update_time", "desc")]
    [InlineData("asset_order", "desc")]
    public async Task SortsByKeyAndDirectionWithJobIdBreakingTies(string? sortKey, string? sortDir)
    {
        var filters = new List<(string, string)>();
        if (sortKey != null)
        {
            filters.Add(("sort_key", sortKey));
        }

        if (sortDir != null)
        {
            filters.Add(("sort_dir", sortDir));
        }

        var jobs = await http.ListAllAsync(http.RoomJobs(Room), 100, filters.ToArray());
        var byId = RoomJobs.ToDictionary(j => j.JobId);
        Func<StoredJob, IComparable> key = sortKey switch
        {
            "update_time" => j => j.UpdateTime,
            "asset_order" => j => j.Sequence,
            _ => j => j.CreateTime,
        };
        var expected = (sortDir == "desc" ? RoomJobs.OrderByDescending(key) : RoomJobs.OrderBy(key))
            .ThenBy(j => j.JobId, StringComparer.Ordinal).Select(j => j.JobId);

        Assert.Equal(expected, jobs.Select(j => j.GetProperty("job_id").GetString()));
    }

    [Fact]
    public async Task CreateTimeBoundsAreInclusive()
    {
        var pivot = RoomJobs[RoomJobs.Count / 2].CreateTime;
        string at = pivot.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        var since = await http.ListAllAsync(http.RoomJobs(Room), 100, ("create_since", at));
        var until = await http.ListAllAsync(http.RoomJobs(Room), 100, ("create_until", at));
        var exactly = await http.ListAllAsync(http.RoomJobs(Room), 100, ("create_since", at), ("create_until", at));

        Assert.Equal(RoomJobs.Count(j => j.CreateTime >= pivot), since.Count);
        Assert.Equal(RoomJobs.Count(j => j.CreateTime <= pivot), until.Count);
        Assert.Equal(RoomJobs.Count(j => j.CreateTime == pivot), exactly.Count);
        Assert.NotEmpty(exactly);
    }

    [Fact]
    public async Task OffsetsWithAnOffsetZoneAreAccepted()
    {
        var pivot = RoomJobs[RoomJobs.Count / 2].CreateTime;
        string at = pivot.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

        var since = await http.ListAllAsync(http.RoomJobs(Room), 100, ("create_since", at));
        Assert.Equal(RoomJobs.Count(j => j.CreateTime >= pivot), since.Count);
    }

    [Fact]
    public async Task PagesCoverEveryJobOnceInOrder()
    {
        var all = await http.ListAllAsync(http.RoomJobs(Room), 7);
        var ids = all.Select(j => j.GetProperty("job_id").GetString()).ToList();

        Assert.Equal(RoomJobs.Count, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var single = await http.ListAllAsync(http.RoomJobs(Room), 100);
        Assert.Equal(single.Select(j => j.GetProperty("job_id").GetString()), ids);
    }

    [Fact]
    public async Task ProjectWideListingCoversEveryRoomAndFiltersByRoomName()
    {
        var all = await http.GetJsonAsync(http.AllJobs, ("limit", "1"));
        Assert.Equal(fixture.Server.Store.JobCount, all.GetProperty("count").GetInt32());

        var beauty = fixture.Server.Store.Rooms.Single(r => r.RoomName.Contains("美妆", StringComparison.Ordinal));
        var filtered = await http.ListAllAsync(http.AllJobs, 100, ("room_name", "美妆"));
        Assert.Equal(fixture.Server.Store.JobsOf(beauty.RoomId).Count, filtered.Count);
        Assert.All(filtered, j => Assert.Equal(beauty.RoomId, j.GetProperty("room_id").GetString()));

        var caseInsensitive = await http.GetJsonAsync(http.AllJobs, ("room_name", "demo ROOM"));
        Assert.True(caseInsensitive.GetProperty("count").GetInt32() > 0);
    }

    [Fact]
    public async Task RoomListingIgnoresRoomName()
    {
        var page = await http.GetJsonAsync(http.RoomJobs(Room), ("room_name", "no such room"));
        Assert.Equal(RoomJobs.Count, page.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task UnknownRoomListsNoJobs()
    {
        var page = await http.GetJsonAsync(http.RoomJobs("no-such-room"));
        Assert.Equal(0, page.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task ShowReturnsTheJobAndUnknownJobsAre404()
    {
        var job = RoomJobs[3];
        var shown = await http.GetJsonAsync(http.RoomJobs(Room) + "/" + job.JobId);
        Assert.Equal(job.JobId, shown.GetProperty("job_id").GetString());
        Assert.Equal(job.State, shown.GetProperty("state").GetString());

        using var missing = await http.GetAsync(http.RoomJobs(Room) + "/00000000-0000-0000-0000-000000000000");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var (code, message) = await SignedHttp.ErrorOf(missing);
        Assert.StartsWith("MSS.", code, StringComparison.Ordinal);
        Assert.Contains("00000000-0000-0000-0000-000000000000", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoutesAreGateway404s()
    {
        using var response = await http.GetAsync($"/v1/{http.ProjectId}/smart-live-configs/user-config");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("APIGW.0101", (await SignedHttp.ErrorOf(response)).Code);
    }

    [Fact]
    public async Task EveryResponseHasAUniqueRequestId()
    {
        var ids = new List<string>();
        foreach (var limit in new[] { "1", "2", "0" })
        {
            using var response = await http.GetAsync(http.RoomJobs(Room), ("limit", limit));
            ids.Add(response.Headers.GetValues("X-Request-Id").Single());
        }

        Assert.Equal(3, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
    }

    [Fact]
    public async Task RequestsAreRecordedAsSent()
    {
        using var response = await http.GetAsync(http.RoomJobs(Room), ("state", "FAILED,SUCCEED"), ("limit", "5"));
        var seen = fixture.Server.Requests.Last(r => r.RequestId == response.Headers.GetValues("X-Request-Id").Single());

        Assert.Equal("limit=5&state=FAILED%2CSUCCEED", seen.Query);
        Assert.Equal(http.RoomJobs(Room), seen.Path);
        Assert.Equal(200, seen.Status);
    }

    [Fact]
    public async Task TenConcurrentClientsGetConsistentPages()
    {
        var expected = (await http.ListAllAsync(http.RoomJobs(Room), 100)).Select(j => j.GetProperty("job_id").GetString()).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var client = new SignedHttp(fixture.BaseAddress);
            var jobs = await client.ListAllAsync(client.RoomJobs(Room), 3 + i);
            return jobs.Select(j => j.GetProperty("job_id").GetString()).ToList();
        }));

        Assert.All(results, r => Assert.Equal(expected, r));
    }
}
