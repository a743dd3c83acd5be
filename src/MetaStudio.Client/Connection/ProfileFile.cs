using System;
using System.Collections.Generic;
using System.IO;

namespace MetaStudio.Client.Connection;

/// <summary>
/// The Huawei Cloud SDK profile file: INI, section [basic] with ak, sk, project_id and
/// security_token, as the official SDKs read it (lines trimmed, split on the first '='). Unlike
/// them, a second [basic] section or a key given twice is an error naming both lines, so values
/// from different places are never mixed.
/// </summary>
public static class ProfileFile
{
    public const string PathVariable = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";

    public static string DefaultPath(string? home) =>
        Path.Combine(home ?? string.Empty, ".huaweicloud", "credentials");

    /// <summary>The [basic] section's keys (any case) with their values and line numbers; empty when there is none.</summary>
    /// <param name="path">Named in errors.</param>
    public static IReadOnlyDictionary<string, (string Value, int Line)> ReadBasicSection(string text, string path)
    {
        path = Text.ConsoleText.Shorten(path, 200); // named in messages only
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        string? section = null;
        int basicLine = 0;
        string[] lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].Trim();
            int lineNumber = n + 1;
            if (line.Length == 0 || line[0] == '#' || line[0] == ';')
            {
                continue;
            }

            if (line[0] == '[' && line[line.Length - 1] == ']')
            {
                section = line.Substring(1, line.Length - 2).Trim();
                if (IsBasic(section))
                {
                    if (basicLine > 0)
                    {
                        throw Invalid($"The profile file {path} has a second [basic] section at line {lineNumber} (the first is at line {basicLine}). Keep one, so credentials cannot mix.");
                    }

                    basicLine = lineNumber;
                }

                continue;
            }

            int eq = line.IndexOf('=');
            if (eq <= 0 || !IsBasic(section))
            {
                continue;
            }

            string key = line.Substring(0, eq).Trim();
            if (values.TryGetValue(key, out var earlier))
            {
                throw Invalid($"The profile file {path} sets {Text.ConsoleText.Shorten(key, 40)} twice in [basic], at lines {earlier.Line} and {lineNumber}. Keep one, so credentials cannot mix.");
            }

            values[key] = (line.Substring(eq + 1).Trim(), lineNumber);
        }

        return values;
    }

    /// <summary>The section names in the file, in order.</summary>
    public static IReadOnlyList<string> SectionsOf(string text)
    {
        var sections = new List<string>();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length > 1 && line[0] == '[' && line[line.Length - 1] == ']')
            {
                sections.Add(line.Substring(1, line.Length - 2).Trim());
            }
        }

        return sections;
    }

    private static bool IsBasic(string? section) => string.Equals(section, "basic", StringComparison.OrdinalIgnoreCase);

    private static MetaStudioConfigurationException Invalid(string message) => new("ProfileFileInvalid", message);
}
