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
}

/// <summary>A field the service sent in a form whose meaning is not clear; it was left empty.</summary>
public sealed class ParseIssue
{
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
