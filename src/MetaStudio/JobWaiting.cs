using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using MetaStudio.Client.Models;
using MetaStudio.Client.SmartLive;
using MetaStudio.Client.Text;

namespace MetaStudio;

/// <summary>
/// Waits for jobs on behalf of a cmdlet (Wait-MSSmartLiveJob, and -Wait of Start-/Stop-MSSmartLiveJob):
/// polls them together, writes each job when it reaches a wanted state, a non-terminating error for
/// one that ends otherwise or runs out of time (with its last state and error), and progress.
/// </summary>
internal static class JobWaiting
{
    private static int nextActivityId = 100;

    /// <param name="writeReached">Write the jobs that reach a wanted state (Stop -Wait without -PassThru writes nothing).</param>
    /// <param name="endedIsError">A job that ends in a state not waited for is an error (false: any end is fine).</param>
    /// <param name="started">The job was started by this command (Start -Wait): a wait that fails or runs out says the live may be running, and targets it.</param>
    public static void Run(ServiceCmdlet cmdlet, SmartLiveClient client, IReadOnlyList<(string RoomId, string JobId)> jobs, IReadOnlyCollection<string> states,
        TimeSpan pollInterval, TimeSpan timeout, bool writeReached, bool endedIsError, CancellationToken cancellationToken, object? started = null)
    {
        if (jobs.Count == 0)
        {
            return;
        }

        bool toEnd = states.Count == JobWaiter.EndedStates.Count && JobWaiter.EndedStates.All(states.Contains);
        string wanted = toEnd ? "ended (SUCCEED, FAILED or BLOCKED)" : string.Join(" or ", states);
        string activity = jobs.Count == 1 ? $"Waiting for job {ConsoleText.Shorten(jobs[0].JobId, 64)} to be {wanted}" : $"Waiting for {jobs.Count:N0} jobs to be {wanted}";
        if (toEnd)
        {
            activity = jobs.Count == 1 ? $"Waiting for job {ConsoleText.Shorten(jobs[0].JobId, 64)} to end" : $"Waiting for {jobs.Count:N0} jobs to end";
        }

        int activityId = Interlocked.Increment(ref nextActivityId);
        var waiter = new JobWaiter(client, endedIsError ? states : states.Concat(JobWaiter.EndedStates), pollInterval, timeout);
        var outcomes = waiter.WaitAsync(jobs, cancellationToken).GetAsyncEnumerator(cancellationToken);
        int done = 0;
        bool progressCompleted = false;
        try
        {
            cmdlet.WriteProgress(new ProgressRecord(activityId, activity, $"0 of {jobs.Count:N0} done") { PercentComplete = 0 });
            while (outcomes.MoveNextAsync().AsTask().ConfigureAwait(false).GetAwaiter().GetResult())
            {
                cmdlet.DrainTraces();
                var outcome = outcomes.Current;
                done++;
                if (done == jobs.Count)
                {
                    // Cleared before the last job is written, so the console does not draw the bar again under it.
                    cmdlet.WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
                    progressCompleted = true;
                }
                else
                {
                    cmdlet.WriteProgress(new ProgressRecord(activityId, activity, string.Format(CultureInfo.CurrentCulture, "{0:N0} of {1:N0} done", done, jobs.Count))
                    {
                        PercentComplete = done * 100 / jobs.Count,
                    });
                }

                switch (outcome.Result)
                {
                    case WaitResult.Reached:
                        if (writeReached)
                        {
                            cmdlet.WriteObject(outcome.Job);
                        }

                        break;
                    case WaitResult.Failed:
                        cmdlet.WriteServiceError(started is null ? outcome.Error! : outcome.Error!.WithNote(StartedNote), started ?? $"{outcome.RoomId}/{outcome.JobId}", outcome.RoomId, outcome.JobId);
                        break;
                    default:
                        cmdlet.WriteError(StateError(outcome, wanted, timeout, started));
                        break;
                }
            }
        }
        finally
        {
            cmdlet.DrainTraces();
            if (!progressCompleted)
            {
                cmdlet.WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }

            outcomes.DisposeAsync().AsTask().ContinueWith(t => _ = t.Exception, System.Threading.Tasks.TaskScheduler.Default);
        }
    }

    /// <summary>What a failed Start -Wait adds, so that nobody starts a second live while the first may be on air.</summary>
    private const string StartedNote = "The live was started and may be running: look at it with Get-MSSmartLiveJob -RoomId <room> -JobId <job>, stop it with Stop-MSSmartLiveJob -RoomId <room> -JobId <job>";

    private static ErrorRecord StateError(JobWaitOutcome outcome, string wanted, TimeSpan timeout, object? started)
    {
        var job = outcome.Job;
        string details = job is null ? string.Empty :
            (job.ErrorInfo is { } info && !string.IsNullOrEmpty(info.ErrorCode) ? $" ({info})" : string.Empty) +
            (string.IsNullOrEmpty(job.BlockReason) ? string.Empty : $", blocked: {ConsoleText.Shorten(job.BlockReason, 200)}");
        string last = job is null ? "it was never seen" : $"its last state was {ConsoleText.Shorten(job.State, 32)}{details}";
        bool timedOut = outcome.Result == WaitResult.TimedOut;
        string message = timedOut
            ? string.Format(CultureInfo.InvariantCulture, "Job {0} in room {1} {2} {3} after {4:0.#} s; {5}.", Id(outcome.JobId), Id(outcome.RoomId),
                wanted.StartsWith("ended ", StringComparison.Ordinal) ? "had not" : "was not", wanted, timeout.TotalSeconds, last)
            : $"Job {Id(outcome.JobId)} in room {Id(outcome.RoomId)} ended {ConsoleText.Shorten(job?.State, 32)}{details} while waiting for it to be {wanted}.";
        if (timedOut && started != null)
        {
            message = ServiceErrors.FillIn(message + " " + StartedNote + ".", outcome.RoomId, outcome.JobId);
        }

        var exception = new SmartLiveJobStateException(message, job, outcome.RoomId, outcome.JobId);
        return new ErrorRecord(exception, timedOut ? "WaitTimeout" : "UnexpectedJobState", timedOut ? ErrorCategory.OperationTimeout : ErrorCategory.InvalidResult,
            (object?)job ?? started ?? $"{outcome.RoomId}/{outcome.JobId}")
        {
            ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = ServiceErrors.FillIn(timedOut
                    ? "Wait longer (-TimeoutSec), or look at the job: Get-MSSmartLiveJob -RoomId <room> -JobId <job>."
                    : "Look at the job's ErrorInfo and BlockReason (Get-MSSmartLiveJob -RoomId <room> -JobId <job> | Format-List), fix the room, and start it again.",
                    outcome.RoomId, outcome.JobId),
            },
        };
    }

    private static string Id(string id) => ConsoleText.Shorten(id, 64);
}

/// <summary>A job ended in a state that was not waited for, or was not in it in time. <see cref="Job"/> is its last state.</summary>
public sealed class SmartLiveJobStateException : Exception
{
    public SmartLiveJobStateException(string message, SmartLiveJob? job, string roomId, string jobId)
        : base(message)
    {
        Job = job;
        RoomId = roomId;
        JobId = jobId;
    }

    /// <summary>The job as last seen (null when it was never seen).</summary>
    public SmartLiveJob? Job { get; }

    public string RoomId { get; }

    public string JobId { get; }
}
