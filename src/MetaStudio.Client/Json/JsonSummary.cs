using System;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MetaStudio.Client.Json;

/// <summary>
/// Untrusted text that may be JSON (a command's result or parameters), on one line for a view: compact
/// JSON with the values of secret-named members (stream keys, keys, signatures, tokens) shown as ***,
/// control characters escaped, cut at a length. The JSON is read only as far as the line needs, so a
/// huge result costs no more than its first characters; text that is not JSON is shown as text.
/// </summary>
public static class JsonSummary
{
    private static readonly Regex SecretName = new(
        @"(?i)^(stream_?keys?|key|(callback|access|api|app|private|secret)_?keys?|ak|sk|signature|sign|auth_?key|pwd|passwd|.*(secret|password|token|credential).*)$", RegexOptions.CultureInvariant);

    /// <summary>True for a member name whose value is a credential.</summary>
    public static bool IsSecretName(string name) => SecretName.IsMatch(name);

    public static string OneLine(string? text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        string trimmed = text!.TrimStart();
        if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
        {
            var line = new StringBuilder(Math.Min(max, 256) + 16);
            bool cut = trimmed.Length > 4 * max + 65_536; // enough for the line unless the JSON is mostly white space
            try
            {
                Compact(Encoding.UTF8.GetBytes(cut ? trimmed.Substring(0, 4 * max + 65_536) : trimmed), line, max);
                return Text.ConsoleText.Shorten(line.ToString(), max);
            }
            catch (JsonException) when (line.Length > max || (cut && line.Length > 0))
            {
                return Text.ConsoleText.Shorten(line.ToString(), max) + (line.Length > max ? string.Empty : "…"); // JSON so far, cut
            }
            catch (JsonException)
            {
                // Not JSON after all: shown as text.
            }
        }

        return Text.ConsoleText.Shorten(text.Length > max + 1 ? text.Substring(0, max + 1) : text, max);
    }

    private static void Compact(byte[] json, StringBuilder line, int max)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        bool needComma = false;
        while (line.Length <= max && reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    Separate(line, ref needComma);
                    line.Append(reader.TokenType == JsonTokenType.StartObject ? '{' : '[');
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    line.Append(reader.TokenType == JsonTokenType.EndObject ? '}' : ']');
                    needComma = true;
                    break;
                case JsonTokenType.PropertyName:
                    Separate(line, ref needComma);
                    string name = reader.GetString() ?? string.Empty;
                    Quote(line, name).Append(':');
                    if (IsSecretName(name))
                    {
                        reader.Read();
                        reader.Skip();
                        line.Append("\"***\"");
                        needComma = true;
                    }

                    break;
                case JsonTokenType.String:
                    Separate(line, ref needComma);
                    // A signed address (an audio URL, a callback URL with its token) keeps its credential out of the line.
                    Quote(line, Text.ConsoleText.MaskUrl(reader.GetString()));
                    needComma = true;
                    break;
                default:
                    Separate(line, ref needComma);
                    line.Append(Encoding.UTF8.GetString(reader.ValueSpan.ToArray()));
                    needComma = true;
                    break;
            }
        }
    }

    private static void Separate(StringBuilder line, ref bool needComma)
    {
        if (needComma && line.Length > 0 && line[line.Length - 1] != ':')
        {
            line.Append(',');
        }

        needComma = false;
    }

    private static StringBuilder Quote(StringBuilder line, string value) =>
        line.Append('"').Append(value.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
}
