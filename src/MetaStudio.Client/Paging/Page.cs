using System;
using System.Collections.Generic;

namespace MetaStudio.Client.Paging;

/// <summary>One page of a listing: the items, the total the service reported, and any field it could not read.</summary>
public sealed class Page<T>
{
    public Page(long? count, IReadOnlyList<T> items, IReadOnlyList<ParseIssue>? issues = null)
    {
        Count = count;
        Items = items;
        Issues = issues ?? Array.Empty<ParseIssue>();
    }

    /// <summary>How many items match the query in all (before paging); null when the service did not say (or said nonsense).</summary>
    public long? Count { get; }

    public IReadOnlyList<T> Items { get; }

    /// <summary>Fields left empty because their value could not be read.</summary>
    public IReadOnlyList<ParseIssue> Issues { get; }

    /// <summary>A hash of the page's items as sent: a page served again has the same one, even when its items have no ids.</summary>
    public ulong Fingerprint { get; internal set; }
}

/// <summary>A field the service sent in a form whose meaning is not clear; it was left empty.</summary>
public sealed class ParseIssue
{
    /// <summary>The warning for an issue: the field, the item (noun: "job") and the raw value, escaped.</summary>
    public string Describe(string noun, string scope) => RawValue == "(missing)"
        ? $"The service sent a page without '{Text.ConsoleText.Shorten(Field, 80)}'; it was read as empty."
        : RawValue.StartsWith("(cannot be read", StringComparison.Ordinal)
            ? $"The service sent {noun} {Text.ConsoleText.Shorten(ItemId ?? Field, 64)} in a form that cannot be read {RawValue.Substring(15).TrimEnd(')')}; it was left out, and everything else was kept."
            : $"The service sent '{Text.ConsoleText.Shorten(Field, 80)}' of {(ItemId is null ? "the " + noun : $"{noun} {Text.ConsoleText.Shorten(ItemId, 64)}")} as {Text.ConsoleText.Shorten(RawValue, 84)}, which cannot be read; that field is left empty{scope}. Everything else was kept.";

    public ParseIssue(string field, string? itemId, string rawValue)
    {
        Field = field;
        ItemId = itemId;
        RawValue = rawValue;
    }

    /// <summary>The JSON path of the field, e.g. <c>duration</c> or <c>rtc_room_info.users[0].ctime</c>.</summary>
    public string Field { get; }

    /// <summary>The id of the item it belongs to, when it has one.</summary>
    public string? ItemId { get; }

    /// <summary>The value as sent (JSON text, shortened).</summary>
    public string RawValue { get; }
}
