using System;
using System.Collections.Generic;
using System.IO;

namespace MetaStudio.Client.Connection;

/// <summary>
/// The SDKs' regions file (<c>HUAWEICLOUD_SDK_REGIONS_FILE</c>, default <c>~/.huaweicloud/regions.yaml</c>):
/// a service name, then a list of regions with an <c>id</c> and an <c>endpoint</c> and/or a list of
/// <c>endpoints</c>. Only the <c>metastudio</c> entries are read, by a small reader for exactly this
/// shape (block or flow lists, quoted or plain scalars, comments); anything else is an error naming the line.
/// </summary>
public static class RegionsFile
{
    public const string PathVariable = "HUAWEICLOUD_SDK_REGIONS_FILE";
    private const string Service = "metastudio";

    public static string DefaultPath(string? home) => Path.Combine(home ?? string.Empty, ".huaweicloud", "regions.yaml");

    /// <summary>MetaStudio's regions in the file: id (lower case) → its endpoints as written, and the line of its id.</summary>
    public static IReadOnlyDictionary<string, (List<string> Endpoints, int Line)> Parse(string text, string path)
    {
        var regions = new Dictionary<string, (List<string> Endpoints, int Line)>(StringComparer.OrdinalIgnoreCase);
        bool inService = false;
        Item? item = null;
        int listIndent = -1; // indent of "endpoints:" while its block list is being read
        string[] lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            int lineNumber = n + 1;
            string line = StripComment(lines[n].TrimEnd('\r'));
            if (line.Trim().Length == 0)
            {
                continue;
            }

            int indent = line.Length - line.TrimStart(' ').Length;
            string body = line.Trim();
            if (indent == 0)
            {
                Finish(item, regions, path);
                item = null;
                listIndent = -1;
                if (!body.EndsWith(":", StringComparison.Ordinal))
                {
                    throw Invalid(path, lineNumber, "a service name followed by ':' (such as metastudio:)");
                }

                inService = string.Equals(Unquote(body.Substring(0, body.Length - 1).Trim()), Service, StringComparison.OrdinalIgnoreCase);
                continue;
            }

            if (!inService)
            {
                continue;
            }

            if (listIndent >= 0 && indent > listIndent && body.StartsWith("-", StringComparison.Ordinal) && item != null)
            {
                item.Endpoints.Add(Unquote(body.Substring(1).Trim()));
                continue;
            }

            listIndent = -1;
            if (body.StartsWith("- ", StringComparison.Ordinal) || body == "-")
            {
                Finish(item, regions, path);
                item = new Item(lineNumber);
                body = body.Substring(1).Trim();
                indent += line.TrimStart(' ').Length - body.Length;
                if (body.Length == 0)
                {
                    continue;
                }
            }

            if (item is null)
            {
                throw Invalid(path, lineNumber, "a list item ('- id: …') under metastudio:");
            }

            int colon = body.IndexOf(':');
            if (colon <= 0)
            {
                throw Invalid(path, lineNumber, "key: value");
            }

            string key = body.Substring(0, colon).Trim();
            string value = body.Substring(colon + 1).Trim();
            switch (key.ToLowerInvariant())
            {
                case "id":
                    item.Id = Unquote(value);
                    item.IdLine = lineNumber;
                    break;
                case "endpoint":
                    if (value.Length > 0)
                    {
                        item.Endpoints.Add(Unquote(value));
                    }

                    break;
                case "endpoints":
                    if (value.StartsWith("[", StringComparison.Ordinal))
                    {
                        if (!value.EndsWith("]", StringComparison.Ordinal))
                        {
                            throw Invalid(path, lineNumber, "a list such as [https://a, https://b] on one line");
                        }

                        foreach (string entry in value.Substring(1, value.Length - 2).Split(','))
                        {
                            if (entry.Trim().Length > 0)
                            {
                                item.Endpoints.Add(Unquote(entry.Trim()));
                            }
                        }
                    }
                    else if (value.Length == 0)
                    {
                        listIndent = indent;
                    }
                    else
                    {
                        item.Endpoints.Add(Unquote(value));
                    }

                    break;
            }
        }

        Finish(item, regions, path);
        return regions;
    }

    private static void Finish(Item? item, Dictionary<string, (List<string> Endpoints, int Line)> regions, string path)
    {
        if (item is null || string.IsNullOrEmpty(item.Id))
        {
            return; // an entry without an id is skipped, as the SDKs skip it
        }

        if (item.Endpoints.Count == 0)
        {
            throw new MetaStudioConfigurationException("RegionsFileInvalid", $"The regions file {path} gives region {Text.ConsoleText.Shorten(item.Id, 64)} (line {item.IdLine}) no endpoint or endpoints.");
        }

        if (regions.TryGetValue(item.Id!, out var earlier))
        {
            throw new MetaStudioConfigurationException("RegionsFileInvalid", $"The regions file {path} lists metastudio region {Text.ConsoleText.Shorten(item.Id, 64)} twice, at lines {earlier.Line} and {item.IdLine}. Keep one.");
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
        public Item(int line) => IdLine = line;

        public string? Id { get; set; }

        public int IdLine { get; set; }

        public List<string> Endpoints { get; } = new();
    }
}
