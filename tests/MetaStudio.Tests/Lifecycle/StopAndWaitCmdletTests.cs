using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Models;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Lifecycle;

/// <summary>
/// A started job piped on by property name into Get-, Wait- and Stop-MSSmartLiveJob; Start -Wait; Stop's
/// -WhatIf, confirmation, -Force, -PassThru and -Wait; Wait-MSSmartLiveJob polling many jobs together,
/// and its errors for a job that ends otherwise or is not there in time. Jobs change state only when a
/// test moves the emulator's clock (or at their first read when no start delay is set).
/// </summary>
public sealed class StopAndWaitCmdletTests : IClassFixture<LifecycleFixture>, IDisposable
{
    private readonly LifecycleFixture fixture;
    private readonly AnsweringHost host = new();
    private readonly HostedPowerShell pwsh;

    public StopAndWaitCmdletTests(LifecycleFixture fixture)
    {
        this.fixture = fixture;
        fixture.Reset();
        pwsh = new HostedPowerShell(host: host).ConnectTo(fixture.Server);
    }

    public void Dispose() => pwsh.Dispose();

    private PSObject Start(string room) => Assert.Single(pwsh.Invoke("Start-MSSmartLiveJob -RoomId $args[0] -Confirm:$false", room));

    private static string JobIdOf(PSObject started) => ((StartedSmartLiveJob)started.BaseObject).JobId!;

    private static SmartLiveJob Job(PSObject o) => Assert.IsType<SmartLiveJob>(o.BaseObject);

    [Fact]
    public void TheStartedJobPipesIntoGetWaitAndStopByPropertyName()
    {
        fixture.Server.StartDelayMs = 2000;
        string room = fixture.Room();
        var started = Start(room);
        string job = JobIdOf(started);

        var waiting = Job(Assert.Single(pwsh.Invoke("$args[0] | Get-MSSmartLiveJob", started)));
        fixture.Emulator.Advance(TimeSpan.FromSeconds(3));
        var onAir = Job(Assert.Single(pwsh.Invoke("$args[0] | Wait-MSSmartLiveJob -State PROCESSING -PollIntervalSec 1", started)));
        var stopped = Job(Assert.Single(pwsh.Invoke("$args[0] | Stop-MSSmartLiveJob -Force -PassThru", started)));

        Assert.Equal((room, job, "WAITING"), (waiting.RoomId, waiting.JobId, waiting.State));
        Assert.Equal((job, "PROCESSING"), (onAir.JobId, onAir.State));
        Assert.NotNull(onAir.StartTime);
        Assert.Equal((job, "SUCCEED"), (stopped.JobId, stopped.State));
        Assert.NotNull(stopped.EndTime);
        var path = $"{fixture.RoomJobsPath(room)}/{job}";
        Assert.Equal(new[] { $"POST {fixture.RoomJobsPath(room)}", $"GET {path}", $"GET {path}", $"POST {path}/stop", $"GET {path}" },
            fixture.Server.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal("SUCCEED", Assert.Single(fixture.JobsIn(room)).State);
    }

    [Fact]
    public void StartWaitWritesTheJobOnceItIsOnAir()
    {
        fixture.Server.StartDelayMs = 2000;
        string room = fixture.Room();

        var result = LifecycleFixture.RunWhile(pwsh, "Start-MSSmartLiveJob -RoomId $args[0] -Wait -Confirm:$false", () =>
        {
            // Seen WAITING once, then the start delay passes.
            LifecycleFixture.WaitUntil(() => fixture.Server.Requests.Any(r => r.Method == "GET"), "the first look at the job");
            fixture.Emulator.Advance(TimeSpan.FromSeconds(3));
        }, room);

        Assert.Empty(result.Errors);
        var job = Job(Assert.Single(result.Output));
        Assert.Equal((room, "PROCESSING"), (job.RoomId, job.State));
        Assert.Equal(Assert.Single(fixture.JobsIn(room)).JobId, job.JobId);
        Assert.Equal(2, fixture.ShowsOf(room, job.JobId!).Count);
    }

    [Fact]
    public void StartWaitReportsALiveBlockedBeforeItWasOnAir()
    {
        string room = fixture.Room();
        fixture.Server.AddFault($"job-block@{room}");

        var result = pwsh.Run("Start-MSSmartLiveJob -RoomId $args[0] -Wait -Confirm:$false; 'next'", room);

        var error = Assert.Single(result.Errors);
        Assert.Equal("UnexpectedJobState,MetaStudio.Commands.StartMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal("BLOCKED", Job(PSObject.AsPSObject(error.TargetObject)).State);
        Assert.Matches(@"ended BLOCKED, blocked: .+ while waiting for it to be PROCESSING or SUCCEED\.$", error.Exception.Message);
        Assert.Equal("next", Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void StopWhatIfSendsNothingAndWithoutForceItAsksFirst()
    {
        string room = fixture.Room();
        var started = Start(room);
        string job = JobIdOf(started);
        fixture.Server.ClearRequests();
        host.Answers.Enqueue("No");

        var whatIf = pwsh.Run("$args[0] | Stop-MSSmartLiveJob -WhatIf; $args[0] | Stop-MSSmartLiveJob -Force -WhatIf -PassThru", started);
        var declined = pwsh.Run("$args[0] | Stop-MSSmartLiveJob -PassThru", started); // ConfirmImpact High: the default $ConfirmPreference asks

        Assert.Empty(whatIf.Errors.Concat(declined.Errors));
        Assert.Empty(whatIf.Output.Concat(declined.Output));
        Assert.Empty(fixture.Server.Requests);
        Assert.Equal(2, host.Lines.Count(l => l.Contains($"What if: Performing the operation \"Stop the live\" on target \"job {job} in room {room}\".", StringComparison.Ordinal)));
        var prompt = Assert.Single(host.Prompts);
        Assert.Contains($"job {job} in room {room}", prompt.Message, StringComparison.Ordinal);
        Assert.Equal("PROCESSING", Assert.Single(fixture.JobsIn(room)).State);

        host.Answers.Enqueue("Yes");
        var accepted = pwsh.Run("$args[0] | Stop-MSSmartLiveJob", started);

        Assert.Empty(accepted.Errors);
        Assert.Equal(2, host.Prompts.Count);
        Assert.Single(fixture.StopsOf(room, job));
        Assert.Equal("SUCCEED", Assert.Single(fixture.JobsIn(room)).State);
    }

    [Fact]
    public void ForceStopsWithoutAskingPassThruWritesTheJobAndWaitEndsSucceed()
    {
        string plain = fixture.Room(), passThru = fixture.Room(), waited = fixture.Room(), waitedQuiet = fixture.Room();
        var jobs = new[] { plain, passThru, waited, waitedQuiet }.Select(r => (Room: r, Job: JobIdOf(Start(r)))).ToList();
        fixture.Server.ClearRequests();

        var results = new[]
        {
            pwsh.Run("Stop-MSSmartLiveJob -RoomId $args[0] -JobId $args[1] -Force", jobs[0].Room, jobs[0].Job),
            pwsh.Run("Stop-MSSmartLiveJob $args[0] $args[1] -Force -PassThru", jobs[1].Room, jobs[1].Job),
            pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -JobId $args[1] | Stop-MSSmartLiveJob -Force -Wait -PassThru", jobs[2].Room, jobs[2].Job),
            pwsh.Run("Stop-MSSmartLiveJob $args[0] $args[1] -Force -Wait", jobs[3].Room, jobs[3].Job),
        };

        Assert.Empty(host.Prompts);
        Assert.All(results, r => Assert.Empty(r.Errors));
        Assert.All(jobs, j => Assert.Single(fixture.StopsOf(j.Room, j.Job)));
        Assert.All(jobs, j => Assert.Equal("SUCCEED", Assert.Single(fixture.JobsIn(j.Room)).State));
        Assert.Empty(results[0].Output);
        Assert.Empty(results[3].Output); // -Wait alone writes nothing
        foreach (var (result, job) in new[] { (results[1], jobs[1]), (results[2], jobs[2]) })
        {
            var written = Job(Assert.Single(result.Output));
            Assert.Equal((job.Job, "SUCCEED"), (written.JobId, written.State));
            Assert.NotNull(written.EndTime);
        }

        // Stopped first, then looked at (the stop is never repeated to find out).
        Assert.Equal(new[] { "POST", "GET" }, fixture.Server.Requests.Where(r => r.Path.Contains(jobs[1].Job, StringComparison.Ordinal)).Select(r => r.Method));
        Assert.Equal(new[] { "GET", "POST", "GET" }, fixture.Server.Requests.Where(r => r.Path.Contains(jobs[2].Job, StringComparison.Ordinal)).Select(r => r.Method));
        Assert.Equal(new[] { "POST", "GET" }, fixture.Server.Requests.Where(r => r.Path.Contains(jobs[3].Job, StringComparison.Ordinal)).Select(r => r.Method));
    }

    [Fact]
    public void AStopThatMayHaveArrivedIsNotRetriedAndStoppingAgainIsHarmless()
    {
        string room = fixture.Room();
        string job = JobIdOf(Start(room));
        fixture.Server.AddFault($"reset-after@/{job}/stop");

        var lost = pwsh.Run("Stop-MSSmartLiveJob $args[0] $args[1] -Force", room, job);
        LifecycleFixture.WaitUntil(() => fixture.StopsOf(room, job).Count > 0, "the reset stop in the emulator's log");
        var again = pwsh.Run("Stop-MSSmartLiveJob $args[0] $args[1] -Force -PassThru", room, job);

        var error = Assert.Single(lost.Errors);
        Assert.Equal($"{room}/{job}", error.TargetObject);
        var e = Assert.IsType<MetaStudioServiceException>(error.Exception);
        Assert.True(e.OutcomeUnknown);
        Assert.Contains($"Get-MSSmartLiveJob -RoomId {room} -JobId {job}; stopping an ended job again changes nothing", e.Message, StringComparison.Ordinal);
        Assert.Empty(again.Errors);
        Assert.Equal("SUCCEED", Job(Assert.Single(again.Output)).State);
        Assert.Equal(new[] { 0, 200 }, fixture.StopsOf(room, job).Select(r => r.Status)); // one stop each, the first answered by a reset
    }

    [Fact]
    public void SeveralJobsAreWaitedForTogetherInPollRounds()
    {
        fixture.Server.StartDelayMs = 2000;
        var rooms = new[] { fixture.Room(), fixture.Room(), fixture.Room() };
        var started = rooms.Select(Start).ToArray();
        var jobs = started.Select(JobIdOf).ToList();
        fixture.Server.ClearRequests();

        var result = LifecycleFixture.RunWhile(pwsh, "$args[0] | Wait-MSSmartLiveJob -State PROCESSING -PollIntervalSec 1", () =>
        {
            // The first round asks for every job before any is asked again; then they all go on air.
            LifecycleFixture.WaitUntil(() => fixture.Server.Requests.Count >= 3, "the first poll round");
            fixture.Emulator.Advance(TimeSpan.FromSeconds(3));
        }, (object)started);

        Assert.Empty(result.Errors);
        var onAir = result.Output.Select(Job).ToList();
        Assert.Equal(jobs.Order(), onAir.Select(j => j.JobId!).Order());
        Assert.All(onAir, j => Assert.Equal("PROCESSING", j.State));
        // Round by round, every job still waited for is asked once (two rounds, unless the clock moved late).
        var asked = fixture.Server.Requests.Select(r => r.Path.Split('/')[^1]).ToList();
        Assert.True(asked.Count >= 6 && asked.Count % 3 == 0, string.Join(", ", asked));
        Assert.All(asked.Chunk(3), round => Assert.Equal(jobs.Order(), round.Order()));
    }

    [Fact]
    public void AJobThatEndsOtherwiseIsANonTerminatingErrorWithItsStateAndError()
    {
        string failing = fixture.Room(), fine = fixture.Room();
        fixture.Server.AddFault($"job-fail@{failing}");
        var started = new[] { Start(failing), Start(fine) };

        var result = pwsh.Run("$args[0] | Wait-MSSmartLiveJob -State PROCESSING -PollIntervalSec 1; 'next'", (object)started);

        Assert.Null(result.Terminating);
        var error = Assert.Single(result.Errors);
        Assert.Equal("UnexpectedJobState,MetaStudio.Commands.WaitMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        var failed = Job(PSObject.AsPSObject(error.TargetObject));
        Assert.Equal((JobIdOf(started[0]), "FAILED", "MSS.42000007"), (failed.JobId, failed.State, failed.ErrorCode));
        var e = Assert.IsType<MetaStudio.SmartLiveJobStateException>(error.Exception);
        Assert.Equal((failing, JobIdOf(started[0]), "FAILED"), (e.RoomId, e.JobId, e.Job!.State));
        Assert.Contains($"Job {e.JobId} in room {failing} ended FAILED (MSS.42000007: Infer Error) while waiting for it to be PROCESSING.",
            e.Message, StringComparison.Ordinal);
        Assert.Contains("ErrorInfo", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(2, result.Output.Count);
        Assert.Equal((JobIdOf(started[1]), "PROCESSING"), (Job(result.Output[0]).JobId, Job(result.Output[0]).State));
        Assert.Equal("next", result.Output[1].BaseObject);
    }

    [Fact]
    public void AJobNotThereInTimeIsATimeoutErrorWithItsLastState()
    {
        fixture.Server.StartDelayMs = 60_000;
        string room = fixture.Room();
        string job = JobIdOf(Start(room));
        fixture.Server.ClearRequests();

        var result = pwsh.Run("Wait-MSSmartLiveJob -RoomId $args[0] -JobId $args[1] -State PROCESSING -PollIntervalSec 1 -TimeoutSec 1; 'next'", room, job);

        var error = Assert.Single(result.Errors);
        Assert.Equal("WaitTimeout,MetaStudio.Commands.WaitMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Equal((job, "WAITING"), (Job(PSObject.AsPSObject(error.TargetObject)).JobId, Job(PSObject.AsPSObject(error.TargetObject)).State));
        Assert.Contains($"Job {job} in room {room} was not PROCESSING after 1 s; its last state was WAITING.", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-TimeoutSec", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("next", Assert.Single(result.Output).BaseObject);
        Assert.InRange(fixture.ShowsOf(room, job).Count, 2, 3); // looked again before giving up
    }

    [Fact]
    public void AStateThatIsNotDocumentedIsWaitedForWithAWarning()
    {
        string room = fixture.Room();
        string job = JobIdOf(Start(room));

        // A misspelt state would otherwise be waited for, silently, until -TimeoutSec (600 s by default).
        var result = pwsh.Run("Wait-MSSmartLiveJob -RoomId $args[0] -JobId $args[1] -State processing, PROCESING, SUCCEED", room, job);

        Assert.Empty(result.Errors);
        Assert.Equal("PROCESSING", Job(Assert.Single(result.Output)).State);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("'PROCESING'", warning, StringComparison.Ordinal);
        Assert.Contains("WAITING, PROCESSING, SUCCEED, FAILED, BLOCKED", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CtrlCEndsAWaitAtOnceWithoutAnError()
    {
        fixture.Server.StartDelayMs = 60_000;
        string room = fixture.Room();
        string job = JobIdOf(Start(room));
        using var ps = PowerShell.Create();
        ps.Runspace = pwsh.Runspace;
        ps.AddScript("Wait-MSSmartLiveJob -RoomId $args[0] -JobId $args[1] -State PROCESSING -PollIntervalSec 60").AddArgument(room).AddArgument(job);
        var running = ps.BeginInvoke();
        LifecycleFixture.WaitUntil(() => fixture.ShowsOf(room, job).Count > 0, "the first look at the job");

        // What Ctrl+C does. A wait that ignored it would sleep out its 60 s poll interval first.
        var stop = Task.Run(ps.Stop);
        Assert.True(await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(20))) == stop, "Stop did not return: the wait went on after Ctrl+C.");

        Assert.True(running.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Empty(ps.Streams.Error);
        Assert.Single(fixture.ShowsOf(room, job));
    }
}
