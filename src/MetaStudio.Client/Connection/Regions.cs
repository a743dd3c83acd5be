using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace MetaStudio.Client.Connection;

/// <summary>MetaStudio's regions and endpoints (the official SDKs' region table).</summary>
public static class Regions
{
    public const string DefaultRegion = "cn-north-4";

    private static readonly Regex RegionId = new("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant);

    /// <summary>Known regions and their display names.</summary>
    public static IReadOnlyDictionary<string, string> Known { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cn-north-4"] = "CN North-Beijing4",
        ["cn-east-3"] = "CN East-Shanghai1",
    };

    public static bool IsWellFormed(string region) => RegionId.IsMatch(region);

    /// <summary>The endpoint of a known region: https://metastudio.{region}.myhuaweicloud.com.</summary>
    public static Uri? EndpointOf(string region) =>
        Known.ContainsKey(region) ? new Uri($"https://metastudio.{region}.myhuaweicloud.com") : null;

    /// <summary>
    /// The SDKs' endpoint override variable for a region, e.g.
    /// HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4 (a comma-separated list; the first is used).
    /// </summary>
    public static string OverrideVariable(string region) =>
        "HUAWEICLOUD_SDK_REGION_METASTUDIO_" + region.ToUpperInvariant().Replace('-', '_');

    public static string KnownList => string.Join(", ", Known.Keys.OrderBy(k => k, StringComparer.Ordinal));
}
