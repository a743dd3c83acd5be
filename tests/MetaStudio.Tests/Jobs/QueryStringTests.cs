using System;
using System.Linq;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Jobs;

/// <summary>The exact request each parameter combination produces, as the emulator received it.</summary>
public class QueryStringTests : IClassFixture<JobsFixture>, IDisposable
{
    private readonly JobsFixture fixture;
    private readonly HostedPowerShell pwsh;

    public QueryStringTests(JobsFixture fixture)
    {
        this.fixture = fixture;
        pwsh = new HostedPowerShell().ConnectTo(fixture.Server);
        fixture.Server.ClearRequests();
    }

    private string Room => fixture.Server.Store.Rooms[0].RoomId;

    private static string Project => EmulatorOptions.DemoProjectId;

    public void Dispose() => pwsh.Dispose();

    private RecordedRequest FirstRequestOf(string script, params object[] args)
    {
        var result = pwsh.Run(script, args);
        Assert.True(result.FirstError is null, result.FirstError?.ToString());
        return fixture.Server.Requests.First();
    }

    [Theory]
    [InlineData("", "limit=100&offset=0")]
    [InlineData("-PageSize 7", "limit=7&offset=0")]
    [InlineData("-State succeed,Failed", "limit=100&offset=0&state=SUCCEED%2CFAILED")]
    [InlineData("-State PROCESSING", "limit=100&offset=0&state=PROCESSING")]
    [InlineData("-SortKey CreateTime", "limit=100&offset=0&sort_key=create_time")]
    [InlineData("-SortKey UpdateTime -Descending", "limit=100&offset=0&sort_dir=desc&sort_key=update_time")]
    [InlineData("-SortKey assetorder", "limit=100&offset=0&sort_key=asset_order")]
    [InlineData("-SortKey update_time", "limit=100&offset=0&sort_key=update_time")]
    [InlineData("-Descending", "limit=100&offset=0&sort_dir=desc")]
    [InlineData("-CreateSince ([datetime]::new(2026,1,5,8,0,0,[DateTimeKind]::Utc))", "create_since=2026-01-05T08%3A00%3A00Z&limit=100&offset=0")]
    [InlineData("-CreateUntil ([datetime]::new(2026,1,6,23,59,59,999,[DateTimeKind]::Utc))", "create_until=2026-01-06T23%3A59%3A59Z&limit=100&offset=0")]
    [InlineData("-CreateSince ([datetimeoffset]::new(2026,1,5,16,0,0,[timespan]::FromHours(8)).UtcDateTime) -CreateUntil ([datetime]::new(2026,1,6,0,0,0,[DateTimeKind]::Utc))", "create_since=2026-01-05T08%3A00%3A00Z&create_until=2026-01-06T00%3A00%3A00Z&limit=100&offset=0")]
    [InlineData("-Skip 5 -First 3", "limit=3&offset=5")]
    [InlineData("-First 150", "limit=100&offset=0")]
    [InlineData("-Skip 1000", "limit=100&offset=1000")]
    [InlineData("-State WAITING -SortKey CreateTime -Descending -PageSize 50 -Skip 10", "limit=50&offset=10&sort_dir=desc&sort_key=create_time&state=WAITING")]
    public void RoomListing(string parameters, string expectedQuery)
    {
        var request = FirstRequestOf($"Get-MSSmartLiveJob -RoomId $args[0] {parameters}", Room);

        Assert.Equal("GET", request.Method);
        Assert.Equal($"/v1/{Project}/smart-live-rooms/{Room}/smart-live-jobs", request.Path);
        Assert.Equal(expectedQuery, request.Query);
    }

    [Theory]
    [InlineData("Local")]
    [InlineData("Unspecified")]
    public void LocalAndUnspecifiedTimesAreSentAsUtc(string kind)
    {
        var local = new DateTime(2026, 1, 5, 8, 0, 0, DateTimeKind.Local);
        string expected = Uri.EscapeDataString(local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));

        var request = FirstRequestOf($"Get-MSSmartLiveJob -RoomId $args[0] -CreateSince ([datetime]::new(2026,1,5,8,0,0,[DateTimeKind]::{kind}))", Room);

        Assert.Equal($"create_since={expected}&limit=100&offset=0", request.Query);
    }

    [Theory]
    [InlineData("", "limit=100&offset=0")]
    [InlineData("-RoomName 美妆", "limit=100&offset=0&room_name=%E7%BE%8E%E5%A6%86")]
    [InlineData("-RoomName 'Demo Room' -State FAILED", "limit=100&offset=0&room_name=Demo%20Room&state=FAILED")]
    public void ProjectListing(string parameters, string expectedQuery)
    {
        var request = FirstRequestOf($"Get-MSSmartLiveJob {parameters}");

        Assert.Equal($"/v1/{Project}/smart-live-jobs", request.Path);
        Assert.Equal(expectedQuery, request.Query);
    }

    [Fact]
    public void ShowJob()
    {
        string job = fixture.Server.Store.JobsOf(Room)[7].JobId;
        var request = FirstRequestOf("Get-MSSmartLiveJob -RoomId $args[0] -JobId $args[1]", Room, job);

        Assert.Equal($"/v1/{Project}/smart-live-rooms/{Room}/smart-live-jobs/{job}", request.Path);
        Assert.Equal("", request.Query);
    }

    [Theory]
    [InlineData("room@cn:01", "room%40cn%3A01")]
    [InlineData("直播间-01", "%E7%9B%B4%E6%92%AD%E9%97%B4-01")]
    [InlineData("a+b=c&d", "a%2Bb%3Dc%26d")]
    [InlineData("tilde~dot.under_score-dash", "tilde~dot.under_score-dash")]
    public void RoomIdIsEscapedAsOnePathSegment(string room, string escaped)
    {
        var request = FirstRequestOf("Get-MSSmartLiveJob -RoomId $args[0]", room);
        Assert.Equal($"/v1/{Project}/smart-live-rooms/{escaped}/smart-live-jobs", request.Path);
    }

    [Fact]
    public void EveryRequestIsSignedWithProjectAndDate()
    {
        var request = FirstRequestOf("Get-MSSmartLiveJob -RoomId $args[0] -First 1", Room);

        Assert.StartsWith($"SDK-HMAC-SHA256 Access={EmulatorOptions.DemoAccessKey}, SignedHeaders=host;user-agent;x-project-id;x-sdk-date, Signature=", request.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal(Project, request.Headers["X-Project-Id"]);
        Assert.Matches("^MetaStudio-PowerShell/[0-9.]+", request.Headers["User-Agent"]);
    }
}
