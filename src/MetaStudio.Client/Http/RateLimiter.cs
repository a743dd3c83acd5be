using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace MetaStudio.Client.Http;

/// <summary>
/// Spaces requests evenly at no more than a rate (requests per second), so a listing never trips the
/// service's throttle (ListSmartLive allows 20/s per tenant). Waiters queue in order and are released
/// one per interval; a waiter that is cancelled leaves the queue and so gives its slot back, and a
/// wait longer than the caller allows fails at once instead of waiting. Limiters are shared by the
/// whole process per endpoint, project, bucket and rate: calls with the same settings are paced
/// together across runspaces, and a connection with another -RateLimit gets a limiter of its own.
/// </summary>
public sealed class RateLimiter
{
    public const double DefaultRate = 20;

    private static readonly ConcurrentDictionary<string, RateLimiter> Shared = new(StringComparer.OrdinalIgnoreCase);
    private readonly object gate = new();
    private readonly LinkedList<TaskCompletionSource<bool>> queue = new();
    private readonly long interval;
    private readonly Timer timer;
    private long lastGrant = long.MinValue / 2;
    private bool timerArmed;

    private RateLimiter(double rate)
    {
        Rate = rate;
        interval = Math.Max(1, (long)(Stopwatch.Frequency / rate));
        timer = new Timer(_ => Release(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Requests per second.</summary>
    public double Rate { get; }

    /// <summary>Waiters queued now.</summary>
    public int Queued
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    /// <summary>The process-wide limiter for these settings, or null when <paramref name="rate"/> is 0 or less (no limit).</summary>
    public static RateLimiter? For(Uri endpoint, string projectId, string bucket, double rate)
    {
        if (rate <= 0 || double.IsNaN(rate))
        {
            return null;
        }

        string key = string.Join("|", endpoint.GetLeftPart(UriPartial.Authority), projectId, bucket, rate.ToString("R", CultureInfo.InvariantCulture));
        return Shared.GetOrAdd(key, _ => new RateLimiter(rate));
    }

    /// <summary>Waits for this request's slot.</summary>
    /// <param name="maxWait">The longest acceptable wait; a longer one throws <see cref="RateLimitWaitException"/> without queueing.</param>
    public Task WaitAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<bool> waiter;
        LinkedListNode<TaskCompletionSource<bool>> node;
        lock (gate)
        {
            long now = Stopwatch.GetTimestamp();
            long next = lastGrant + interval;
            if (queue.Count == 0 && now >= next)
            {
                lastGrant = now;
                return Task.CompletedTask;
            }

            long expected = Math.Max(now, next) + (queue.Count * interval) - now;
            var expectedWait = TimeSpan.FromTicks((long)(expected * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
            if (expectedWait > maxWait)
            {
                throw new RateLimitWaitException(expectedWait, maxWait, Rate, queue.Count);
            }

            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = queue.AddLast(waiter);
            Arm(now);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                bool removed;
                lock (gate)
                {
                    removed = node.List != null;
                    if (removed)
                    {
                        queue.Remove(node); // the slot goes back to the queue
                    }
                }

                if (removed)
                {
                    waiter.TrySetCanceled();
                }
            });
            waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return waiter.Task;
    }

    private void Release()
    {
        TaskCompletionSource<bool>? granted = null;
        lock (gate)
        {
            timerArmed = false;
            long now = Stopwatch.GetTimestamp();
            if (queue.Count > 0 && now >= lastGrant + interval)
            {
                granted = queue.First!.Value;
                queue.RemoveFirst();
                // On time, the next slot is an interval after this one's; a late timer catches up by at
                // most half an interval, so the average never exceeds the rate and no burst follows.
                lastGrant = Math.Max(lastGrant + interval, now - (interval / 2));
            }

            if (queue.Count > 0)
            {
                Arm(now);
            }
        }

        granted?.TrySetResult(true);
    }

    private void Arm(long now)
    {
        if (timerArmed)
        {
            return;
        }

        long due = Math.Max(0, lastGrant + interval - now);
        timerArmed = true;
        timer.Change((long)Math.Ceiling(due * 1000.0 / Stopwatch.Frequency), Timeout.Infinite);
    }
}

/// <summary>A request would wait longer for its rate-limit slot than its timeout allows.</summary>
public sealed class RateLimitWaitException : Exception
{
    public RateLimitWaitException(TimeSpan expectedWait, TimeSpan maxWait, double rate, int queued)
        : base(string.Format(CultureInfo.InvariantCulture,
            "the client-side rate limit ({0:0.###} requests/s, {1} requests queued ahead) would delay this request {2:0.#} s, longer than its {3:0.#} s timeout",
            rate, queued, expectedWait.TotalSeconds, maxWait.TotalSeconds))
    {
        ExpectedWait = expectedWait;
    }

    public TimeSpan ExpectedWait { get; }
}
