using System;
using System.Collections.Generic;
using System.Linq;

namespace MetaStudio.Client.Connection;

/// <summary>
/// MetaStudio's regions and endpoints, resolved as the official SDKs do: the environment override
/// <c>HUAWEICLOUD_SDK_REGION_METASTUDIO_&lt;ID&gt;</c> first, then the regions file, then the built-in table.
/// Region ids compare case-insensitively and are checked only for what would make an unsafe host name.
/// </summary>
public static class Regions
{
    public const string DefaultRegion = "cn-north-4";

    /// <summary>The built-in table (the SDKs' region table) and display names.</summary>
    public static IReadOnlyDictionary<string, string> Known { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["cn-north-4"] = "CN North-Beijing4",
        ["cn-east-3"] = "CN East-Shanghai1",
    };

    public static string KnownList => string.Join(", ", Known.Keys.OrderBy(k => k, StringComparer.Ordinal));

    /// <summary>
    /// The region id in lower case, or null when it could not be part of a host name: 1–63 letters,
    /// digits and hyphens, starting and ending with a letter or digit (one DNS label).
    /// </summary>
    public static string? Normalize(string region)
    {
        string id = region.Trim();
        if (id.Length == 0 || id.Length > 63 || id[0] == '-' || id[id.Length - 1] == '-')
        {
            return null;
        }

        foreach (char c in id)
        {
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-'))
            {
                return null;
            }
        }

        return id.ToLowerInvariant();
    }

    /// <summary>The built-in endpoint of a region: https://metastudio.{region}.myhuaweicloud.com, or null.</summary>
    public static Uri? EndpointOf(string region) =>
        Known.ContainsKey(region) ? new Uri($"https://metastudio.{region.ToLowerInvariant()}.myhuaweicloud.com") : null;

    /// <summary>
    /// The SDKs' endpoint override variable of a region, e.g. HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4
    /// (a comma-separated list of endpoints).
    /// </summary>
    public static string OverrideVariable(string region) =>
        "HUAWEICLOUD_SDK_REGION_METASTUDIO_" + region.ToUpperInvariant().Replace('-', '_');

    /// <summary>
    /// The endpoints of a comma-separated list, in order, each given https:// when it has no scheme (as
    /// the SDKs do), validated, without repeats.
    /// </summary>
    public static IReadOnlyList<Uri> ParseEndpointList(string list, string origin)
    {
        var endpoints = new List<Uri>();
        foreach (string raw in list.Split(','))
        {
            string entry = raw.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            string withScheme = entry.IndexOf("://", StringComparison.Ordinal) >= 0 ? entry : "https://" + entry;
            if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri))
            {
                throw new MetaStudioConfigurationException("InvalidEndpoint", $"{origin} has '{Text.ConsoleText.Shorten(entry, 80)}', which is not an endpoint such as https://metastudio.cn-north-4.myhuaweicloud.com.");
            }

            var endpoint = ContextResolver.ValidateEndpoint(uri, origin);
            if (!endpoints.Contains(endpoint))
            {
                endpoints.Add(endpoint);
            }
        }

        if (endpoints.Count == 0)
        {
            throw new MetaStudioConfigurationException("InvalidEndpoint", $"{origin} names no endpoint.");
        }

        return endpoints;
    }
}
