using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;

namespace MetaStudio;

/// <summary>
/// JSON text from the service (a command's result, an inserted command's parameters) as PowerShell
/// objects: objects become [pscustomobject]s with the service's member names, lists object arrays. Text
/// that is not JSON, or nested deeper than 64 levels, is kept as text. The text is already bounded by
/// the connection's response size; views show it through JsonSummary (escaped, secrets masked).
/// </summary>
internal static class JsonObjects
{
    private const int MaxDepth = 64;

    public static object? ToObject(string? text)
    {
        string trimmed = text?.TrimStart() ?? string.Empty;
        if (trimmed.Length == 0 || trimmed[0] is not ('{' or '['))
        {
            return text;
        }

        try
        {
            using var document = JsonDocument.Parse(text!, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return Convert(document.RootElement);
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private static object? Convert(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var result = new PSObject();
                foreach (var property in element.EnumerateObject())
                {
                    // A name sent twice keeps its first value, as the typed models do not allow either.
                    if (result.Properties[property.Name] is null)
                    {
                        result.Properties.Add(new PSNoteProperty(property.Name, Convert(property.Value)));
                    }
                }

                return result;
            case JsonValueKind.Array:
                var items = new List<object?>();
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(Convert(item));
                }

                return items.ToArray();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.TryGetInt64(out long l) ? l : element.TryGetDecimal(out decimal m) ? m : double.Parse(element.GetRawText(), CultureInfo.InvariantCulture);
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
