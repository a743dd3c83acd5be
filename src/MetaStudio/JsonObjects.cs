using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MetaStudio.Client.Json;

namespace MetaStudio;

/// <summary>
/// JSON text from the service (a command's result, an inserted command's parameters) as PowerShell
/// objects: objects become [pscustomobject]s with the service's member names, lists object arrays. Text
/// that is not JSON, or nested deeper than 64 levels, is kept as text. The text is already bounded by
/// the connection's response size; views show it through JsonSummary (escaped, secrets masked). The
/// parsing is the client's, so this assembly needs no JSON library.
/// </summary>
internal static class JsonObjects
{
    public static object? ToObject(string? text) => JsonText.TryParseTree(text, out var tree) ? Convert(tree) : text;

    private static object? Convert(object? value)
    {
        switch (value)
        {
            case Dictionary<string, object?> map:
                var result = new PSObject();
                foreach (var pair in map)
                {
                    result.Properties.Add(new PSNoteProperty(pair.Key, Convert(pair.Value)));
                }

                return result;
            case List<object?> list:
                return list.Select(Convert).ToArray();
            default:
                return value;
        }
    }
}
