using System;
using System.Linq;
using System.Management.Automation;
using MetaStudio.Client.Models;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Jobs;

/// <summary>Every documented field arrives typed; absent and unknown fields do not break anything; nested objects print well.</summary>
public class JobModelTests : IClassFixture<JobsFixture>, IDisposable
{
    private readonly HostedPowerShell pwsh;

    public JobModelTests(JobsFixture fixture) => pwsh = new HostedPowerShell().ConnectTo(fixture.Server);

    public void Dispose() => pwsh.Dispose();

    private SmartLiveJob Get(string jobId) =>
        pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -JobId $args[1]", JobsFixture.FieldsRoom, jobId).Single<SmartLiveJob>();

    [Fact]
    public void EveryDocumentedFieldIsDeserialised()
    {
        var job = Get(JobsFixture.FullJobId);

        Assert.Equal("full-job", job.JobId);
        Assert.Equal("fields-room", job.RoomId);
        Assert.Equal("字段直播间", job.RoomName);
        Assert.Equal("FAILED", job.State);
        Assert.Equal(3723.5, job.Duration);
        Assert.Equal(new DateTime(2026, 3, 1, 8, 0, 5, DateTimeKind.Utc), job.StartTime);
        Assert.Equal(new DateTime(2026, 3, 1, 1, 2, 8, 500, DateTimeKind.Utc), job.EndTime); // +08:00 converted to UTC
        Assert.Equal(DateTimeKind.Utc, job.EndTime!.Value.Kind);
        Assert.Equal(("MSS.42000007", "Infer Error"), (job.ErrorInfo!.ErrorCode, job.ErrorInfo.ErrorMessage));
        Assert.Equal(("MSS.42000007", "Infer Error"), (job.ErrorCode, job.ErrorMessage));
        Assert.Equal(new DateTime(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc), job.CreateTime);
        Assert.Equal(new DateTime(2026, 3, 1, 9, 2, 9, DateTimeKind.Utc), job.LastUpdateTime);
        Assert.Equal(("rtc-app-1", "rtc-room-1"), (job.RtcRoomInfo!.AppId, job.RtcRoomInfo.RoomId));
        var user = job.RtcRoomInfo.Users![0];
        Assert.Equal(("RENDER", "render-1", "RTC-SIGNATURE-SECRET", 1772352000L), (user.UserType, user.UserId, user.Signature, user.Ctime!.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1772352000).UtcDateTime, user.SignatureExpiresAt);
        Assert.Equal("https://report.example.com/e/full-job", job.LiveEventReportUrl);
        var callback = job.LiveEventCallbackConfig!;
        Assert.Equal(("https://cb.example.com/x", "MSS_A", "CALLBACK-KEY-SECRET"), (callback.LiveEventTypeCallbackUrl, callback.AuthType, callback.Key));
        Assert.Equal(new[] { "SHOOT_SCRIPT_SWITCH", "REPLY_COMMAND_FINISH" }, callback.CallbackEventType);
        Assert.Equal(new[] { "LIVE_PROGRESS", "REPLY_COMMAND_FINISH" }, job.RtcCallbackConfig!.RtcCallbackEventType);
        Assert.Equal(3600.25, job.StreamDuration);
        Assert.Equal("none", job.BlockReason);
        Assert.Equal("https://obs.example.com/c.png", job.CoverUrl);
        Assert.Equal("VOLUME_DOWN", job.CoStreamerConfig!.StreamerAction);
        Assert.Equal(("voice-1", 120, 90, 140), (job.CoStreamerConfig.VoiceConfig!.VoiceAssetId, job.CoStreamerConfig.VoiceConfig.Speed!.Value, job.CoStreamerConfig.VoiceConfig.Pitch!.Value, job.CoStreamerConfig.VoiceConfig.Volume!.Value));
        var log = job.LiveJobLog!;
        Assert.Equal(("https://l/i", "https://l/j", "https://l/s", "https://l/r", "https://l/e"),
            (log.InteractionRecordsUrl, log.JobConfigRecordsUrl, log.ScriptsRecordsUrl, log.CommandReceivedRecordsUrl, log.CommandExecRecordsUrl));
        var platform = job.RelationLivePlatformInfo!;
        Assert.Equal(("pf-1", "meituan", "opBiz1", "live-9"), (platform.PlatformId, platform.Platform, platform.Account, platform.LiveId));
        Assert.Equal("ONDEMAND", job.UsedResourceType);
        Assert.True(job.IsAiMarkOn);
    }

    [Fact]
    public void AbsentOptionalFieldsAreNull()
    {
        var job = Get(JobsFixture.SparseJobId);

        Assert.Equal(("sparse-job", "WAITING"), (job.JobId, job.State));
        Assert.Equal("字段直播间", job.RoomName); // the emulator fills the room in, as the service does
        Assert.Null(job.Duration);
        Assert.Null(job.StartTime);
        Assert.Null(job.EndTime);
        Assert.Null(job.ErrorInfo);
        Assert.Null(job.ErrorCode);
        Assert.Null(job.RtcRoomInfo);
        Assert.Null(job.LiveEventCallbackConfig);
        Assert.Null(job.LiveJobLog);
        Assert.Null(job.IsAiMarkOn);
    }

    [Fact]
    public void UnknownFieldsAndEnumValuesDoNotBreakAnything()
    {
        var job = Get(JobsFixture.FutureJobId);
        Assert.Equal(("PAUSED_BY_PLATFORM", "SPOT"), (job.State, job.UsedResourceType));

        var listed = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -State PAUSED_BY_PLATFORM 3>$null", JobsFixture.FieldsRoom).Single<SmartLiveJob>();
        Assert.Equal("future-job", listed.JobId);
    }

    [Fact]
    public void NestedObjectsPrintShortMeaningfulText()
    {
        var job = Get(JobsFixture.FullJobId);
        var expected = new (object? Value, string Text)[]
        {
            (job, "full-job (FAILED)"),
            (job.ErrorInfo, "MSS.42000007: Infer Error"),
            (job.RtcRoomInfo, "RTC room rtc-room-1 (app rtc-app-1; users: RENDER render-1, PLAYER player-2)"),
            (job.RtcRoomInfo!.Users![0], "RENDER render-1"),
            (job.LiveEventCallbackConfig, "https://cb.example.com/x (MSS_A; SHOOT_SCRIPT_SWITCH,REPLY_COMMAND_FINISH)"),
            (job.RtcCallbackConfig, "LIVE_PROGRESS,REPLY_COMMAND_FINISH"),
            (job.CoStreamerConfig, "VOLUME_DOWN; voice voice-1 (speed 120, pitch 90, volume 140)"),
            (job.CoStreamerConfig!.VoiceConfig, "voice-1 (speed 120, pitch 90, volume 140)"),
            (job.LiveJobLog, "5 log files"),
            (job.RelationLivePlatformInfo, "meituan live live-9 (opBiz1)"),
        };

        foreach (var (value, text) in expected)
        {
            Assert.Equal(text, value!.ToString());
        }
    }

    [Fact]
    public void NoPropertyRendersAsATypeNameOrLeaksACallbackSecret()
    {
        // What Export-Csv and the default views would print: each property's string form.
        foreach (var id in new[] { JobsFixture.FullJobId, JobsFixture.SparseJobId, JobsFixture.FutureJobId })
        {
            var job = PSObject.AsPSObject(Get(id));
            foreach (var property in job.Properties)
            {
                string text = property.Value?.ToString() ?? "";
                Assert.DoesNotContain("MetaStudio.Client", text, StringComparison.Ordinal);
                Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
                Assert.DoesNotContain("CALLBACK-KEY-SECRET", text, StringComparison.Ordinal);
                Assert.DoesNotContain("RTC-SIGNATURE-SECRET", text, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("MSS_A", null, "https://cb.example.com/x (MSS_A)")]
    [InlineData("MSS_A", new string[0], "https://cb.example.com/x (MSS_A)")]
    [InlineData(null, new[] { "SHOOT_SCRIPT_SWITCH" }, "https://cb.example.com/x (SHOOT_SCRIPT_SWITCH)")]
    [InlineData("", null, "https://cb.example.com/x")]
    [InlineData("NONE", new[] { "SHOOT_SCRIPT_SWITCH", "REPLY_COMMAND_FINISH" }, "https://cb.example.com/x (NONE; SHOOT_SCRIPT_SWITCH,REPLY_COMMAND_FINISH)")]
    public void ACallbackPrintsOnlyThePartsItHas(string? authType, string[]? events, string text)
    {
        var callback = new LiveEventCallbackConfig { LiveEventTypeCallbackUrl = "https://cb.example.com/x", AuthType = authType, Key = "k", CallbackEventType = events };
        Assert.Equal(text, callback.ToString());
    }
}
