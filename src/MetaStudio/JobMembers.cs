using System;
using System.Management.Automation;
using MetaStudio.Client.Models;

namespace MetaStudio;

/// <summary>The code properties MetaStudio.Types.ps1xml adds to jobs.</summary>
public static class JobMembers
{
    /// <summary>Duration as a TimeSpan, whole seconds (null when the job has not started).</summary>
    public static TimeSpan? GetDurationSpan(PSObject job) => ToSpan((job.BaseObject as SmartLiveJob)?.Duration);

    /// <summary>StreamDuration as a TimeSpan, whole seconds.</summary>
    public static TimeSpan? GetStreamDurationSpan(PSObject job) => ToSpan((job.BaseObject as SmartLiveJob)?.StreamDuration);

    private static TimeSpan? ToSpan(double? seconds) =>
        seconds is { } s && !double.IsNaN(s) && !double.IsInfinity(s) && s >= 0 && s < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(Math.Round(s))
            : null;
}
