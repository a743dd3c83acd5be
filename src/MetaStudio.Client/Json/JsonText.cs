using System;
using System.Collections.Generic;
using System.Text.Json;

namespace MetaStudio.Client.Json;

/// <summary>JSON text a user gives (a request body from a file) as a plain tree of dictionaries, lists and values.</summary>
public static class JsonText
{
    /// <summary>The object in the text.</summary>
    /// <exception cref="ArgumentException">Not JSON, or not an object (ParamName = <paramref name="parameter"/>).</exception>
    public static Dictionary<string, object?> ParseObject(string text, string parameter)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"-{parameter} is JSON text of a {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; it must be an object ({{ … }}).", parameter);
            }

            return (Dictionary<string, object?>)Tree(document.RootElement)!;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"-{parameter} is a string that is not JSON ({Text.ConsoleText.Shorten(e.Message, 200)}); give a hashtable, an object or JSON text.", parameter, e);
        }
    }

    /// <summary>
    /// Untrusted text from the service that may be JSON (a command's result): true with its tree (objects as
    /// ordered dictionaries, lists, values) when it is an object or a list nested at most 64 levels deep.
    /// </summary>
    public static bool TryParseTree(string? text, out object? tree)
    {
        tree = null;
        string trimmed = text?.TrimStart() ?? string.Empty;
        if (trimmed.Length == 0 || trimmed[0] is not ('{' or '['))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text!, new JsonDocumentOptions { MaxDepth = 64 });
            tree = Tree(document.RootElement);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The object in untrusted text, nested at most <paramref name="maxDepth"/> levels; null with <paramref name="error"/> saying what is wrong.</summary>
    public static Dictionary<string, object?>? TryParseObject(string text, int maxDepth, out string? error)
    {
        error = null;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = maxDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"it is JSON text of a {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not of an object";
                return null;
            }

            return (Dictionary<string, object?>)Tree(document.RootElement)!;
        }
        catch (JsonException e)
        {
            error = $"it is not JSON ({Text.ConsoleText.Shorten(e.Message, 160)})";
            return null;
        }
    }

    /// <summary>Compact JSON text of a tree of dictionaries, lists and values (as <see cref="ParseObject"/> makes).</summary>
    public static string Serialize(object? tree) => System.Text.Encoding.UTF8.GetString(JsonTreeWriter.ToJson(tree, "tree"));

    private static object? Tree(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => Object(element),
        JsonValueKind.Array => List(element),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out long l) ? l : element.TryGetDecimal(out decimal m) ? m : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static Dictionary<string, object?> Object(JsonElement element)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = Tree(property.Value);
        }

        return map;
    }

    private static List<object?> List(JsonElement element)
    {
        var list = new List<object?>();
        foreach (var item in element.EnumerateArray())
        {
            list.Add(Tree(item));
        }

        return list;
    }
}
