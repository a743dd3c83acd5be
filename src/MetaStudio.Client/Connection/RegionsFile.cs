using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MetaStudio.Client.Connection;

/// <summary>
/// The SDKs' regions file (<c>HUAWEICLOUD_SDK_REGIONS_FILE</c>, default <c>~/.huaweicloud/regions.yaml</c>):
/// a service name, then a list of regions with an <c>id</c> and an <c>endpoint</c> and/or a list of
/// <c>endpoints</c>. Only the <c>metastudio</c> entries are read, by a small strict reader for exactly
/// this shape: block or flow lists, flow mappings (<c>- {id: x, endpoint: y}</c>), a list at its key's
/// own indentation, quoted or plain scalars, comments. Anything else under <c>metastudio</c> (a tab, an
/// unexpected nesting, a key given twice) is an error naming the line, never a silent guess.
/// </summary>
public static class RegionsFile
{
    public const string PathVariable = "HUAWEICLOUD_SDK_REGIONS_FILE";
    private const string Service = "metastudio";
    private static readonly string[] Keys = { "id", "endpoint", "endpoints" };

    public static string DefaultPath(string? home) => Path.Combine(home ?? string.Empty, ".huaweicloud", "regions.yaml");

    /// <summary>MetaStudio's regions in the file: id (lower case) → its endpoints as written, and the line of its id.</summary>
    public static IReadOnlyDictionary<string, (List<string> Endpoints, int Line)> Parse(string text, string path)
    {
        string shownPath = Text.ConsoleText.Shorten(path, 200);
        var regions = new Dictionary<string, (List<string> Endpoints, int Line)>(StringComparer.OrdinalIgnoreCase);
        bool inService = false;
        Item? item = null;
        int keyColumn = -1; // where the current item's keys start
        int listColumn = -1; // indentation of "endpoints:" while its block list is read
        string[] lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            int lineNumber = n + 1;
            string line = StripComment(lines[n].TrimEnd('\r'));
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (inService && line.Length > line.TrimStart(' ', '\t').Length && line.Substring(0, line.Length - line.TrimStart(' ', '\t').Length).Contains('\t'))
            {
                throw Invalid(shownPath, lineNumber, "spaces for indentation (YAML does not allow tabs)");
            }

            int indent = line.Length - line.TrimStart(' ').Length;
            string body = line.Trim();
            bool isItem = body == "-" || body.StartsWith("- ", StringComparison.Ordinal);
            if (indent == 0 && !(inService && isItem))
            {
                Finish(item, regions, shownPath);
                item = null;
                listColumn = -1;
                if (!body.EndsWith(":", StringComparison.Ordinal))
                {
                    throw Invalid(shownPath, lineNumber, "a service name followed by ':' (such as metastudio:)");
                }

                inService = string.Equals(Unquote(body.Substring(0, body.Length - 1).Trim()), Service, StringComparison.OrdinalIgnoreCase);
                continue;
            }

            if (!inService)
            {
                continue; // other services are not this module's business
            }

            if (listColumn >= 0 && indent > listColumn && isItem)
            {
                item!.Endpoints.Add(Unquote(body.Substring(1).Trim()));
                continue;
            }

            listColumn = -1;
            if (isItem)
            {
                Finish(item, regions, shownPath);
                item = new Item(lineNumber);
                string rest = body.Substring(1).Trim();
                keyColumn = indent + (body.Length - rest.Length);
                if (rest.StartsWith("{", StringComparison.Ordinal))
                {
                    ReadFlowMapping(rest, item, shownPath, lineNumber);
                    item.Closed = true;
                    continue;
                }

                if (rest.Length == 0)
                {
                    keyColumn = -1; // the keys start on the next line
                    continue;
                }

                body = rest;
                indent = keyColumn;
            }

            if (item is null)
            {
                throw Invalid(shownPath, lineNumber, "a list item ('- id: …') under metastudio:");
            }

            if (item.Closed)
            {
                throw Invalid(shownPath, lineNumber, "a new list item ('- id: …'): the one before was written on one line");
            }

            if (keyColumn < 0)
            {
                keyColumn = indent;
            }

            if (indent != keyColumn)
            {
                throw Invalid(shownPath, lineNumber, $"a key at the item's indentation ({keyColumn} spaces): deeper nesting is not part of a region entry");
            }

            int colon = body.IndexOf(':');
            if (colon <= 0)
            {
                throw Invalid(shownPath, lineNumber, "key: value");
            }

            string key = body.Substring(0, colon).Trim().ToLowerInvariant();
            string value = body.Substring(colon + 1).Trim();
            if (value.Length == 0 && key == "endpoints")
            {
                item.Use(key, shownPath, lineNumber);
                listColumn = indent;
                continue;
            }

            Set(item, key, value, shownPath, lineNumber);
        }

        Finish(item, regions, shownPath);
        return regions;
    }

    private static void Set(Item item, string key, string value, string path, int line)
    {
        item.Use(key, path, line);
        switch (key)
        {
            case "id":
                item.Id = Unquote(value);
                item.IdLine = line;
                break;
            case "endpoint":
                item.Endpoints.Add(Unquote(value));
                break;
            case "endpoints":
                if (!(value.StartsWith("[", StringComparison.Ordinal) && value.EndsWith("]", StringComparison.Ordinal)))
                {
                    throw Invalid(path, line, "a list: [https://a, https://b] on one line, or '- https://a' lines under endpoints:");
                }

                item.Endpoints.AddRange(SplitFlow(value.Substring(1, value.Length - 2)).Select(Unquote));
                break;
        }
    }

    /// <summary><c>{id: x, endpoint: y, endpoints: [a, b]}</c> on one line.</summary>
    private static void ReadFlowMapping(string text, Item item, string path, int line)
    {
        if (!text.EndsWith("}", StringComparison.Ordinal))
        {
            throw Invalid(path, line, "a mapping closed on the same line: {id: …, endpoint: …}");
        }

        foreach (string pair in SplitFlow(text.Substring(1, text.Length - 2)))
        {
            int colon = pair.IndexOf(':');
            if (colon <= 0)
            {
                throw Invalid(path, line, "key: value pairs inside { }");
            }

            Set(item, pair.Substring(0, colon).Trim().ToLowerInvariant(), pair.Substring(colon + 1).Trim(), path, line);
        }
    }

    /// <summary>Splits on commas outside quotes and brackets.</summary>
    private static IEnumerable<string> SplitFlow(string text)
    {
        int depth = 0, start = 0;
        char quote = '\0';
        for (int i = 0; i <= text.Length; i++)
        {
            char c = i < text.Length ? text[i] : ',';
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c is '[' or '{')
            {
                depth++;
            }
            else if (c is ']' or '}')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                string part = text.Substring(start, i - start).Trim();
                if (part.Length > 0)
                {
                    yield return part;
                }

                start = i + 1;
            }
        }
    }

    private static void Finish(Item? item, Dictionary<string, (List<string> Endpoints, int Line)> regions, string path)
    {
        if (item is null || string.IsNullOrEmpty(item.Id))
        {
            return; // an entry without an id is skipped, as the SDKs skip it
        }

        string id = Text.ConsoleText.Shorten(item.Id, 64);
        if (item.Endpoints.Count == 0)
        {
            throw new MetaStudioConfigurationException("RegionsFileInvalid", $"The regions file {path} gives region {id} (line {item.IdLine}) no endpoint or endpoints.");
        }

        if (regions.TryGetValue(item.Id!, out var earlier))
        {
            throw new MetaStudioConfigurationException("RegionsFileInvalid", $"The regions file {path} lists metastudio region {id} twice, at lines {earlier.Line} and {item.IdLine}. Keep one.");
        }

        regions[item.Id!] = (item.Endpoints, item.IdLine);
    }

    private static string StripComment(string line)
    {
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || line[i - 1] is ' ' or '\t'))
            {
                return line.Substring(0, i);
            }
        }

        return line;
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[value.Length - 1] == '\'')
        {
            return value.Substring(1, value.Length - 2).Replace("''", "'");
        }

        if (value.Length >= 2 && value[0] == '"' && value[value.Length - 1] == '"')
        {
            return value.Substring(1, value.Length - 2);
        }

        return value;
    }

    private static MetaStudioConfigurationException Invalid(string path, int line, string expected) =>
        new("RegionsFileInvalid", $"The regions file {path} cannot be read at line {line}: expected {expected}. The format is the SDKs': metastudio:, then '- id: <region>' with 'endpoint: <url>' or 'endpoints: [<url>, …]'.");

    private sealed class Item
    {
        private readonly HashSet<string> used = new(StringComparer.Ordinal);

        public Item(int line) => IdLine = line;

        public string? Id { get; set; }

        public int IdLine { get; set; }

        /// <summary>Written on one line (a flow mapping): nothing more belongs to it.</summary>
        public bool Closed { get; set; }

        public List<string> Endpoints { get; } = new();

        public void Use(string key, string path, int line)
        {
            if (!Keys.Contains(key))
            {
                throw Invalid(path, line, $"one of the keys {string.Join(", ", Keys)} (not '{Text.ConsoleText.Shorten(key, 40)}')");
            }

            if (!used.Add(key))
            {
                throw Invalid(path, line, $"each key once per region ('{key}' again)");
            }
        }
    }
}
