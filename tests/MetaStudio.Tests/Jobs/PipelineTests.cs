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

    [Fact]
    public void EachDistinctRoomIsListedOncePerPipeline()
    {
        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -First 3 | Get-MSSmartLiveJob -State FAILED -Verbose", Room(0));
        var listed = result.Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId).ToList();
        var failed = fixture.Server.Store.JobsOf(Room(0))
            .Where(j => System.Text.Json.JsonDocument.Parse(j.Json).RootElement.GetProperty("state").GetString() == "FAILED").Select(j => j.JobId).ToList();

        Assert.NotEmpty(failed);
        Assert.Equal(failed.OrderBy(id => id, StringComparer.Ordinal), listed.OrderBy(id => id, StringComparer.Ordinal));
        Assert.Single(fixture.Server.Requests, r => r.Query.Contains("state=FAILED", StringComparison.Ordinal));
        Assert.Equal(2, result.Verbose.Count(v => v.Contains(Room(0), StringComparison.Ordinal) && v.Contains("already listed", StringComparison.Ordinal)));
    }

    [Fact]
    public void RepeatedRoomIdsAreListedOnceWhetherPipedOrGiven()
    {
        var piped = pwsh.Run("$args[0], $args[1], $args[0], $args[1] | Get-MSSmartLiveJob -First 1", Room(0), Room(1)).Output;
        var given = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0], $args[0], $args[1] -First 1", Room(0), Room(1)).Output;

        Assert.Equal(new[] { Room(0), Room(1) }, piped.Select(o => ((SmartLiveJob)o.BaseObject).RoomId));
        Assert.Equal(new[] { Room(0), Room(1) }, given.Select(o => ((SmartLiveJob)o.BaseObject).RoomId));
        Assert.Equal(4, fixture.Server.Requests.Count);
    }

    [Theory]
    [InlineData("@{ a = 1 }", "System.Collections.Hashtable")]
    [InlineData("@{ RoomId = 'fields-room' }", "System.Collections.Hashtable")]
    [InlineData("{ 'fields-room' }", "System.Management.Automation.ScriptBlock")]
    [InlineData("42", "System.Int32")]
    [InlineData("[datetime]'2026-01-05'", "System.DateTime")]
    [InlineData("[pscustomobject]@{ Name = 'no room id' }", "System.Management.Automation.PSCustomObject")]
    [InlineData("[pscustomobject]@{ RoomId = @{ a = 1 } }", "System.Collections.Hashtable")]
    public void NonStringPipelineInputIsRefusedNamingItsType(string expression, string type)
    {
        var result = pwsh.Run($"{expression}, 'fields-room' | Get-MSSmartLiveJob -First 1; 'next'");

        var error = Assert.Single(result.Errors);
        Assert.Contains(type, error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("RoomId", error.Exception.Message, StringComparison.Ordinal);
        Assert.Null(result.Terminating);
        Assert.Equal(JobsFixture.FieldsRoom, ((SmartLiveJob)result.Output[0].BaseObject).RoomId); // the next input still runs
        Assert.Equal("next", result.Output[1].BaseObject);
        Assert.Equal(2, result.Output.Count);
        Assert.All(fixture.Server.Requests, r => Assert.Contains("/smart-live-rooms/fields-room/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void StringsAndObjectsWithARoomIdBindFromThePipeline()
    {
        var result = pwsh.Run(
            "'fields-room', [pscustomobject]@{ RoomId = $args[0] }, (Get-MSSmartLiveJob -RoomId $args[1] -First 1), [guid]$args[2] | Get-MSSmartLiveJob -State FAILED -First 1",
            Room(0), Room(1), Room(2));

        Assert.Empty(result.Errors);
        Assert.Equal(new[] { JobsFixture.FieldsRoom, Room(0), Room(1), Room(2) }, result.Output.Select(o => ((SmartLiveJob)o.BaseObject).RoomId));
    }

    [Fact]
    public void OnTheCommandLineANonStringRoomIdIsRefusedButDigitsAndJobsAreRoomIds()
    {
        var hashtable = pwsh.Run("Get-MSSmartLiveJob -RoomId @{ a = 1 }");
        Assert.Contains("System.Collections.Hashtable", hashtable.FirstError!.Exception.Message, StringComparison.Ordinal);

        var job = pwsh.Run("$j = Get-MSSmartLiveJob -RoomId $args[0] -First 1; Get-MSSmartLiveJob -RoomId $j -First 1", Room(2));
        Assert.Empty(job.Errors);
        Assert.Equal(Room(2), ((SmartLiveJob)Assert.Single(job.Output).BaseObject).RoomId);

        fixture.Server.ClearRequests();
        var digits = pwsh.Run("Get-MSSmartLiveJob -RoomId 12345");
        Assert.Empty(digits.Errors);
        Assert.Contains("/smart-live-rooms/12345/", Assert.Single(fixture.Server.Requests).Path, StringComparison.Ordinal);
    }
}
