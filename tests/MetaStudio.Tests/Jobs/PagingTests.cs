using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MetaStudio.Client.Models;
using MetaStudio.Emulator.Data;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Jobs;

/// <summary>Paging: every job once, in order, streamed page by page; -First, -Skip, -IncludeTotalCount; early stops.</summary>
public class PagingTests : IClassFixture<JobsFixture>, IDisposable
{
    private readonly JobsFixture fixture;
    private readonly HostedPowerShell pwsh;

    public PagingTests(JobsFixture fixture)
    {
        this.fixture = fixture;
        fixture.Server.ClearFaults();
        pwsh = new HostedPowerShell().ConnectTo(fixture.Server);
        fixture.Server.ClearRequests();
    }

    private string Room => fixture.Server.Store.Rooms[1].RoomId;

    /// <summary>The room's jobs in the API's default order (create time, then job id).</summary>
    private List<string> ExpectedOrder(string? room = null) =>
        fixture.Server.DefaultOrder(room ?? Room);

    private List<string> Offsets => fixture.Server.Requests.Select(r => r.Query).ToList();

    public void Dispose()
    {
        fixture.Server.ClearFaults();
        pwsh.Dispose();
    }

    [Fact]
    public void ListsEveryJobOnceInOrderAcrossPages()
    {
        var jobs = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0]", Room).Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId!).ToList();

        Assert.Equal(ExpectedOrder(), jobs);
        // Pages 2 and 3 are requested ahead together, so the server may answer them in either order.
        Assert.Equal(new[] { "limit=100&offset=0", "limit=100&offset=100", "limit=100&offset=200" }, Offsets.OrderBy(o => o.Length).ThenBy(o => o, StringComparer.Ordinal));
    }

    [Fact]
    public void SmallPagesWalkUntilTheCountIsReached()
    {
        var jobs = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -PageSize 50", Room).Output;

        Assert.Equal(250, jobs.Count);
        Assert.Equal(5, fixture.Server.Requests.Count); // 250 / 50: the fifth page reaches the count, no sixth request
    }

    [Fact]
    public void FirstShrinksTheLastPage()
    {
        var jobs = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -First 150", Room).Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId);

        Assert.Equal(ExpectedOrder().Take(150), jobs);
        Assert.Equal(new[] { "limit=100&offset=0", "limit=50&offset=100" }, Offsets);
    }

    [Fact]
    public void SkipStartsAtThatOffset()
    {
        var jobs = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -Skip 240", Room).Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId);

        Assert.Equal(ExpectedOrder().Skip(240), jobs);
        Assert.Equal(new[] { "limit=100&offset=240" }, Offsets);
    }

    [Fact]
    public void SkipAndFirstTogether()
    {
        var jobs = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -Skip 95 -First 10 -PageSize 100", Room).Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId);

        Assert.Equal(ExpectedOrder().Skip(95).Take(10), jobs);
        Assert.Equal(new[] { "limit=10&offset=95" }, Offsets);
    }

    [Fact]
    public void IncludeTotalCountWritesTheApiCountFirst()
    {
        var output = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -First 3 -IncludeTotalCount", Room).Output;

        Assert.Equal(4, output.Count);
        Assert.Equal(250UL, output[0].BaseObject);
        Assert.All(output.Skip(1), o => Assert.IsType<SmartLiveJob>(o.BaseObject));
    }

    [Fact]
    public void IncludeTotalCountOfAnEmptyListingIsZero()
    {
        var output = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -State CANCELED -IncludeTotalCount 3>$null", Room).Output;
        Assert.Equal(0UL, Assert.Single(output).BaseObject);
    }

    [Fact]
    public void TheFirstJobReachesThePipelineBeforeTheSecondPageIsRequested()
    {
        var counts = pwsh.Run("$server = $args[1]; Get-MSSmartLiveJob -RoomId $args[0] -PageSize 10 | ForEach-Object { $server.ReceivedCount }", Room, fixture.Server).Output
            .Select(o => (int)o.BaseObject).ToList();

        Assert.Equal(250, counts.Count);
        Assert.Equal(1, counts[0]);
        Assert.InRange(counts[10], 2, 6); // then pages are requested ahead, at most four at a time
        Assert.Equal(25, fixture.Server.Requests.Count);
    }

    [Fact]
    public void WithAThrottleLimitOfOnePagesAreRequestedOneAfterAnother()
    {
        var counts = pwsh.Run("$server = $args[1]; Get-MSSmartLiveJob -RoomId $args[0] -PageSize 10 -ThrottleLimit 1 | ForEach-Object { $server.ReceivedCount }", Room, fixture.Server).Output
            .Select(o => (int)o.BaseObject).ToList();

        Assert.Equal(Enumerable.Range(0, 250).Select(i => (i / 10) + 1), counts);
    }

    [Fact]
    public void PagesRequestedAheadAreWrittenInOrder()
    {
        fixture.Server.LatencyMs = 0;
        var ahead = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -PageSize 7 -ThrottleLimit 16", Room).Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId!).ToList();
        Assert.Equal(ExpectedOrder(), ahead);
    }

    [Fact]
    public void StoppingEarlyCancelsThePagesInFlight()
    {
        fixture.Server.LatencyMs = 300;
        try
        {
            var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -PageSize 10 | Select-Object -First 12", Room);
            Assert.Equal(12, result.Output.Count);
            Assert.Empty(result.Errors);

            // Pages 3 to 6 were in flight when the stop came; the client went away without waiting for them.
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (fixture.Server.Requests.Count < fixture.Server.ReceivedCount && DateTime.UtcNow < deadline)
            {
                System.Threading.Thread.Sleep(20);
            }

            Assert.Contains(fixture.Server.Requests, r => r.Status == 499);
        }
        finally
        {
            fixture.Server.LatencyMs = 0;
        }
    }

    [Fact]
    public void ADownstreamStopEndsTheFetchWithoutAnError()
    {
        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -PageSize 10 | Select-Object -First 5", Room);

        Assert.Equal(5, result.Output.Count);
        Assert.Empty(result.Errors);
        Assert.Null(result.Terminating);
        Assert.Single(fixture.Server.Requests);
        Assert.Empty(pwsh.Run("$Error").Output);
    }

    [Fact]
    public void AStopAtAPageBoundaryRequestsNoFurtherPage()
    {
        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -PageSize 10 | Select-Object -First 10", Room);

        Assert.Equal(10, result.Output.Count);
        Assert.Single(fixture.Server.Requests);
    }

    [Fact]
    public void JobsAreNotWrittenTwiceWhenTheListShiftsBetweenPages()
    {
        string room = fixture.Server.Store.Rooms[2].RoomId;
        var before = ExpectedOrder(room);
        // Before the second page is answered, five jobs appear at the front: the second page repeats five of the first.
        fixture.Server.AddFault($"shift:5x1+1@{room}");

        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0]", room);
        var ids = result.Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId!).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(before, ids);
        Assert.Contains(result.Warnings, w => w.Contains("changed while it was being read", StringComparison.Ordinal) && w.Contains("255", StringComparison.Ordinal));
    }

    [Fact]
    public void ProjectListingCoversEveryRoom()
    {
        var output = pwsh.Run("Get-MSSmartLiveJob").Output.Select(o => (SmartLiveJob)o.BaseObject).ToList();

        Assert.Equal(fixture.Server.Store.JobCount, output.Count);
        Assert.Equal(fixture.Server.Store.Rooms.Count, output.Select(j => j.RoomId).Distinct().Count());
    }

    [Fact]
    public void SeveralRoomsAreListedInTurnEachWithItsOwnPaging()
    {
        string a = fixture.Server.Store.Rooms[0].RoomId;
        var output = pwsh.Run("$args[0], $args[1] | Get-MSSmartLiveJob -First 2 -IncludeTotalCount", a, JobsFixture.FieldsRoom).Output;

        Assert.Equal(250UL, output[0].BaseObject);
        Assert.Equal(a, ((SmartLiveJob)output[1].BaseObject).RoomId);
        Assert.Equal(3UL, output[3].BaseObject);
        Assert.Equal(JobsFixture.FieldsRoom, ((SmartLiveJob)output[4].BaseObject).RoomId);
        Assert.Equal(6, output.Count);
    }

    [Fact]
    public void FirstZeroWritesNothingAndSendsNoRequest()
    {
        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -First 0; Get-MSSmartLiveJob -First 0", Room);

        Assert.Empty(result.Output);
        Assert.Empty(result.Errors);
        Assert.Empty(fixture.Server.Requests);
    }

    [Fact]
    public void FirstZeroWithIncludeTotalCountWritesOnlyTheCount()
    {
        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -First 0 -IncludeTotalCount", Room);

        Assert.Empty(result.Errors);
        Assert.Equal(250UL, Assert.Single(result.Output).BaseObject);
        Assert.Equal("limit=1&offset=0", Assert.Single(fixture.Server.Requests).Query); // the API's smallest page, for its count
    }

    [Theory]
    [InlineData("-First 1")]
    [InlineData("-Skip 5")]
    [InlineData("-IncludeTotalCount")]
    public void PagingParametersAreRefusedWithJobIdBeforeAnyRequest(string paging)
    {
        string name = paging.Split(' ')[0].TrimStart('-');
        foreach (string script in new[]
        {
            $"Get-MSSmartLiveJob -RoomId $args[0] -JobId $args[1] {paging}",
            $"Get-MSSmartLiveJob -RoomId $args[0] -First 2 | Get-MSSmartLiveJob {paging}",
        })
        {
            fixture.Server.ClearRequests();

            // A terminating error: try/catch catches it, and nothing else is written.
            var result = pwsh.Run($"try {{ {script} }} catch {{ $_ }}", Room, fixture.Server.DefaultOrder(Room)[0]);

            var error = Assert.Single(result.Output).BaseObject as ErrorRecord;
            Assert.True(error != null, $"{script}: not a terminating error: {result.Output[0]}");
            Assert.Empty(result.Errors);
            Assert.Equal("PagingWithJobId,MetaStudio.Commands.GetMSSmartLiveJobCommand", error!.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(name, error.TargetObject);
            Assert.Contains($"-{name}", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("-JobId", error.Exception.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(fixture.Server.Requests, r => r.Path.Contains("/smart-live-jobs/", StringComparison.Ordinal)); // no ShowSmartLive
        }
    }
}
