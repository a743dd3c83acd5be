using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Models;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Lifecycle;

/// <summary>
/// Get-MSSmartLiveRoom against the emulator in a hosted engine: the listing (typed rooms, filters as
/// the API names them, paging), one room's full definition, the error for an unknown room, and rooms
/// piped on into Get-MSSmartLiveJob and Start-MSSmartLiveJob.
/// </summary>
public sealed class RoomCmdletTests : IClassFixture<LifecycleFixture>, IDisposable
{
    private readonly LifecycleFixture fixture;
    private readonly HostedPowerShell pwsh;

    public RoomCmdletTests(LifecycleFixture fixture)
    {
        this.fixture = fixture;
        fixture.Reset();
        pwsh = new HostedPowerShell().ConnectTo(fixture.Server);
    }

    public void Dispose() => pwsh.Dispose();

    private static Dictionary<string, string> QueryOf(string rawQuery) => rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);

    private static List<SmartLiveRoom> Rooms(RunResult result) => result.Output.Select(o => Assert.IsType<SmartLiveRoom>(o.BaseObject)).ToList();

    [Fact]
    public void TheListingWritesTypedRoomsInTheServicesOrderPageByPage()
    {
        var stored = fixture.Server.Store.Rooms;

        var result = pwsh.Run("Get-MSSmartLiveRoom -PageSize 4");

        Assert.Empty(result.Errors);
        var rooms = Rooms(result);
        Assert.Equal(stored.Select(r => r.RoomId), rooms.Select(r => r.RoomId));
        Assert.Equal(stored.Select(r => r.RoomName), rooms.Select(r => r.RoomName));
        Assert.Equal(stored.Select(r => r.RoomState), rooms.Select(r => r.RoomState));
        Assert.Equal(stored.Select(r => fixture.Server.Store.LastJobOf(r.RoomId)?.State), rooms.Select(r => r.LastJobStatus));
        Assert.Contains(rooms, r => r.LastJobStartTime is { Kind: DateTimeKind.Utc });
        Assert.All(rooms, r => Assert.False(r.IsDetailed)); // the listing's fields only
        var pages = fixture.Server.Requests.Select(r => QueryOf(r.Query)).ToList();
        Assert.All(pages, q => Assert.Equal("4", q["limit"]));
        Assert.Equal(Enumerable.Range(0, (stored.Count + 3) / 4).Select(i => (i * 4).ToString()), pages.Select(q => q["offset"]).OrderBy(int.Parse));
    }

    [Fact]
    public void EachFilterIsSentUnderTheApisNameInTheApisForm()
    {
        var result = pwsh.Run("Get-MSSmartLiveRoom -RoomName '直播 间' -DigitalHumanId dh-1 -ModelName Anna -LiveState success, NULL -RoomType normal " +
                              "-TemplateOwnType owned -ConfirmState Confirmed -StartTime $args[0] -EndTime $args[1]",
            new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), new DateTimeOffset(2026, 1, 3, 12, 0, 0, TimeSpan.FromHours(8)).LocalDateTime);

        Assert.Empty(result.Errors);
        var request = Assert.Single(fixture.Server.Requests);
        Assert.Equal($"/v1/{fixture.Project}/smart-live-rooms", request.Path);
        Assert.Equal(new Dictionary<string, string>
        {
            ["offset"] = "0", ["limit"] = "100", ["room_name"] = "直播 间", ["dh_id"] = "dh-1", ["model_name"] = "Anna",
            ["live_state"] = "SUCCESS,NULL", ["room_type"] = "NORMAL", ["template_own_type"] = "OWNED", ["confirm_state"] = "confirmed",
            ["start_time"] = "2026-01-02T03:04:05Z", ["end_time"] = "2026-01-03T04:00:00Z",
        }, QueryOf(request.Query));
    }

    [Fact]
    public void FiltersSelectTheRoomsTheServiceMatches()
    {
        var store = fixture.Server.Store;

        var templates = Rooms(pwsh.Run("Get-MSSmartLiveRoom -RoomType TEMPLATE -ConfirmState confirmed"));
        var withoutLive = Rooms(pwsh.Run("Get-MSSmartLiveRoom -LiveState NULL"));

        var expectedTemplates = store.Rooms.Where(r => r.RoomType == "TEMPLATE" && r.ConfirmState == "CONFIRMED").Select(r => r.RoomId).ToList();
        Assert.NotEmpty(expectedTemplates);
        Assert.True(expectedTemplates.Count < store.Rooms.Count(r => r.RoomType == "TEMPLATE")); // both filters applied
        Assert.Equal(expectedTemplates, templates.Select(r => r.RoomId));
        Assert.Equal(store.Rooms.Where(r => store.LastJobOf(r.RoomId) is null).Select(r => r.RoomId), withoutLive.Select(r => r.RoomId));
    }

    [Fact]
    public void SkipFirstAndIncludeTotalCountPageTheListing()
    {
        var stored = fixture.Server.Store.Rooms.Select(r => r.RoomId).ToList();

        var result = pwsh.Run("Get-MSSmartLiveRoom -Skip 2 -First 3 -IncludeTotalCount -PageSize 2");

        Assert.Empty(result.Errors);
        Assert.Equal(4, result.Output.Count);
        Assert.Equal((ulong)stored.Count, Convert.ToUInt64(result.Output[0].BaseObject));
        Assert.Equal(stored.Skip(2).Take(3), result.Output.Skip(1).Select(o => ((SmartLiveRoom)o.BaseObject).RoomId));
        // -Skip is the first offset; the last page asks only for what -First still needs.
        Assert.Equal(new[] { "limit=1&offset=4", "limit=2&offset=2" }, fixture.Server.Requests.Select(r => r.Query).OrderBy(q => q, StringComparer.Ordinal));
    }

    [Fact]
    public void RoomIdGetsEachRoomsFullDefinitionAndTakesListedRoomsFromThePipeline()
    {
        var stored = fixture.Server.Store.Rooms;

        var given = Rooms(pwsh.Run("Get-MSSmartLiveRoom -RoomId $args[0], $args[1]", stored[1].RoomId, stored[0].RoomId));
        var piped = Rooms(pwsh.Run("Get-MSSmartLiveRoom -First 3 | Get-MSSmartLiveRoom"));

        Assert.Equal(new[] { stored[1].RoomId, stored[0].RoomId }, given.Select(r => r.RoomId));
        Assert.Equal(stored.Take(3).Select(r => r.RoomId), piped.Select(r => r.RoomId));
        Assert.All(given.Concat(piped), r => Assert.True(r.IsDetailed));
        Assert.All(given.Concat(piped), r => Assert.NotEmpty(r.SceneScripts!));
        var shows = fixture.Server.Requests.Where(r => r.Path != $"/v1/{fixture.Project}/smart-live-rooms").ToList();
        Assert.Equal(new[] { stored[1], stored[0], stored[0], stored[1], stored[2] }.Select(r => $"/v1/{fixture.Project}/smart-live-rooms/{r.RoomId}"),
            shows.Select(r => r.Path));
    }

    [Fact]
    public void AnUnknownRoomIsANonTerminatingErrorWithTheServiceCodeAndTheRoomAsTarget()
    {
        string known = fixture.Server.Store.Rooms[0].RoomId;

        var result = pwsh.Run("Get-MSSmartLiveRoom -RoomId no-such-room, $args[0]; 'next'", known);

        Assert.Null(result.Terminating);
        var error = Assert.Single(result.Errors);
        Assert.Equal("MSS.10001004,MetaStudio.Commands.GetMSSmartLiveRoomCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("no-such-room", error.TargetObject);
        var e = Assert.IsType<MetaStudioServiceException>(error.Exception);
        Assert.Equal((404, "MSS.10001004", "ShowSmartLiveRoom"), (e.StatusCode, e.ErrorCode, e.Operation));
        Assert.Equal(fixture.Server.Requests.Single(r => r.Path.EndsWith("/no-such-room", StringComparison.Ordinal)).RequestId, e.RequestId);
        Assert.Contains("Smart live room not found: no-such-room", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("Get-MSSmartLiveRoom", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(known, ((SmartLiveRoom)result.Output[0].BaseObject).RoomId); // the next room still came
        Assert.Equal("next", result.Output[1].BaseObject);
    }

    [Fact]
    public void RoomsPipedIntoGetMSSmartLiveJobListTheirJobsGroupedInInputOrder()
    {
        var stored = fixture.Server.Store.Rooms.Select(r => r.RoomId).ToList();
        var reversed = Enumerable.Reverse(stored).ToList();

        var inStoreOrder = pwsh.Run("Get-MSSmartLiveRoom | Get-MSSmartLiveJob");
        var inReverse = pwsh.Run("$rooms = @(Get-MSSmartLiveRoom); [array]::Reverse($rooms); $rooms | Get-MSSmartLiveJob");

        foreach (var (result, order) in new[] { (inStoreOrder, stored), (inReverse, reversed) })
        {
            Assert.Empty(result.Errors);
            var expected = order.SelectMany(room => fixture.Server.DefaultOrder(room).Select(job => (room, job))).ToList();
            Assert.True(expected.Select(j => j.room).Distinct().Count() > 3);
            Assert.Equal(expected, result.Output.Select(o => Assert.IsType<SmartLiveJob>(o.BaseObject)).Select(j => (j.RoomId!, j.JobId!)));
        }
    }

    [Fact]
    public void RoomsFilteredWithWhereObjectArePipedIntoStartMSSmartLiveJob()
    {
        string a = fixture.Room("Where-Object 专场 A");
        string off = fixture.Room("Where-Object 专场 B", state: "DISABLE");
        string c = fixture.Room("Where-Object 专场 C");

        var result = pwsh.Run("Get-MSSmartLiveRoom -RoomName 'where-object 专场' | Where-Object RoomState -EQ 'ENABLE' | Start-MSSmartLiveJob -Confirm:$false");

        Assert.Empty(result.Errors);
        var started = result.Output.Select(o => Assert.IsType<StartedSmartLiveJob>(o.BaseObject)).ToList();
        Assert.Equal(new[] { a, c }, started.Select(s => s.RoomId));
        Assert.Equal(new[] { a, c }, fixture.Server.Requests.Where(r => r.Method == "POST").Select(r => r.Path.Split('/')[4]));
        Assert.Empty(fixture.JobsIn(off));
        Assert.Equal(started[0].JobId, Assert.Single(fixture.JobsIn(a)).JobId);
        Assert.Equal(started[1].JobId, Assert.Single(fixture.JobsIn(c)).JobId);
        Assert.Equal("where-object 专场", QueryOf(fixture.Server.Requests.Single(r => r.Method == "GET").Query)["room_name"]);
    }
}
