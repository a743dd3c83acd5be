using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Models;

namespace MetaStudio.Client.SmartLive;

/// <summary>How waiting for one job ended.</summary>
public enum WaitResult
{
    /// <summary>The job reached one of the states waited for.</summary>
    Reached,

    /// <summary>The job ended in a state that was not waited for (FAILED while waiting for PROCESSING).</summary>
    EndedOtherwise,

    /// <summary>The time ran out first; <see cref="JobWaitOutcome.Job"/> is the last state seen.</summary>
    TimedOut,

    /// <summary>Asking for the job failed (after the transport's retries); see <see cref="JobWaitOutcome.Error"/>.</summary>
    Failed,
}

/// <summary>The end of waiting for one job.</summary>
public sealed class JobWaitOutcome
{
    internal JobWaitOutcome(string roomId, string jobId, WaitResult result, SmartLiveJob? job, MetaStudioServiceException? error)
    {
        RoomId = roomId;
        JobId = jobId;
        Result = result;
        Job = job;
        Error = error;
    }

    public string RoomId { get; }

    public string JobId { get; }

    public WaitResult Result { get; }

    /// <summary>The job as last seen (null when it was never seen).</summary>
    public SmartLiveJob? Job { get; }

    public MetaStudioServiceException? Error { get; }
}

/// <summary>
/// Waits for many jobs at once: every poll round asks ShowSmartLive for every job still waited for,
/// a bounded number at a time (the operation's rate limiter paces them), and each job's outcome is
/// yielded as soon as it is known. A round starts every poll interval, or at once when the previous
/// one took longer, so a job is seen within one poll interval plus one round after it changes.
/// The timeout bounds the whole wait: the last round starts by the deadline, and what is still
/// unanswered <see cref="LastRoundGrace"/> after it (a stalled request, a Retry-After, the rate
/// limiter's queue) is abandoned and reported as timed out with the state last seen.
/// </summary>
public sealed class JobWaiter
{
    /// <summary>The states in which a job is over.</summary>
    public static readonly IReadOnlyList<string> EndedStates = new[] { "SUCCEED", "FAILED", "BLOCKED" };

    /// <summary>How long the round at the deadline may take before its requests are abandoned.</summary>
    public static readonly TimeSpan LastRoundGrace = TimeSpan.FromSeconds(2);

    /// <summary>Requests in flight at once; the rate limiter paces them further.</summary>
    public const int MaxInFlight = 16;

    private readonly SmartLiveClient client;
    private readonly HashSet<string> targets;
    private readonly TimeSpan pollInterval;
    private readonly TimeSpan timeout;

    public JobWaiter(SmartLiveClient client, IEnumerable<string> targetStates, TimeSpan pollInterval, TimeSpan timeout)
    {
        this.client = client;
        targets = new HashSet<string>(targetStates.Select(s => s.ToUpperInvariant()), StringComparer.Ordinal);
        this.pollInterval = pollInterval;
        this.timeout = timeout;
    }

    /// <summary>Poll rounds made so far.</summary>
    public int Rounds { get; private set; }

    /// <summary>The outcome of every job, in the order they are known.</summary>
    public async IAsyncEnumerable<JobWaitOutcome> WaitAsync(IReadOnlyList<(string RoomId, string JobId)> jobs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = jobs.Distinct().ToList();
        var lastSeen = new Dictionary<(string, string), SmartLiveJob>();
        var deadline = DateTime.UtcNow + timeout;
        using var gate = new SemaphoreSlim(MaxInFlight);
        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        hardStop.CancelAfter(timeout + LastRoundGrace);
        while (pending.Count > 0)
        {
            Rounds++;
            var roundStart = DateTime.UtcNow;
            var inFlight = pending.ToDictionary(j => Ask(j, gate, hardStop.Token), j => j);
            while (inFlight.Count > 0)
            {
                var done = await Task.WhenAny(inFlight.Keys).ConfigureAwait(false);
                var key = inFlight[done];
                inFlight.Remove(done);
                var (job, error, abandoned) = await done.ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                JobWaitOutcome? outcome = null;
                if (abandoned)
                {
                    outcome = new JobWaitOutcome(key.RoomId, key.JobId, WaitResult.TimedOut, lastSeen.TryGetValue(key, out var seen) ? seen : null, null);
                }
                else if (error != null)
                {
                    outcome = new JobWaitOutcome(key.RoomId, key.JobId, WaitResult.Failed, lastSeen.TryGetValue(key, out var seen) ? seen : null, error);
                }
                else if (job != null)
                {
                    lastSeen[key] = job;
                    string state = (job.State ?? string.Empty).ToUpperInvariant();
                    if (targets.Contains(state))
                    {
                        outcome = new JobWaitOutcome(key.RoomId, key.JobId, WaitResult.Reached, job, null);
                    }
                    else if (EndedStates.Contains(state))
                    {
                        outcome = new JobWaitOutcome(key.RoomId, key.JobId, WaitResult.EndedOtherwise, job, null);
                    }
                }

                if (outcome != null)
                {
                    pending.Remove(key);
                    yield return outcome;
                }
            }

            if (pending.Count == 0)
            {
                yield break;
            }

            var now = DateTime.UtcNow;
            if (now >= deadline)
            {
                foreach (var key in pending)
                {
                    yield return new JobWaitOutcome(key.RoomId, key.JobId, WaitResult.TimedOut, lastSeen.TryGetValue(key, out var seen) ? seen : null, null);
                }

                yield break;
            }

            var wait = roundStart + pollInterval - now;
            if (wait > deadline - now)
            {
                wait = deadline - now;
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <returns>The job, or the error, or Abandoned when the wait's time ran out before an answer came.</returns>
    private async Task<(SmartLiveJob? Job, MetaStudioServiceException? Error, bool Abandoned)> Ask((string RoomId, string JobId) key, SemaphoreSlim gate, CancellationToken hardStop)
    {
        try
        {
            await gate.WaitAsync(hardStop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return (null, null, true);
        }

        try
        {
            return (await client.ShowAsync(key.RoomId, key.JobId, hardStop).ConfigureAwait(false), null, false);
        }
        catch (MetaStudioServiceException e)
        {
            return (null, e, false);
        }
        catch (OperationCanceledException)
        {
            // The caller's own cancellation is rethrown by the loop; this is the deadline.
            return (null, null, true);
        }
        finally
        {
            gate.Release();
        }
    }
}
