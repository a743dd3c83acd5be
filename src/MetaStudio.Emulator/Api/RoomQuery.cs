using System;
using System.Collections.Generic;
using System.Linq;

namespace MetaStudio.Emulator.Api;

/// <summary>The validated query of ListSmartLiveRooms (API reference §1.11).</summary>
public sealed class RoomQuery
{
    /// <summary>The documented <c>live_state</c> values: SUCCESS is a last job that SUCCEED; NULL is a room without jobs.</summary>
    public static readonly IReadOnlyList<string> LiveStates = new[] { "WAITING", "PROCESSING", "SUCCESS", "FAILED", "CANCELED", "NULL" };

    public static readonly IReadOnlyList<string> RoomTypes = new[] { "NORMAL", "TEMP", "TEMPLATE" };

    /// <summary>As the API spells them ("OHTERS").</summary>
    public static readonly IReadOnlyList<string> TemplateOwnTypes = new[] { "OWNED", "SHARED_TO_OHTERS", "SHARED_FROM_OHTERS", "PUBLIC" };

    /// <summary>Lower case in the query; the rooms carry them upper case.</summary>
    public static readonly IReadOnlyList<string> ConfirmStates = new[] { "unconfirm", "confirmed", "reject" };

    public int Offset { get; private init; }

    public int Limit { get; private init; } = ListQuery.DefaultLimit;

    public string? RoomName { get; private init; }

    public string? DhId { get; private init; }

    public string? ModelName { get; private init; }

    public IReadOnlySet<string>? LiveStatesWanted { get; private init; }

    public DateTimeOffset? StartTime { get; private init; }

    public DateTimeOffset? EndTime { get; private init; }

    public string? RoomType { get; private init; }

    public string? TemplateOwnType { get; private init; }

    /// <summary>Upper case, as the rooms carry it.</summary>
    public string? ConfirmState { get; private init; }

    /// <summary>Validates decoded query pairs; on failure <paramref name="error"/> names the parameter and the accepted form.</summary>
    public static RoomQuery? TryParse(IReadOnlyList<KeyValuePair<string, string>> pairs, out string? error)
    {
        error = null;
        string? localError = null;
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs)
        {
            if (k == "live_state" && seen.TryGetValue(k, out var earlier))
            {
                seen[k] = earlier + "," + v; // live_state=A&live_state=B means live_state=A,B
            }
            else if (!seen.TryAdd(k, v))
            {
                error = $"Invalid parameter: {k} is given more than once";
                return null;
            }
        }

        int offset = 0, limit = ListQuery.DefaultLimit;
        if (seen.TryGetValue("offset", out var o) && !ListQuery.TryInt(o, 0, int.MaxValue, out offset))
        {
            error = "Invalid parameter: offset must be an integer from 0 to 2147483647";
            return null;
        }

        if (seen.TryGetValue("limit", out var l) && !ListQuery.TryInt(l, 1, ListQuery.MaxLimit, out limit))
        {
            error = "Invalid parameter: limit must be an integer from 1 to 100";
            return null;
        }

        string? Text(string name)
        {
            if (!seen.TryGetValue(name, out var value) || value.Length == 0)
            {
                return null;
            }

            if (value.Length > 256)
            {
                localError ??= $"Invalid parameter: {name} is longer than 256 characters";
            }

            return value;
        }

        string? roomName = Text("room_name"), dhId = Text("dh_id"), modelName = Text("model_name");
        if (localError != null)
        {
            error = localError;
            return null;
        }

        HashSet<string>? liveStates = null;
        if (seen.TryGetValue("live_state", out var ls))
        {
            var tokens = ls.Split(',');
            if (tokens.Any(t => !LiveStates.Contains(t, StringComparer.Ordinal)))
            {
                error = "Invalid parameter: live_state must be a comma-separated list of " + string.Join(", ", LiveStates);
                return null;
            }

            liveStates = new HashSet<string>(tokens, StringComparer.Ordinal);
        }

        DateTimeOffset? start = null, end = null;
        foreach (var (name, assign) in new (string, Action<DateTimeOffset>)[] { ("start_time", t => start = t), ("end_time", t => end = t) })
        {
            if (seen.TryGetValue(name, out var raw))
            {
                if (!ListQuery.TryParseRfc3339(raw, out var t))
                {
                    error = $"Invalid parameter: {name} must be an RFC 3339 time such as 2021-01-10T08:43:17Z";
                    return null;
                }

                assign(t);
            }
        }

        string? OneOf(string name, IReadOnlyList<string> allowed)
        {
            if (!seen.TryGetValue(name, out var value))
            {
                return null;
            }

            if (!allowed.Contains(value, StringComparer.Ordinal))
            {
                localError ??= $"Invalid parameter: {name} must be one of " + string.Join(", ", allowed);
            }

            return value;
        }

        string? roomType = OneOf("room_type", RoomTypes), ownType = OneOf("template_own_type", TemplateOwnTypes), confirm = OneOf("confirm_state", ConfirmStates);
        if (localError != null)
        {
            error = localError;
            return null;
        }

        return new RoomQuery
        {
            Offset = offset, Limit = limit, RoomName = roomName, DhId = dhId, ModelName = modelName, LiveStatesWanted = liveStates,
            StartTime = start, EndTime = end, RoomType = roomType, TemplateOwnType = ownType, ConfirmState = confirm?.ToUpperInvariant(),
        };
    }
}
