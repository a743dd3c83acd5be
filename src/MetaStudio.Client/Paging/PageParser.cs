using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading;

namespace MetaStudio.Client.Paging;

/// <summary>How the page parser treats what it reports: secrets masked in raw values, and Ctrl+C or the attempt's timeout.</summary>
public sealed class ParseOptions
{
    public static readonly ParseOptions None = new();

    /// <summary>Masks secrets in a raw value before it is kept for a warning.</summary>
    public Func<string, string>? Redact { get; set; }

    public CancellationToken Cancellation { get; set; }
}

/// <summary>
/// Reads a listing page (<c>{"count": N, "&lt;items&gt;": [ … ]}</c>) or one object. The fast path reads a page
/// in one pass. When a value cannot be read, the page is read again slowly: every item that reads
/// cleanly is kept as it is, and in the others only the offending fields are left empty (recorded as
/// <see cref="ParseIssue"/>s, their raw values with secrets masked), so one odd field never costs a
/// whole page. An item that cannot be read at all (duplicate keys, say) is left out with an issue. A
/// body that is not JSON at all still throws (the transport retries it); a body that is JSON but not
/// an object throws too. Each page carries a fingerprint of its items, so a page served again can be
/// told from a new one even when its items have no ids.
/// </summary>
internal static class PageParser
{
    private const int MaxIssuesPerPage = 100;
    private const int MaxRawValue = 80;

    /// <param name="itemsName">The array's property name, e.g. smart_live_jobs.</param>
    /// <param name="idName">The item's id property, for naming items in issues, e.g. job_id.</param>
    public static Page<T> Parse<T>(ReadOnlySpan<byte> body, string itemsName, string idName, JsonSerializerContext context, ParseOptions options)
        where T : class
    {
        var itemInfo = (JsonTypeInfo<T>)context.GetTypeInfo(typeof(T))!;
        try
        {
            return Fast(body, itemsName, itemInfo);
        }
        catch (JsonException) when (Http.MetaStudioTransport.IsWellFormedJson(body))
        {
            return Slow(body, itemsName, idName, itemInfo, context, options);
        }
    }

    /// <summary>One object (ShowSmartLive, ShowSmartLiveRoom), read leniently: its issues are added to <paramref name="issues"/>.</summary>
    public static T ParseItem<T>(ReadOnlySpan<byte> body, string idName, JsonSerializerContext context, ParseOptions options, List<ParseIssue> issues)
        where T : class
    {
        var itemInfo = (JsonTypeInfo<T>)context.GetTypeInfo(typeof(T))!;
        try
        {
            return JsonSerializer.Deserialize(body, itemInfo) ?? throw new JsonException("The body is null, not an object.");
        }
        catch (JsonException) when (Http.MetaStudioTransport.IsWellFormedJson(body))
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"The body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object.");
            }

            return ReadItem(document.RootElement, string.Empty, idName, itemInfo, context, options, issues)
                   ?? throw new JsonException("The object cannot be read (it repeats a key).");
        }
    }

    private static Page<T> Fast<T>(ReadOnlySpan<byte> body, string itemsName, JsonTypeInfo<T> itemInfo)
        where T : class
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        long? count = null;
        List<T>? items = null;
        ulong fingerprint = 0;
        var issues = new List<ParseIssue>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("count"))
            {
                reader.Read();
                count = Json.Lenient.ReadInteger(ref reader, 0, long.MaxValue);
            }
            else if (reader.ValueTextEquals(itemsName))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException($"{itemsName} is not an array.");
                }

                int start = (int)reader.TokenStartIndex;
                items = new List<T>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(JsonSerializer.Deserialize(ref reader, itemInfo) ?? throw new JsonException("An item is null."));
                }

                fingerprint = Fingerprint(body.Slice(start, (int)reader.BytesConsumed - start));
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (items is null)
        {
            issues.Add(new ParseIssue(itemsName, null, "(missing)"));
        }

        return new Page<T>(count, (IReadOnlyList<T>?)items ?? Array.Empty<T>(), issues) { Fingerprint = fingerprint };
    }

    private static Page<T> Slow<T>(ReadOnlySpan<byte> body, string itemsName, string idName, JsonTypeInfo<T> itemInfo, JsonSerializerContext context, ParseOptions options)
        where T : class
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"The body is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object.");
        }

        var issues = new List<ParseIssue>();
        long? count = null;
        if (root.TryGetProperty("count", out var countElement))
        {
            if (TryRead<long?>(countElement, context, out var c) && c is >= 0)
            {
                count = c;
            }
            else
            {
                Note(issues, "count", null, countElement, options);
            }
        }

        var items = new List<T>();
        ulong fingerprint = 0;
        if (!root.TryGetProperty(itemsName, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            issues.Add(new ParseIssue(itemsName, null, "(missing)"));
        }
        else if (array.ValueKind != JsonValueKind.Array)
        {
            Note(issues, itemsName, null, array, options);
        }
        else
        {
            fingerprint = Fingerprint(System.Text.Encoding.UTF8.GetBytes(array.GetRawText()));
            int index = 0;
            foreach (var element in array.EnumerateArray())
            {
                options.Cancellation.ThrowIfCancellationRequested();
                string path = $"{itemsName}[{index++}]";
                if (element.ValueKind != JsonValueKind.Object)
                {
                    Note(issues, path, null, element, options);
                    continue;
                }

                if (ReadItem(element, path, idName, itemInfo, context, options, issues) is { } item)
                {
                    items.Add(item);
                }
            }
        }

        return new Page<T>(count, items, issues.Take(MaxIssuesPerPage).ToList()) { Fingerprint = fingerprint };
    }

    /// <summary>An item read as it is, or with its unreadable fields left empty; null (with an issue) when it cannot be read at all.</summary>
    private static T? ReadItem<T>(JsonElement element, string path, string idName, JsonTypeInfo<T> itemInfo, JsonSerializerContext context, ParseOptions options, List<ParseIssue> issues)
        where T : class
    {
        if (TryRead<T>(element, context, out var item) && item != null)
        {
            return item;
        }

        string? id = element.TryGetProperty(idName, out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        try
        {
            var node = JsonNode.Parse(element.GetRawText())!.AsObject();
            Strip(node, itemInfo, string.Empty, id, issues, context, options);
            return (T?)JsonSerializer.Deserialize(node, typeof(T), context);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or JsonException)
        {
            // A key given twice (JsonNode refuses it), or a shape nothing can be made of: leave the item out, and say so.
            issues.Add(new ParseIssue(path.Length == 0 ? "(the object)" : path, id, "(cannot be read: it repeats a key or is malformed)"));
            return null;
        }
    }

    /// <summary>Removes the members of an object that cannot be read as their property's type, recursing into nested objects and arrays.</summary>
    private static void Strip(JsonObject node, JsonTypeInfo info, string path, string? id, List<ParseIssue> issues, JsonSerializerContext context, ParseOptions options)
    {
        foreach (var member in node.ToList())
        {
            var property = info.Properties.FirstOrDefault(p => p.Name == member.Key);
            if (property is null || member.Value is null || TryRead(member.Value, property.PropertyType, context))
            {
                continue;
            }

            string field = path + member.Key;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (member.Value is JsonObject inner && context.GetTypeInfo(type) is { Kind: JsonTypeInfoKind.Object } innerInfo)
            {
                Strip(inner, innerInfo, field + ".", id, issues, context, options);
                continue;
            }

            if (member.Value is JsonArray list && type.IsArray && context.GetTypeInfo(type.GetElementType()!) is { } elementInfo)
            {
                for (int i = list.Count - 1; i >= 0; i--)
                {
                    var element = list[i];
                    if (element is JsonObject objectElement && elementInfo.Kind == JsonTypeInfoKind.Object)
                    {
                        Strip(objectElement, elementInfo, $"{field}[{i}].", id, issues, context, options);
                    }
                    else if (element != null && !TryRead(element, elementInfo.Type, context))
                    {
                        Add(issues, new ParseIssue($"{field}[{i}]", id, Raw(element, options)));
                        list.RemoveAt(i);
                    }
                }

                if (TryRead(list, property.PropertyType, context))
                {
                    continue;
                }
            }

            Add(issues, new ParseIssue(field, id, Raw(member.Value, options)));
            node.Remove(member.Key);
        }
    }

    private static bool TryRead<TValue>(JsonElement element, JsonSerializerContext context, out TValue? value)
    {
        try
        {
            value = (TValue?)JsonSerializer.Deserialize(element.GetRawText(), typeof(TValue), context);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            value = default;
            return false;
        }
    }

    private static bool TryRead(JsonNode node, Type type, JsonSerializerContext context)
    {
        try
        {
            JsonSerializer.Deserialize(node, type, context);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return false;
        }
    }

    private static void Note(List<ParseIssue> issues, string field, string? id, JsonElement value, ParseOptions options) =>
        Add(issues, new ParseIssue(field, id, Raw(value, options)));

    private static void Add(List<ParseIssue> issues, ParseIssue issue)
    {
        if (issues.Count < MaxIssuesPerPage)
        {
            issues.Add(issue);
        }
    }

    /// <summary>A raw value for a warning: a string decoded (so an escaped secret is recognised), masked, then shortened; anything else as JSON.</summary>
    private static string Raw(JsonElement value, ParseOptions options) =>
        Shown(value.ValueKind == JsonValueKind.String ? value.GetString() : null, value.GetRawText(), options);

    private static string Raw(JsonNode value, ParseOptions options) =>
        Shown(value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null, value.ToJsonString(), options);

    private static string Shown(string? text, string json, ParseOptions options)
    {
        string shown = text is null ? json : "\"" + text + "\"";
        shown = options.Redact?.Invoke(shown) ?? shown;
        return shown.Length <= MaxRawValue ? shown : shown.Substring(0, MaxRawValue) + "…";
    }

    /// <summary>FNV-1a over the items' bytes: the same page served again has the same fingerprint.</summary>
    private static ulong Fingerprint(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 14695981039346656037;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 1099511628211;
        }

        return hash;
    }
}
