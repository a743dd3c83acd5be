using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace MetaStudio.Emulator.Api;

/// <summary>The validated query of ListSmartLive / ListSmartLiveJobs (API reference §1.3).</summary>
public sealed class ListQuery
{
    public const int MaxLimit = 100;
    public const int DefaultLimit = 10;
    private static readonly string[] SortKeys = { "create_time", "update_time", "asset_order" };
    private static readonly Regex StateToken = new("^[A-Z][A-Z_]{0,31}$", RegexOptions.CultureInvariant);
    private static readonly string[] TimeFormats = { "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK" };

    public int Offset { get; private init; }

    public int Limit { get; private init; } = DefaultLimit;

    public IReadOnlySet<string>? States { get; private init; }

    public string SortKey { get; private init; } = "create_time";

    public bool Descending { get; private init; }

    public DateTimeOffset? CreateSince { get; private init; }

    public DateTimeOffset? CreateUntil { get; private init; }

    public string? RoomName { get; private init; }

    internal string CacheKey =>
        string.Join("|", RoomName ?? "", States is null ? "" : string.Join(",", States.OrderBy(s => s, StringComparer.Ordinal)),
            CreateSince?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "", CreateUntil?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "",
            SortKey, Descending ? "desc" : "asc");

    /// <summary>Validates decoded query pairs; on failure <paramref name="error"/> names the parameter and the accepted form.</summary>
    public static ListQuery? TryParse(IReadOnlyList<KeyValuePair<string, string>> pairs, bool allowRoomName, out string? error)
    {
        error = null;
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs)
        {
            if (k == "state" && seen.TryGetValue(k, out var earlier))
            {
                seen[k] = earlier + "," + v; // state=A&state=B means the same as state=A,B
            }
            else if (!seen.TryAdd(k, v))
            {
                error = $"Invalid parameter: {k} is given more than once";
                return null;
            }
        }

        int offset = 0, limit = DefaultLimit;
        if (seen.TryGetValue("offset", out var o) && !TryInt(o, 0, int.MaxValue, out offset))
        {
            error = "Invalid parameter: offset must be an integer from 0 to 2147483647";
            return null;
        }

        if (seen.TryGetValue("limit", out var l) && !TryInt(l, 1, MaxLimit, out limit))
        {
            error = "Invalid parameter: limit must be an integer from 1 to 100";
            return null;
        }

        HashSet<string>? states = null;
        if (seen.TryGetValue("state", out var s))
        {
            var tokens = s.Split(',');
            if (tokens.Any(t => !StateToken.IsMatch(t)))
            {
                error = "Invalid parameter: state must be a comma-separated list of states such as WAITING,PROCESSING,SUCCEED,FAILED,BLOCKED";
                return null;
            }

            states = new HashSet<string>(tokens, StringComparer.Ordinal);
        }

        string sortKey = "create_time";
        if (seen.TryGetValue("sort_key", out var sk))
        {
            if (!SortKeys.Contains(sk, StringComparer.Ordinal))
            {
                error = "Invalid parameter: sort_key must be create_time, update_time or asset_order";
                return null;
            }

            sortKey = sk;
        }

        bool descending = false;
        if (seen.TryGetValue("sort_dir", out var sd))
        {
            if (sd is not ("asc" or "desc"))
            {
                error = "Invalid parameter: sort_dir must be asc or desc";
                return null;
            }

            descending = sd == "desc";
        }

        DateTimeOffset? since = null, until = null;
        foreach (var (name, assign) in new (string, Action<DateTimeOffset>)[] { ("create_since", t => since = t), ("create_until", t => until = t) })
        {
            if (seen.TryGetValue(name, out var raw))
            {
                if (!TryParseRfc3339(raw, out var t))
                {
                    error = $"Invalid parameter: {name} must be an RFC 3339 time such as 2021-01-10T08:43:17Z";
                    return null;
                }

                assign(t);
            }
        }

        string? roomName = null;
        if (seen.TryGetValue("room_name", out var rn))
        {
            if (!allowRoomName)
            {
                // ListSmartLive has no room_name; unknown parameters are ignored, as the gateway does.
            }
            else if (rn.Length > 256)
            {
                error = "Invalid parameter: room_name is longer than 256 characters";
                return null;
            }
            else
            {
                roomName = rn;
            }
        }

        return new ListQuery
        {
            Offset = offset, Limit = limit, States = states, SortKey = sortKey, Descending = descending,
            CreateSince = since, CreateUntil = until, RoomName = roomName,
        };
    }

    /// <summary>RFC 3339 with an explicit zone (Z or ±hh:mm); a time without one is ambiguous and refused.</summary>
    public static bool TryParseRfc3339(string value, out DateTimeOffset time)
    {
        time = default;
        return ExplicitZone.IsMatch(value) &&
               DateTimeOffset.TryParseExact(value, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    private static readonly Regex ExplicitZone = new(@"(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant);

    internal static bool TryInt(string value, int min, int max, out int result) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;
}
