using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MetaStudio.Client.SmartLive;

/// <summary>
/// The filters of ListSmartLiveRooms. <see cref="Validate"/> rejects what the API would reject, before
/// any request; enumerations are open (the service adds values) but must look like the API's tokens.
/// </summary>
public sealed class SmartLiveRoomQuery
{
    /// <summary>Live states of the room filter (note SUCCESS, where a job's state is SUCCEED; NULL = no job yet).</summary>
    public static readonly IReadOnlyList<string> KnownLiveStates = new[] { "WAITING", "PROCESSING", "SUCCESS", "FAILED", "CANCELED", "NULL" };

    public static readonly IReadOnlyList<string> KnownRoomTypes = new[] { "NORMAL", "TEMP", "TEMPLATE" };

    /// <summary>As the API spells them (OHTERS sic).</summary>
    public static readonly IReadOnlyList<string> KnownTemplateOwnTypes = new[] { "OWNED", "SHARED_TO_OHTERS", "SHARED_FROM_OHTERS", "PUBLIC" };

    /// <summary>The confirm states; sent in lower case, as the API documents the filter.</summary>
    public static readonly IReadOnlyList<string> KnownConfirmStates = new[] { "UNCONFIRM", "CONFIRMED", "REJECT" };

    private static readonly System.Text.RegularExpressions.Regex Token = new("^[A-Za-z][A-Za-z_]{0,63}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public string? RoomName { get; set; }

    /// <summary>The digital human (dh_id).</summary>
    public string? DigitalHumanId { get; set; }

    /// <summary>Fuzzy match on the avatar's name.</summary>
    public string? ModelName { get; set; }

    public IReadOnlyList<string>? LiveStates { get; set; }

    public DateTime? StartTime { get; set; }

    public DateTime? EndTime { get; set; }

    public string? RoomType { get; set; }

    public string? TemplateOwnType { get; set; }

    public string? ConfirmState { get; set; }

    public int PageSize { get; set; } = SmartLiveJobQuery.MaxPageSize;

    /// <summary>Throws <see cref="ArgumentException"/> (ParamName = the cmdlet parameter) for what the API would reject.</summary>
    public void Validate()
    {
        if (PageSize < 1 || PageSize > SmartLiveJobQuery.MaxPageSize)
        {
            throw new ArgumentException($"-PageSize {PageSize} is out of range: use 1 to {SmartLiveJobQuery.MaxPageSize}.", nameof(PageSize));
        }

        Text(RoomName, nameof(RoomName), "part of a room name");
        Text(DigitalHumanId, nameof(DigitalHumanId), "a digital-human id");
        Text(ModelName, nameof(ModelName), "part of an avatar's name");
        foreach (var state in LiveStates ?? Array.Empty<string>())
        {
            Enumeration(state, "LiveState", KnownLiveStates);
        }

        Enumeration(RoomType, nameof(RoomType), KnownRoomTypes);
        Enumeration(TemplateOwnType, nameof(TemplateOwnType), KnownTemplateOwnTypes);
        Enumeration(ConfirmState, nameof(ConfirmState), KnownConfirmStates);
        if (StartTime is { } start && EndTime is { } end && SmartLiveJobQuery.FormatTime(start).CompareTo(SmartLiveJobQuery.FormatTime(end)) > 0)
        {
            throw new ArgumentException($"-StartTime ({SmartLiveJobQuery.FormatTime(start)}) is later than -EndTime ({SmartLiveJobQuery.FormatTime(end)}); nothing could match.", nameof(StartTime));
        }
    }

    /// <summary>The query pairs of one page.</summary>
    public List<KeyValuePair<string, string>> ToQuery(long offset, int limit)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("offset", offset.ToString(CultureInfo.InvariantCulture)),
            new("limit", limit.ToString(CultureInfo.InvariantCulture)),
        };
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add(new(key, value!));
            }
        }

        Add("room_name", RoomName);
        Add("dh_id", DigitalHumanId);
        Add("model_name", ModelName);
        if (LiveStates is { Count: > 0 })
        {
            Add("live_state", string.Join(",", LiveStates.Select(s => s.ToUpperInvariant())));
        }

        Add("start_time", StartTime is { } start ? SmartLiveJobQuery.FormatTime(start) : null);
        Add("end_time", EndTime is { } end ? SmartLiveJobQuery.FormatTime(end) : null);
        Add("room_type", RoomType?.ToUpperInvariant());
        Add("template_own_type", TemplateOwnType?.ToUpperInvariant());
        Add("confirm_state", ConfirmState?.ToLowerInvariant());
        return query;
    }

    private static void Text(string? value, string parameter, string what)
    {
        if (value is null)
        {
            return;
        }

        if (value.Trim().Length == 0 || value.Length > 256 || value.Any(c => char.IsControl(c) || MetaStudio.Client.Text.ConsoleText.NeedsEscape(c)))
        {
            throw new ArgumentException($"-{parameter} must be {what}: 1 to 256 characters, no control characters.", parameter);
        }
    }

    private static void Enumeration(string? value, string parameter, IReadOnlyList<string> known)
    {
        if (value != null && !Token.IsMatch(value))
        {
            throw new ArgumentException($"-{parameter} '{MetaStudio.Client.Text.ConsoleText.Shorten(value, 64)}' is not a value the API takes: use {string.Join(", ", known)}.", parameter);
        }
    }
}
