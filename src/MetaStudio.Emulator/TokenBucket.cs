using System;

namespace MetaStudio.Emulator;

/// <summary>The gateway's per-tenant throttle: <c>rate</c> requests per second, bursts up to <c>rate</c> (at least one).</summary>
internal sealed class TokenBucket
{
    private readonly object gate = new();
    private readonly double rate;
    private readonly double capacity;
    private double tokens;
    private long lastTicks;

    public TokenBucket(double rate, long nowTicks)
    {
        this.rate = rate;
        capacity = Math.Max(1, rate);
        tokens = capacity;
        lastTicks = nowTicks;
    }

    public bool TryTake(long nowTicks)
    {
        lock (gate)
        {
            tokens = Math.Min(capacity, tokens + ((nowTicks - lastTicks) / (double)TimeSpan.TicksPerSecond * rate));
            lastTicks = nowTicks;
            if (tokens < 1)
            {
                return false;
            }

            tokens -= 1;
            return true;
        }
    }
}
