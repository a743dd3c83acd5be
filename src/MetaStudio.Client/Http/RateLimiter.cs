using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace MetaStudio.Client.Http;

/// <summary>
/// Spaces requests evenly at no more than a rate (requests per second), so a listing never trips
/// the service's throttle (ListSmartLive allows 20/s per tenant). One limiter per endpoint and
/// project, shared by every cmdlet and runspace in the process.
/// </summary>
public sealed class RateLimiter
{
    public const double DefaultRate = 20;

    private static readonly ConcurrentDictionary<string, RateLimiter> Shared = new(StringComparer.OrdinalIgnoreCase);
    private readonly object gate = new();
    private long nextSlotTicks;
    private double rate;

    private RateLimiter(double rate) => this.rate = rate;

    /// <summary>Requests per second; 0 or less means no limit.</summary>
    public double Rate
    {
        get => Volatile.Read(ref rate);
        set => Volatile.Write(ref rate, value);
    }

    /// <summary>The process-wide limiter of an endpoint and project, set to <paramref name="rate"/> (the latest setting wins).</summary>
    public static RateLimiter For(Uri endpoint, string projectId, double rate)
    {
        var limiter = Shared.GetOrAdd(endpoint.GetLeftPart(UriPartial.Authority) + "|" + projectId, _ => new RateLimiter(rate));
        limiter.Rate = rate;
        return limiter;
    }

    /// <summary>Waits for this request's slot. Slots are 1/rate apart; no burst beyond one request.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        double r = Rate;
        if (r <= 0)
        {
            return Task.CompletedTask;
        }

        long interval = (long)(Stopwatch.Frequency / r);
        long now = Stopwatch.GetTimestamp();
        long slot;
        lock (gate)
        {
            slot = Math.Max(now, nextSlotTicks);
            nextSlotTicks = slot + interval;
        }

        long wait = slot - now;
        return wait <= 0
            ? Task.CompletedTask
            : Task.Delay(TimeSpan.FromTicks((long)(wait * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency))), cancellationToken);
    }
}

/// <summary>
/// How far the local clock is off from each endpoint's, learnt from a "signature expired" answer, so
/// later requests are signed with the service's time instead of failing one by one.
/// </summary>
public static class ClockOffsets
{
    private static readonly ConcurrentDictionary<string, TimeSpan> Offsets = new(StringComparer.OrdinalIgnoreCase);

    public static TimeSpan For(Uri endpoint) =>
        Offsets.TryGetValue(endpoint.GetLeftPart(UriPartial.Authority), out var offset) ? offset : TimeSpan.Zero;

    public static void Set(Uri endpoint, TimeSpan offset) => Offsets[endpoint.GetLeftPart(UriPartial.Authority)] = offset;

    /// <summary>Forgets every learnt offset (tests).</summary>
    public static void Reset() => Offsets.Clear();
}
