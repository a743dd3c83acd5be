using System;
using System.Linq;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Lifecycle;

/// <summary>
/// The command an error recommends is one an operator can paste: the real room and job ids where they
/// read back as one argument, the placeholder where they would not.
/// </summary>
public sealed class AdviceTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture fixture;

    public AdviceTests(EmulatorFixture fixture) => this.fixture = fixture;

    private HostedPowerShell Shell() => new HostedPowerShell().ConnectTo(fixture.Server);

    [Fact]
    public void AOneJobPerRoomConflictRecommendsListingThatRoomsRunningJobs()
    {
        using var shell = Shell();
        string room = fixture.Server.Store.Rooms[0].RoomId;
        fixture.Server.Store.AddJobs(room, new[] { "{\"job_id\":\"advice-running\",\"state\":\"PROCESSING\",\"create_time\":\"2026-01-01T00:00:00Z\"}" });

        var error = shell.Run("Start-MSSmartLiveJob -RoomId $args[0] -SingleJobInRoom", room).Errors.Single();

        Assert.Equal("MSS.10001003", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains($"Get-MSSmartLiveJob -RoomId {room} -State WAITING,PROCESSING | Stop-MSSmartLiveJob", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownOutcomeSaysHowToCheckThatRoom()
    {
        using var shell = Shell();
        string room = fixture.Server.Store.AddRoom("advice-room;'x'", "advice").RoomId;
        fixture.Server.AddFault("reset-after@/advice-room");
        try
        {
            var error = shell.Run("Start-MSSmartLiveJob -RoomId $args[0]", room).Errors.Single();

            Assert.True(((MetaStudio.Client.Errors.MetaStudioServiceException)error.Exception).OutcomeUnknown);
            Assert.Contains("Get-MSSmartLiveJob -RoomId 'advice-room;''x''' -State WAITING,PROCESSING", error.ErrorDetails.Message, StringComparison.Ordinal);
            Assert.Contains("Get-MSSmartLiveJob -RoomId 'advice-room;''x''' -State WAITING,PROCESSING", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains($"the connection to {fixture.BaseAddress.GetLeftPart(UriPartial.Authority)} failed before an answer came", error.ErrorDetails.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("could not connect", error.ErrorDetails.Message, StringComparison.Ordinal);
        }
        finally
        {
            fixture.Server.ClearFaults();
        }
    }

    [Fact]
    public void AStartWhoseWaitFailsSaysTheLiveMayBeRunningAndTargetsTheStartedJob()
    {
        using var shell = Shell();
        string room = fixture.Server.Store.AddRoom("advice-wait-room", "advice").RoomId;
        fixture.Server.AddFault("status:404x10@/advice-wait-room/smart-live-jobs/");
        try
        {
            var result = shell.Run("Start-MSSmartLiveJob -RoomId $args[0] -Wait -Confirm:$false; 'next'", room);

            var error = Assert.Single(result.Errors);
            var started = Assert.IsType<MetaStudio.Client.Models.StartedSmartLiveJob>(error.TargetObject);
            Assert.Equal(room, started.RoomId);
            string stop = $"Stop-MSSmartLiveJob -RoomId {room} -JobId {started.JobId}";
            Assert.Contains("The live was started and may be running", error.ErrorDetails.Message, StringComparison.Ordinal);
            Assert.Contains(stop, error.ErrorDetails.Message, StringComparison.Ordinal);
            Assert.Contains(stop, error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal("next", Assert.Single(result.Output).BaseObject);
        }
        finally
        {
            fixture.Server.ClearFaults();
        }
    }

    [Fact]
    public void ABodyWithANumberJsonCannotHoldIsRefusedEvenUnderWhatIf()
    {
        using var shell = Shell();
        string room = fixture.Server.Store.Rooms[0].RoomId;
        int before = fixture.Server.Requests.Count;

        var result = shell.Run("Start-MSSmartLiveJob -RoomId $args[0] -Body @{ view_mode = [double]::NaN } -WhatIf", room);

        var error = result.FirstError;
        Assert.NotNull(error);
        Assert.Equal("InvalidBody", error!.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("NaN", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(result.Output);
        Assert.Equal(before, fixture.Server.Requests.Count);
    }

    [Theory]
    [InlineData("-CallbackKey $key", "has a key or an authentication type but no URL (-CallbackUrl), so no event will be sent")]
    [InlineData("-Body @{ live_event_callback_config = @{ auth_type = 'MSS_A' } }", "has a key or an authentication type but no URL")]
    [InlineData("-CallbackUrl https://hooks.example.com/e -CallbackAuthType mss_a_head", "-CallbackAuthType MSS_A_HEAD without -CallbackKey signs the callbacks with an empty key")]
    [InlineData("-CallbackUrl https://hooks.example.com/e -CallbackAuthType MSS_A -CallbackKey $key", null)]
    [InlineData("-CallbackUrl https://hooks.example.com/e -CallbackAuthType NONE", null)]
    public void CallbackSettingsThatDoLessThanTheySeemAreWarnedAbout(string arguments, string? warning)
    {
        using var shell = Shell();
        string room = fixture.Server.Store.Rooms[0].RoomId;

        var result = shell.Run($"$key = ConvertTo-SecureString 'k' -AsPlainText -Force; Start-MSSmartLiveJob -RoomId $args[0] {arguments} -WhatIf", room);

        Assert.Empty(result.Errors);
        if (warning is null)
        {
            Assert.Empty(result.Warnings);
        }
        else
        {
            Assert.Contains(warning, Assert.Single(result.Warnings), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AWaitThatTimesOutRecommendsLookingAtThatJob()
    {
        using var shell = Shell();
        string room = fixture.Server.Store.Rooms[1].RoomId;
        fixture.Server.Store.AddJobs(room, new[] { "{\"job_id\":\"advice-waiting\",\"state\":\"WAITING\",\"create_time\":\"2026-01-01T00:00:00Z\"}" });

        var error = shell.Run("Wait-MSSmartLiveJob -RoomId $args[0] -JobId advice-waiting -TimeoutSec 1 -PollIntervalSec 1", room).Errors.Single();

        Assert.Equal("WaitTimeout", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.StartsWith($"Job advice-waiting in room {room} had not ended (SUCCEED, FAILED or BLOCKED) after 1 s; its last state was WAITING", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains($"Get-MSSmartLiveJob -RoomId {room} -JobId advice-waiting", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void WaitProgressCountsJobsDoneAndIsClearedBeforeTheLastJobIsWritten()
    {
        using var shell = Shell();
        string room = fixture.Server.Store.Rooms[2].RoomId;
        fixture.Server.Store.AddJobs(room, new[]
        {
            "{\"job_id\":\"progress-1\",\"state\":\"SUCCEED\",\"create_time\":\"2026-01-01T00:00:00Z\"}",
            "{\"job_id\":\"progress-2\",\"state\":\"FAILED\",\"create_time\":\"2026-01-01T00:00:00Z\"}",
        });

        var run = shell.Run("$room = $args[0]; Wait-MSSmartLiveJob -RoomId $room -JobId progress-1 -State SUCCEED,FAILED; " +
                            "'progress-1', 'progress-2' | ForEach-Object { [pscustomobject]@{ RoomId = $room; JobId = $_ } } | Wait-MSSmartLiveJob -State SUCCEED,FAILED", room);

        Assert.Empty(run.Errors);
        Assert.Equal(3, run.Output.Count);
        var progress = run.Progress.Select(p => $"{p.RecordType} {p.StatusDescription}").ToList();
        Assert.Equal(new[] { "Processing 0 of 1 done", "Completed Done", "Processing 0 of 2 done", "Processing 1 of 2 done", "Completed Done" }, progress);
    }

    [Fact]
    public void AJobStateGivenAsARoomLiveStateIsNamedWithTheRoomsSpelling()
    {
        using var shell = Shell();

        var run = shell.Run("Get-MSSmartLiveRoom -LiveState SUCCEED");

        Assert.Contains(run.Warnings, w => w.StartsWith("'SUCCEED' is not a documented live state", StringComparison.Ordinal) && w.EndsWith("Rooms use SUCCESS where jobs use SUCCEED.", StringComparison.Ordinal));
        Assert.Equal("MSS.00000003", run.Errors.Single().FullyQualifiedErrorId.Split(',')[0]); // sent as given: the service decides
    }
}
