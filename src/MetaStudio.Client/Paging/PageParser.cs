using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace MetaStudio.Client.Paging;

/// <summary>
/// Reads a listing page (<c>{"count": N, "&lt;items&gt;": [ … ]}</c>). The fast path reads it in one pass.
/// When a value cannot be read, the page is read again slowly: every item that reads cleanly is kept
/// as it is, and in the others only the offending fields are left empty (recorded as
/// <see cref="ParseIssue"/>s), so one odd field never costs a whole page. A body that is not JSON
/// at all still throws (the transport retries it); a body that is JSON but not an object throws too.
/// </summary>
internal static class PageParser
{
    private const int MaxIssuesPerPage = 100;

    /// <param name="itemsName">The array's property name, e.g. smart_live_jobs.</param>
    /// <param name="idName">The item's id property, for naming items in issues, e.g. job_id.</param>
    public static Page<T> Parse<T>(ReadOnlySpan<byte> body, string itemsName, string idName, JsonSerializerContext context)
        where T : class
    {
        var itemInfo = (JsonTypeInfo<T>)context.GetTypeInfo(typeof(T))!;
        try
        {
            return Fast(body, itemsName, itemInfo);
        }
        catch (JsonException) when (Http.MetaStudioTransport.IsWellFormedJson(body))
        {
            return Slow(body, itemsName, idName, itemInfo, context);
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

                items = new List<T>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(JsonSerializer.Deserialize(ref reader, itemInfo) ?? throw new JsonException("An item is null."));
                }
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

        return new Page<T>(count, (IReadOnlyList<T>?)items ?? Array.Empty<T>(), issues);
    }

    private static Page<T> Slow<T>(ReadOnlySpan<byte> body, string itemsName, string idName, JsonTypeInfo<T> itemInfo, JsonSerializerContext context)
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
            count = TryRead<long?>(countElement, context, out var c) ? c : Note(issues, "count", null, countElement);
        }

        var items = new List<T>();
        if (!root.TryGetProperty(itemsName, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            issues.Add(new ParseIssue(itemsName, null, "(missing)"));
        }
        else if (array.ValueKind != JsonValueKind.Array)
        {
            Note(issues, itemsName, null, array);
        }
        else
        {
            int index = 0;
            foreach (var element in array.EnumerateArray())
            {
                string path = $"{itemsName}[{index++}]";
                if (element.ValueKind != JsonValueKind.Object)
                {
                    Note(issues, path, null, element);
                    continue;
                }

                if (TryRead<T>(element, context, out var item) && item != null)
                {
                    items.Add(item);
                    continue;
                }

                string? id = element.TryGetProperty(idName, out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
                var node = JsonNode.Parse(element.GetRawText())!.AsObject();
                Strip(node, itemInfo, string.Empty, id, issues, context);
                items.Add((T)JsonSerializer.Deserialize(node, typeof(T), context)!);
            }
        }

        return new Page<T>(count, items, issues.Take(MaxIssuesPerPage).ToList());
    }

    /// <summary>Removes the members of an object that cannot be read as their property's type, recursing into nested objects and arrays.</summary>
    private static void Strip(JsonObject node, JsonTypeInfo info, string path, string? id, List<ParseIssue> issues, JsonSerializerContext context)
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
                Strip(inner, innerInfo, field + ".", id, issues, context);
                continue;
            }

            if (member.Value is JsonArray list && type.IsArray && context.GetTypeInfo(type.GetElementType()!) is { } elementInfo)
            {
                for (int i = list.Count - 1; i >= 0; i--)
                {
                    var element = list[i];
                    if (element is JsonObject objectElement && elementInfo.Kind == JsonTypeInfoKind.Object)
                    {
                        Strip(objectElement, elementInfo, $"{field}[{i}].", id, issues, context);
                    }
                    else if (element != null && !TryRead(element, elementInfo.Type, context))
                    {
                        issues.Add(new ParseIssue($"{field}[{i}]", id, Shorten(element.ToJsonString())));
                        list.RemoveAt(i);
                    }
                }

                if (TryRead(list, property.PropertyType, context))
                {
                    continue;
                }
            }

            issues.Add(new ParseIssue(field, id, Shorten(member.Value.ToJsonString())));
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
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
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
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            return false;
        }
    }

    private static long? Note(List<ParseIssue> issues, string field, string? id, JsonElement value)
    {
        issues.Add(new ParseIssue(field, id, Shorten(value.GetRawText())));
        return null;
    }

    private static string Shorten(string raw) => raw.Length <= 80 ? raw : raw.Substring(0, 80) + "…";
}
