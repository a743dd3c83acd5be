using System;
using System.Linq;
using System.Management.Automation;
using MetaStudio.Client.Models;
using MetaStudio.Emulator;
using MetaStudio.Tests.Lifecycle;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Control;

/// <summary>Get-MSSmartLiveCommand against the emulator: pages, -Skip/-First/-IncludeTotalCount, sources, a stopped pipeline, unknown jobs.</summary>
public sealed class CommandListingTests : IClassFixture<LifecycleFixture>, IDisposable
{
    private readonly LifecycleFixture fixture;
    private readonly HostedPowerShell pwsh;

    public CommandListingTests(LifecycleFixture fixture)
    {
        this.fixture = fixture;
        fixture.Reset();
        pwsh = new HostedPowerShell().ConnectTo(fixture.Server);
    }

    public void Dispose() => pwsh.Dispose();

    /// <summary>A live on air with <paramref name="count"/> commands the live inserted itself (AUTO), numbered in their params.</summary>
    private (string Room, string Job) LiveWithCommands(int count)
    {
        string room = fixture.Room();
        var started = (StartedSmartLiveJob)pwsh.Invoke("Start-MSSmartLiveJob -RoomId $args[0] -Confirm:$false", room).Single().BaseObject;
        for (int i = 0; i < count; i++)
        {
            fixture.Server.Commands.AddAuto(room, started.JobId!, "INSERT_PLAY_SCRIPT", $"{{\"text_config\":{{\"text\":\"reply {i}\"}}}}", DateTimeOffset.UtcNow);
        }

        fixture.Server.ClearRequests();
        return (room, started.JobId!);
    }

    private string ListPath(string room, string job) => $"{fixture.RoomJobsPath(room)}/{job}/command/insert-commands";

    [Fact]
    public void EveryPageIsReadInOrderAndTheSourcesAndParamsComeThrough()
    {
        var (room, job) = LiveWithCommands(250);
        pwsh.Invoke("Invoke-MSSmartLiveCommand $args[0] $args[1] -Text 'from outside' -Force", room, job);

        var listed = pwsh.Run("Get-MSSmartLiveCommand $args[0] $args[1]", room, job).Output.Select(o => (InsertCommand)o.BaseObject).ToList();

        Assert.Equal(251, listed.Count);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"reply {i}").Append("from outside"),
            listed.Select(c => (string)((PSObject)((PSObject)c.Parameters!).Properties["text_config"].Value).Properties["text"].Value));
        Assert.Equal(Enumerable.Repeat("AUTO", 250).Append("EXTERNAL"), listed.Select(c => c.Source));
        Assert.All(listed, c => Assert.Equal((room, job), (c.RoomId, c.JobId)));
        Assert.Equal(new[] { "limit=100&offset=0", "limit=100&offset=100", "limit=100&offset=200" },
            fixture.Server.Requests.Where(r => r.Path == ListPath(room, job)).Select(r => r.Query).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SkipFirstAndIncludeTotalCountPageAsTheListingCmdletsDo()
    {
        var (room, job) = LiveWithCommands(25);

        var run = pwsh.Run("Get-MSSmartLiveCommand -RoomId $args[0] -JobId $args[1] -Skip 3 -First 12 -IncludeTotalCount -PageSize 5", room, job);

        Assert.Empty(run.Errors);
        Assert.Equal(13, run.Output.Count);
        Assert.Equal(25UL, Convert.ToUInt64(run.Output[0].BaseObject));
        Assert.Equal(Enumerable.Range(3, 12).Select(i => $"reply {i}"), run.Output.Skip(1).Select(o => (string)((PSObject)((PSObject)((InsertCommand)o.BaseObject).Parameters!).Properties["text_config"].Value).Properties["text"].Value));
        // -Skip is the first offset; the last page asks only for what -First still needs.
        Assert.Equal(new[] { "limit=2&offset=13", "limit=5&offset=3", "limit=5&offset=8" },
            fixture.Server.Requests.Where(r => r.Path == ListPath(room, job)).Select(r => r.Query).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SelectObjectFirstStopsTheFetch()
    {
        var (room, job) = LiveWithCommands(1000);

        var run = pwsh.Run("Get-MSSmartLiveCommand $args[0] $args[1] -ThrottleLimit 1 | Select-Object -First 3", room, job);

        Assert.Empty(run.Errors);
        Assert.Equal(3, run.Output.Count);
        Assert.True(fixture.Server.Requests.Count(r => r.Path == ListPath(room, job)) < 10, "the listing went on after Select-Object had its three");
    }

    [Fact]
    public void AnUnknownJobIsTheServicesNotFoundError()
    {
        string room = fixture.Room();

        var run = pwsh.Run("Get-MSSmartLiveCommand $args[0] no-such-job", room);

        var error = Assert.Single(run.Errors);
        Assert.Equal("MSS.10001002,MetaStudio.Commands.GetMSSmartLiveCommandCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal($"{room}/no-such-job", error.TargetObject);
    }
}
