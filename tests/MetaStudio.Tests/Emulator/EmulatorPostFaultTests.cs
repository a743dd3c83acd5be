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

/// <summary>
/// Faults on the lifecycle routes. A fault that answers before handling leaves nothing behind; reset-after,
/// status-after and stall-after (and the body faults) answer after the job was created or stopped, so the
/// client cannot know the outcome; job faults decide a started job's fate.
/// </summary>
public class EmulatorPostFaultTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData("status:503", 503)]
    [InlineData("status:500", 500)]
    [InlineData("status:429", 429)]
    [InlineData("retry-after:2", 429)]
    [InlineData("html:502", 502)]
    [InlineData("echo-secrets", 401)]
    [InlineData("wrong-shape", 200)]
    public async Task FaultsThatAnswerBeforeHandlingCreateNoJob(string fault, int status)
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        emu.Server.AddFault(fault + "@/smart-live-jobs");

        using var response = await emu.Http.PostAsync(emu.Http.RoomJobs(room), "{}");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(emu.Server.Store.JobsOf(room));
        Assert.Equal(202, (await emu.Http.StartAsync(room)).Status); // the rule is used up
    }

    [Fact]
    public async Task ResetBeforeHandlingCreatesNoJob()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        emu.Server.AddFault("reset");

        await Assert.ThrowsAsync<HttpRequestException>(() => emu.Http.PostAsync(emu.Http.RoomJobs(room), "{}"));

        Assert.Empty(emu.Server.Store.JobsOf(room));
        Assert.Equal(0, emu.Server.Requests.Single(r => r.Method == "POST").Status);
    }

    [Fact]
    public async Task ResetAfterCreatesTheJobThenDropsTheConnection()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        emu.Server.AddFault("reset-after");

        await Assert.ThrowsAsync<HttpRequestException>(() => emu.Http.PostAsync(emu.Http.RoomJobs(room), "{}"));

        var job = Assert.Single(emu.Server.Store.JobsOf(room));
        Assert.Equal("WAITING", job.State);
        emu.Advance(Delay);
        Assert.Equal("PROCESSING", (await emu.ShowAsync(room, job.JobId)).GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("status-after", 500, "MSS.00000002")]
    [InlineData("status-after:503", 503, "MSS.00000002")]
    [InlineData("status-after:504", 504, "APIGW.0201")]
    [InlineData("status-after:429", 429, "APIGW.0308")]
    public async Task StatusAfterCreatesTheJobThenAnswersAnError(string fault, int status, string code)
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        emu.Server.AddFault(fault);

        using var response = await emu.Http.PostAsync(emu.Http.RoomJobs(room), "{}");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await SignedHttp.ErrorOf(response)).Code);
        Assert.Single(emu.Server.Store.JobsOf(room));
    }

    [Fact]
    public async Task StallAfterCreatesTheJobAndOutlastsTheClient()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        emu.Server.AddFault("stall-after:5000");
        using var impatient = new SignedHttp(emu.Server.BaseAddress, TimeSpan.FromMilliseconds(500)) { Clock = emu.Http.Clock };

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.PostAsync(impatient.RoomJobs(room), "{}"));

        Assert.Single(emu.Server.Store.JobsOf(room));
    }

    [Fact]
    public async Task StallBeforeHandlingCreatesNothingWhenTheClientGivesUp()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        emu.Server.AddFault("stall:2000");
        using var impatient = new SignedHttp(emu.Server.BaseAddress, TimeSpan.FromMilliseconds(300)) { Clock = emu.Http.Clock };

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.PostAsync(impatient.RoomJobs(room), "{}"));

        // Wait (generously) until the server has finished with the request: it records 499, the client went away.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!emu.Server.Requests.Any(r => r.Method == "POST") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(499, emu.Server.Requests.Single(r => r.Method == "POST").Status);
        Assert.Empty(emu.Server.Store.JobsOf(room));
    }

    [Fact]
    public async Task StallBeforeHandlingStillCreatesTheJobForAPatientClient()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        emu.Server.AddFault("stall:300");

        Assert.Equal(202, (await emu.Http.StartAsync(room)).Status);
        Assert.Single(emu.Server.Store.JobsOf(room));
    }

    [Theory]
    [InlineData("reset-mid-body")]
    [InlineData("truncate")]
    [InlineData("malformed")]
    public async Task BodyFaultsHappenAfterTheJobWasCreated(string fault)
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        emu.Server.AddFault(fault);

        var error = await Record.ExceptionAsync(async () =>
        {
            using var response = await emu.Http.PostAsync(emu.Http.RoomJobs(room), "{}");
            JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        });

        Assert.True(error is HttpRequestException or IOException or JsonException, $"unexpected {error?.GetType()}");
        Assert.Single(emu.Server.Store.JobsOf(room));
    }

    [Fact]
    public async Task AStopAnsweredWithResetAfterHasStoppedTheJobAndAResetBeforeHasNot()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        string a = await emu.StartJobAsync(room), b = await emu.StartJobAsync(room);

        emu.Server.AddFault("reset@/stop");
        await Assert.ThrowsAsync<HttpRequestException>(() => emu.Http.PostAsync(emu.Http.StopPath(room, a), null, null));
        emu.Server.AddFault("reset-after@/stop");
        await Assert.ThrowsAsync<HttpRequestException>(() => emu.Http.PostAsync(emu.Http.StopPath(room, b), null, null));

        Assert.Equal("WAITING", (await emu.ShowAsync(room, a)).GetProperty("state").GetString());
        Assert.Equal("SUCCEED", (await emu.ShowAsync(room, b)).GetProperty("state").GetString());
        Assert.Equal(200, (await emu.Http.StopAsync(room, b)).Status); // the retry of an unknown outcome succeeds
    }

    [Fact]
    public async Task JobFailTurnsTheNextStartedJobFailedInsteadOfProcessing()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        emu.Server.AddFault("job-fail");

        var (status, _) = await emu.Http.StartAsync(room);
        string failed = emu.Server.Store.JobsOf(room).Single().JobId;
        string next = await emu.StartJobAsync(room);

        Assert.Equal(202, status); // the start itself succeeds
        Assert.Equal("WAITING", (await emu.ShowAsync(room, failed)).GetProperty("state").GetString());
        emu.Advance(Delay);
        var shown = await emu.ShowAsync(room, failed);
        Assert.Equal("FAILED", shown.GetProperty("state").GetString());
        Assert.Equal("MSS.42000007", shown.GetProperty("error_info").GetProperty("error_code").GetString());
        Assert.Equal("Infer Error", shown.GetProperty("error_info").GetProperty("error_msg").GetString());
        Assert.Equal(shown.GetProperty("start_time").GetString(), shown.GetProperty("end_time").GetString());
        Assert.Equal(0, shown.GetProperty("duration").GetDouble());
        Assert.Equal("PROCESSING", (await emu.ShowAsync(room, next)).GetProperty("state").GetString());

        // Stopping a job that already failed changes nothing.
        Assert.Equal(200, (await emu.Http.StopAsync(room, failed)).Status);
        Assert.Equal("FAILED", (await emu.ShowAsync(room, failed)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task JobBlockTurnsTheNextStartedJobBlockedWithAReason()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        emu.Server.AddFault("job-block");
        string job = await emu.StartJobAsync(room);

        emu.Advance(Delay);

        var shown = await emu.ShowAsync(room, job);
        Assert.Equal("BLOCKED", shown.GetProperty("state").GetString());
        Assert.False(string.IsNullOrEmpty(shown.GetProperty("block_reason").GetString()));
        Assert.False(shown.TryGetProperty("error_info", out _));
    }

    [Theory]
    [InlineData("job-fail-later:5000", "FAILED")]
    [InlineData("job-block-later:5000", "BLOCKED")]
    public async Task LaterFaultsLetTheJobProcessFirst(string fault, string endState)
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        emu.Server.AddFault(fault);
        string job = await emu.StartJobAsync(room);

        emu.Advance(Delay + TimeSpan.FromMilliseconds(4999));
        Assert.Equal("PROCESSING", (await emu.ShowAsync(room, job)).GetProperty("state").GetString());

        emu.Advance(TimeSpan.FromMinutes(1));
        var ended = await emu.ShowAsync(room, job);
        Assert.Equal(endState, ended.GetProperty("state").GetString());
        Assert.Equal(5, ended.GetProperty("duration").GetDouble());
        Assert.Equal(Fmt(LiveEmulator.Start + Delay + TimeSpan.FromSeconds(5)), ended.GetProperty("end_time").GetString());
    }

    private static string Fmt(DateTimeOffset t) => MetaStudio.Emulator.Data.DemoDataGenerator.Format(t);

    [Fact]
    public async Task JobFaultsCountStartedJobsAndAreScopedByTheirText()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string a = emu.AddRoom(), b = emu.AddRoom();
        emu.Server.AddFault($"job-failx1+1@{b}");

        // Neither a GET, a start in another room, nor a refused start uses the rule.
        await emu.Http.GetJsonAsync(emu.Http.RoomJobs(b));
        string inA = await emu.StartJobAsync(a);
        Assert.Equal(400, (await emu.Http.StartAsync(b, "{\"view_mode\":\"ROUND\"}")).Status);
        string first = await emu.StartJobAsync(b), second = await emu.StartJobAsync(b), third = await emu.StartJobAsync(b);
        emu.Advance(Delay);

        Assert.Equal("PROCESSING", (await emu.ShowAsync(a, inA)).GetProperty("state").GetString());
        Assert.Equal("PROCESSING", (await emu.ShowAsync(b, first)).GetProperty("state").GetString());
        Assert.Equal("FAILED", (await emu.ShowAsync(b, second)).GetProperty("state").GetString());
        Assert.Equal("PROCESSING", (await emu.ShowAsync(b, third)).GetProperty("state").GetString());
        Assert.Contains(emu.Server.Requests, r => r.Method == "POST" && r.Fault != null && r.Fault.StartsWith("JobFail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AJobFaultAndARequestFaultCanHitTheSameStart()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        emu.Server.AddFault("job-fail");
        emu.Server.AddFault("status-after:502");

        using var response = await emu.Http.PostAsync(emu.Http.RoomJobs(room), "{}");
        emu.Advance(Delay);

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Equal("FAILED", Assert.Single(emu.Server.Store.JobsOf(room)).State);
        var recorded = emu.Server.Requests.Single(r => r.Method == "POST");
        Assert.Contains("StatusAfter", recorded.Fault, StringComparison.Ordinal);
        Assert.Contains("JobFail", recorded.Fault, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reset-after", FaultKind.ResetAfter, 0)]
    [InlineData("status-after", FaultKind.StatusAfter, 500)]
    [InlineData("status-after:503x2", FaultKind.StatusAfter, 503)]
    [InlineData("stall-after", FaultKind.StallAfter, 60000)]
    [InlineData("job-fail", FaultKind.JobFail, 0)]
    [InlineData("job-block@room-1", FaultKind.JobBlock, 0)]
    [InlineData("job-fail-later", FaultKind.JobFailLater, 5000)]
    [InlineData("job-block-later:250+2", FaultKind.JobBlockLater, 250)]
    public void NewRulesParse(string text, FaultKind kind, int argument)
    {
        var rule = FaultRule.Parse(text);
        Assert.Equal(kind, rule.Kind);
        Assert.Equal(argument, rule.Argument);
        Assert.Equal(kind is FaultKind.JobFail or FaultKind.JobBlock or FaultKind.JobFailLater or FaultKind.JobBlockLater, rule.IsJobFault);
        Assert.Equal(kind is FaultKind.ResetAfter or FaultKind.StatusAfter or FaultKind.StallAfter, rule.IsAfterHandling);
    }

    [Fact]
    public void StatusAfterNeedsAnErrorStatus() => Assert.Throws<FormatException>(() => FaultRule.Parse("status-after:200"));
}
