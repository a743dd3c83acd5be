using System;
using System.Collections.Concurrent;
using System.Globalization;

namespace MetaStudio.Client.Http;

/// <summary>
/// How far the local clock is off from each endpoint's, learnt from a "signature expired" answer, so
/// later requests are signed with the service's time instead of failing one by one. An offset is
/// always the service's Date minus the local time of that same response (it replaces, never adds
/// to, an earlier one), so concurrent learners agree and a corrected service clock is re-learnt by
/// the next expired signature. Offsets beyond <see cref="MaxOffset"/> are refused.
/// </summary>
public static class ClockOffsets
{
    /// <summary>The largest offset the module corrects for; a larger one is a broken clock, not a skew.</summary>
    public static readonly TimeSpan MaxOffset = TimeSpan.FromHours(24);

    private static readonly ConcurrentDictionary<string, TimeSpan> Offsets = new(StringComparer.OrdinalIgnoreCase);

    public static TimeSpan For(Uri endpoint) =>
        Offsets.TryGetValue(Key(endpoint), out var offset) ? offset : TimeSpan.Zero;

    /// <summary>The time to sign with for an endpoint: now, corrected by its offset.</summary>
    public static DateTime SigningTime(Uri endpoint) => DateTime.UtcNow + For(endpoint);

    /// <summary>Learns the offset from a response's Date and the local time it arrived.</summary>
    /// <returns>The offset now in force.</returns>
    /// <exception cref="ClockSkewException">The two clocks differ by more than <see cref="MaxOffset"/>.</exception>
    public static TimeSpan Learn(Uri endpoint, DateTimeOffset serviceNow, DateTimeOffset localNow)
    {
        TimeSpan offset = serviceNow - localNow;
        if (offset > MaxOffset || offset < -MaxOffset)
        {
            throw new ClockSkewException(serviceNow, localNow);
        }

        Offsets[Key(endpoint)] = offset;
        return offset;
    }

    /// <summary>Puts back an offset known before (a learnt one that did not help is dropped).</summary>
    public static void Restore(Uri endpoint, TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            Offsets.TryRemove(Key(endpoint), out _);
        }
        else
        {
            Offsets[Key(endpoint)] = offset;
        }
    }

    /// <summary>Forgets the offset of an endpoint (Connect-MSAccount starts afresh).</summary>
    public static void Reset(Uri endpoint) => Offsets.TryRemove(Key(endpoint), out _);

    /// <summary>Forgets every learnt offset (tests).</summary>
    public static void Reset() => Offsets.Clear();

    private static string Key(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Authority);
}

/// <summary>The service's clock and this computer's are too far apart to sign requests by either.</summary>
public sealed class ClockSkewException : Exception
{
    public ClockSkewException(DateTimeOffset serviceNow, DateTimeOffset localNow)
        : base(string.Format(CultureInfo.InvariantCulture,
            "the service's clock says {0:yyyy-MM-dd HH:mm:ss} UTC and this computer's says {1:yyyy-MM-dd HH:mm:ss} UTC; they differ by more than the {2:0} hours this module corrects for. Set this computer's clock (NTP), or check the endpoint",
            serviceNow.UtcDateTime, localNow.UtcDateTime, ClockOffsets.MaxOffset.TotalHours))
    {
        ServiceTime = serviceNow;
        LocalTime = localNow;
    }

    public DateTimeOffset ServiceTime { get; }

    public DateTimeOffset LocalTime { get; }
}
