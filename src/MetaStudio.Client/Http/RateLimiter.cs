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
/// service's throttle (ListSmartLive allows 20/s per tenant, counted per second). Waiters queue in
/// order and are released one per interval; a waiter that is cancelled leaves the queue and so gives
/// its slot back, and a wait longer than the caller allows fails at once instead of waiting. A slot
/// released late (a busy machine's timer) lets the next ones catch up, but never so far that one
/// second holds more slots than the rate: each window of <c>rate</c> slots lasts a second plus
/// <see cref="WindowMargin"/>, which also absorbs small differences between when requests leave and
/// when the service counts them. Limiters are shared by the whole process per endpoint, project,
/// bucket and rate: calls with the same settings are paced together across runspaces, and a
/// connection with another -RateLimit gets a limiter of its own.
/// </summary>
public sealed class RateLimiter
{
    public const double DefaultRate = 20;

    /// <summary>
    /// Added to each window of <c>rate</c> slots (a second), so the pace is 5% under the rate at 20/s: on a busy
    /// two-core machine a request was seen to leave up to 50 ms after its slot, and the service counts arrivals.
    /// </summary>
    public static readonly TimeSpan WindowMargin = TimeSpan.FromMilliseconds(50);

    private static readonly ConcurrentDictionary<string, RateLimiter> Shared = new(StringComparer.OrdinalIgnoreCase);
    private readonly object gate = new();
    private readonly LinkedList<TaskCompletionSource<bool>> queue = new();
    private readonly long interval;
    private readonly long window;
    private readonly long[] recent; // the times of the last slots, one window's worth, oldest at `oldest`
    private readonly Func<long> clock;
    private readonly Timer? timer;
    private int oldest;
    private long lastGrant = long.MinValue / 2;
    private bool timerArmed;

    private RateLimiter(double rate)
        : this(rate, Stopwatch.GetTimestamp, useTimer: true)
    {
    }

    /// <param name="clock">Now, in <see cref="Stopwatch"/> ticks.</param>
    /// <param name="useTimer">False: nothing releases waiters but calls to <see cref="Release"/> (tests drive the clock).</param>
    internal RateLimiter(double rate, Func<long> clock, bool useTimer)
    {
        Rate = rate;
        this.clock = clock;
        int perWindow = SlotsPerWindow(rate);
        window = (long)(Stopwatch.Frequency * (perWindow / rate)) + (long)(WindowMargin.TotalSeconds * Stopwatch.Frequency);
        interval = Math.Max(1, window / perWindow);
        recent = new long[perWindow];
        for (int i = 0; i < recent.Length; i++)
        {
            recent[i] = long.MinValue / 2;
        }

        timer = useTimer ? new Timer(_ => Release(), null, Timeout.Infinite, Timeout.Infinite) : null;
    }

    /// <summary>When the next waiter is due to be released (<see cref="Stopwatch"/> ticks); null when none waits.</summary>
    internal long? DueAt { get; private set; }

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

    /// <summary>The time between two slots at this rate (a little over 1/rate: see <see cref="WindowMargin"/>).</summary>
    public static TimeSpan IntervalFor(double rate) =>
        TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond * ((SlotsPerWindow(rate) / rate) + WindowMargin.TotalSeconds) / SlotsPerWindow(rate)));

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
            long now = clock();
            long next = NextSlot();
            if (queue.Count == 0 && now >= next)
            {
                lastGrant = now;
                Taken(now);
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

    /// <summary>Grants the first waiter its slot if it is due (the timer calls it).</summary>
    internal void Release()
    {
        TaskCompletionSource<bool>? granted = null;
        lock (gate)
        {
            timerArmed = false;
            DueAt = null;
            long now = clock();
            if (queue.Count > 0 && now >= NextSlot())
            {
                granted = queue.First!.Value;
                queue.RemoveFirst();
                // On time, the next slot is an interval after this one's; a late timer catches up by at
                // most half an interval, so the average never exceeds the rate and no burst follows, and
                // never within a window of the slot a window's worth of slots ago.
                lastGrant = Math.Max(lastGrant + interval, now - (interval / 2));
                Taken(now);
            }

            if (queue.Count > 0)
            {
                Arm(now);
            }
        }

        granted?.TrySetResult(true);
    }

    /// <summary>Slots in one window: the rate, whole (at least one; a rate under 1/s has one slot per 1/rate seconds).</summary>
    private static int SlotsPerWindow(double rate) => (int)Math.Max(1, Math.Min(100_000, Math.Floor(rate)));

    // The earliest time for the next slot: an interval after the last, and a window after the oldest of the last window's worth.
    private long NextSlot() => Math.Max(lastGrant + interval, recent[oldest] + window);

    private void Taken(long now)
    {
        recent[oldest] = now;
        oldest = (oldest + 1) % recent.Length;
    }

    private void Arm(long now)
    {
        if (timerArmed)
        {
            return;
        }

        long due = Math.Max(0, NextSlot() - now);
        timerArmed = true;
        DueAt = now + due;
        timer?.Change((long)Math.Ceiling(due * 1000.0 / Stopwatch.Frequency), Timeout.Infinite);
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
