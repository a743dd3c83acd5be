using System;
using System.Linq;
using MetaStudio.Client.Models;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Jobs;

/// <summary>What binds from the pipeline, and filtering the output with Where-Object.</summary>
public class PipelineTests : IClassFixture<JobsFixture>, IDisposable
{
    private readonly JobsFixture fixture;
    private readonly HostedPowerShell pwsh;

    public PipelineTests(JobsFixture fixture)
    {
        this.fixture = fixture;
        pwsh = new HostedPowerShell().ConnectTo(fixture.Server);
        fixture.Server.ClearRequests();
    }

    private string Room(int i) => fixture.Server.Store.Rooms[i].RoomId;

    public void Dispose() => pwsh.Dispose();

    [Fact]
    public void StringsBindByValue()
    {
        var jobs = pwsh.Run("$args[0], $args[1] | Get-MSSmartLiveJob -First 1", Room(0), Room(1)).Output.Select(o => (SmartLiveJob)o.BaseObject);
        Assert.Equal(new[] { Room(0), Room(1) }, jobs.Select(j => j.RoomId));
    }

    [Fact]
    public void PositionalRoomIds()
    {
        var jobs = pwsh.Run("Get-MSSmartLiveJob $args[0] -First 2", Room(2)).Output.Select(o => (SmartLiveJob)o.BaseObject);
        Assert.All(jobs, j => Assert.Equal(Room(2), j.RoomId));
    }

    [Fact]
    public void RoomObjectsBindByPropertyName()
    {
        var jobs = pwsh.Run("[pscustomobject]@{ RoomId = $args[0]; RoomName = 'ignored' }, [pscustomobject]@{ RoomId = $args[1] } | Get-MSSmartLiveJob -First 1", Room(0), Room(1))
            .Output.Select(o => (SmartLiveJob)o.BaseObject);
        Assert.Equal(new[] { Room(0), Room(1) }, jobs.Select(j => j.RoomId));
        Assert.All(fixture.Server.Requests, r => Assert.EndsWith("/smart-live-jobs", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void JobObjectsPipedBackAreRefreshedOneByOne()
    {
        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -First 3 | Get-MSSmartLiveJob", Room(0));
        var refreshed = result.Output.Select(o => (SmartLiveJob)o.BaseObject).ToList();
        var expected = fixture.Server.DefaultOrder(Room(0)).Take(3);

        Assert.Equal(expected, refreshed.Select(j => j.JobId));
        Assert.Equal(1 + 3, fixture.Server.Requests.Count);
        Assert.All(fixture.Server.Requests.Skip(1), r => Assert.Contains("/smart-live-jobs/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void WhereObjectOnStateAndDuration()
    {
        var failedLong = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] | Where-Object { $_.State -eq 'FAILED' -and $_.Duration -gt 600 }", Room(0))
            .Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId).OrderBy(id => id, StringComparer.Ordinal);
        var expected = fixture.Server.Store.JobsOf(Room(0))
            .Select(j => System.Text.Json.JsonDocument.Parse(j.Json).RootElement)
            .Where(j => j.GetProperty("state").GetString() == "FAILED" && j.TryGetProperty("duration", out var d) && d.GetDouble() > 600)
            .Select(j => j.GetProperty("job_id").GetString()).OrderBy(id => id, StringComparer.Ordinal);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, failedLong);
    }

    [Fact]
    public void WhereObjectOnStartTimeComparesUtcDateTimes()
    {
        var cutoff = new DateTime(2026, 1, 6, 12, 0, 0, DateTimeKind.Utc);
        var later = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] | Where-Object StartTime -GT $args[1]", Room(1), cutoff)
            .Output.Select(o => (SmartLiveJob)o.BaseObject).ToList();

        Assert.NotEmpty(later);
        Assert.All(later, j => Assert.True(j.StartTime > cutoff && j.StartTime!.Value.Kind == DateTimeKind.Utc));
        int expected = fixture.Server.Store.JobsOf(Room(1)).Count(j =>
            System.Text.Json.JsonDocument.Parse(j.Json).RootElement.TryGetProperty("start_time", out var s) && s.GetDateTime().ToUniversalTime() > cutoff);
        Assert.Equal(expected, later.Count);
    }

    [Fact]
    public void GroupingByStateUsesPlainStrings()
    {
        var states = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] | ForEach-Object State", Room(0)).Output.Select(o => o.BaseObject).ToList();
        Assert.All(states, s => Assert.IsType<string>(s));
        Assert.Equal(new[] { "BLOCKED", "FAILED", "PROCESSING", "SUCCEED", "WAITING" }, states.Cast<string>().Distinct().OrderBy(s => s, StringComparer.Ordinal));
    }
}
