using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MetaStudio.Client.SmartLive;

/// <summary>
/// What to list: one room (ListSmartLive) or the whole project (ListSmartLiveJobs), and the API's
/// filters. <see cref="Validate"/> rejects what the API would reject, before any request.
/// </summary>
public sealed class SmartLiveJobQuery
{
    public const int MaxPageSize = 100;

    /// <summary>Job states the API documents (others are sent as given: the service adds values).</summary>
    public static readonly IReadOnlyList<string> KnownStates = new[] { "WAITING", "PROCESSING", "SUCCEED", "FAILED", "BLOCKED" };

    // A state as the API spells them: upper-case letters and underscores (others are sent as given).
    private static readonly System.Text.RegularExpressions.Regex StateToken = new("^[A-Z][A-Z_]{0,63}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Sort keys: PowerShell name → API value.</summary>
    public static readonly IReadOnlyDictionary<string, string> SortKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["CreateTime"] = "create_time",
        ["UpdateTime"] = "update_time",
        ["AssetOrder"] = "asset_order",
    };

    /// <summary>The room whose jobs to list; null lists the whole project.</summary>
    public string? RoomId { get; set; }

    /// <summary>Fuzzy room-name filter of the project-wide listing.</summary>
    public string? RoomName { get; set; }

    public IReadOnlyList<string>? States { get; set; }

    /// <summary>The API's sort key (create_time, update_time, asset_order), or null for the API default.</summary>
    public string? SortKey { get; set; }

    public bool Descending { get; set; }

    public DateTime? CreateSince { get; set; }

    public DateTime? CreateUntil { get; set; }

    public int PageSize { get; set; } = MaxPageSize;

    /// <summary>A copy for one room (null: the whole project).</summary>
    public SmartLiveJobQuery With(string? roomId) => new()
    {
        RoomId = roomId, RoomName = roomId is null ? RoomName : null, States = States, SortKey = SortKey, Descending = Descending,
        CreateSince = CreateSince, CreateUntil = CreateUntil, PageSize = PageSize,
    };

    /// <summary>The API value of a sort key given as CreateTime/UpdateTime/AssetOrder or as the API value; null when unknown.</summary>
    public static string? SortKeyValue(string name)
    {
        if (SortKeys.TryGetValue(name, out var value))
        {
            return value;
        }

        return SortKeys.Values.FirstOrDefault(v => v.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>RFC 3339 UTC, whole seconds: <c>yyyy-MM-ddTHH:mm:ssZ</c>. Local and unspecified times are converted to UTC.</summary>
    public static string FormatTime(DateTime time) =>
        (time.Kind == DateTimeKind.Utc ? time : time.ToUniversalTime()).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Checks an id that becomes one path segment: not empty, at most 256 characters, not "." or "..",
    /// and none of / ? # % white space or control characters.
    /// </summary>
    public static void ValidatePathSegment(string? value, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"-{parameterName} is empty.", parameterName);
        }

        if (value!.Length > 256)
        {
            throw new ArgumentException($"-{parameterName} is {value.Length:N0} characters long; ids are at most 256 characters.", parameterName);
        }

        if (value == "." || value == "..")
        {
            throw new ArgumentException($"-{parameterName} '{value}' is not an id.", parameterName);
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsSurrogate(value[i]) && !(char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) &&
                !(char.IsLowSurrogate(value[i]) && i > 0 && char.IsHighSurrogate(value[i - 1])))
            {
                throw new ArgumentException($"-{parameterName} '{Printable(value)}' contains half of a Unicode surrogate pair (U+{(int)value[i]:X4}), which cannot be sent.", parameterName);
            }
        }

        foreach (char c in value)
        {
            bool invisible = char.IsControl(c) || Text.ConsoleText.NeedsEscape(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;
            if (c is '/' or '?' or '#' or '%' || char.IsWhiteSpace(c) || invisible)
            {
                string shown = invisible || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString();
                throw new ArgumentException($"-{parameterName} '{Printable(value)}' contains '{shown}'; an id may not contain / ? # % white space, control or invisible formatting characters.", parameterName);
            }
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> (ParamName = the cmdlet parameter) for what the API would reject.</summary>
    public void Validate()
    {
        if (RoomId != null)
        {
            ValidatePathSegment(RoomId, "RoomId");
        }

        if (PageSize < 1 || PageSize > MaxPageSize)
        {
            throw new ArgumentException($"-PageSize {PageSize} is out of range: use 1 to {MaxPageSize}.", nameof(PageSize));
        }

        foreach (var state in States ?? Array.Empty<string>())
        {
            if (state is null || !StateToken.IsMatch(state))
            {
                throw new ArgumentException($"-State '{state}' is not a job state: use WAITING, PROCESSING, SUCCEED, FAILED or BLOCKED (upper-case letters and underscores).", "State");
            }
        }

        if (CreateSince is { } since && CreateUntil is { } until && FormatTime(since).CompareTo(FormatTime(until)) > 0)
        {
            throw new ArgumentException($"-CreateSince ({FormatTime(since)}) is later than -CreateUntil ({FormatTime(until)}); nothing could match.", nameof(CreateSince));
        }

        if (RoomName != null && RoomName.Trim().Length == 0)
        {
            throw new ArgumentException("-RoomName is blank; omit it or give part of a room name.", nameof(RoomName));
        }

        if (RoomName != null && RoomName.Any(char.IsControl))
        {
            throw new ArgumentException("-RoomName contains a control character; give part of a room name.", nameof(RoomName));
        }

        if (RoomName != null && RoomName.Length > 256)
        {
            throw new ArgumentException($"-RoomName is {RoomName.Length:N0} characters long; room names are at most 256 characters.", nameof(RoomName));
        }
    }

    /// <summary>The query pairs of one page, in a fixed order (they are sorted canonically when sent).</summary>
    public List<KeyValuePair<string, string>> ToQuery(long offset, int limit)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("offset", offset.ToString(CultureInfo.InvariantCulture)),
            new("limit", limit.ToString(CultureInfo.InvariantCulture)),
        };
        if (States is { Count: > 0 })
        {
            query.Add(new("state", string.Join(",", States)));
        }

        if (SortKey != null)
        {
            query.Add(new("sort_key", SortKey));
        }

        if (Descending)
        {
            query.Add(new("sort_dir", "desc"));
        }

        if (CreateSince is { } since)
        {
            query.Add(new("create_since", FormatTime(since)));
        }

        if (CreateUntil is { } until)
        {
            query.Add(new("create_until", FormatTime(until)));
        }

        if (RoomId is null && !string.IsNullOrEmpty(RoomName))
        {
            query.Add(new("room_name", RoomName!));
        }

        return query;
    }

    private static string Printable(string value)
    {
        var chars = value.Take(64).Select(c => char.IsControl(c) || char.IsSurrogate(c) || Text.ConsoleText.NeedsEscape(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format ? '?' : c).ToArray();
        return new string(chars) + (value.Length > 64 ? "…" : string.Empty);
    }
}
