using System;
using System.Collections.Generic;
using System.IO;

namespace MetaStudio.Client.Connection;

/// <summary>
/// The Huawei Cloud SDK profile file: INI, section [basic] with ak, sk, project_id and
/// security_token, as the official SDKs read it (lines trimmed, split on the first '=').
/// </summary>
public static class ProfileFile
{
    public const string PathVariable = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";

    public static string DefaultPath(string? home) =>
        Path.Combine(home ?? string.Empty, ".huaweicloud", "credentials");

    /// <summary>The [basic] section's keys (lower case), or an empty dictionary when there is none.</summary>
    public static IReadOnlyDictionary<string, string> ReadBasicSection(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? section = null;
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#' || line[0] == ';')
            {
                continue;
            }

            if (line[0] == '[' && line[line.Length - 1] == ']')
            {
                section = line.Substring(1, line.Length - 2).Trim();
                continue;
            }

            int eq = line.IndexOf('=');
            if (eq <= 0 || !string.Equals(section, "basic", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            values[line.Substring(0, eq).Trim()] = line.Substring(eq + 1).Trim();
        }

        return values;
    }
}
