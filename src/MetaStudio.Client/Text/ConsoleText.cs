using System.Globalization;
using System.Text;

namespace MetaStudio.Client.Text;

/// <summary>
/// Makes untrusted text (room names, error messages, header values from the service) safe to print:
/// control characters become visible PowerShell escapes (ESC shows as <c>`e</c>), so an ANSI or OSC
/// sequence cannot recolour, retitle or hide console lines. Objects keep the exact values; only what
/// the module writes itself goes through here.
/// </summary>
public static class ConsoleText
{
    /// <summary>The text with every control, bidirectional-override and line-separator character escaped; the same instance when there is none.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        int first = 0;
        while (first < text!.Length && !NeedsEscape(text[first]))
        {
            first++;
        }

        if (first == text.Length)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!NeedsEscape(c))
            {
                sb.Append(c);
                continue;
            }

            switch (c)
            {
                case '\u001b': sb.Append("`e"); break;
                case '\0': sb.Append("`0"); break;
                case '\a': sb.Append("`a"); break;
                case '\b': sb.Append("`b"); break;
                case '\t': sb.Append("`t"); break;
                case '\n': sb.Append("`n"); break;
                case '\r': sb.Append("`r"); break;
                case '\f': sb.Append("`f"); break;
                case '\v': sb.Append("`v"); break;
                default: sb.Append("`u{").Append(((int)c).ToString("X", CultureInfo.InvariantCulture)).Append('}'); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>The escaped text cut to at most <paramref name="max"/> characters (an ellipsis marks the cut).</summary>
    public static string Shorten(string? text, int max)
    {
        string escaped = Escape(text);
        return escaped.Length <= max ? escaped : escaped.Substring(0, max) + "…";
    }

    /// <summary>
    /// A URL for display: the values of query parameters that carry a credential (auth_key, token,
    /// signature and the like) shown as ***, then escaped. The live event report URL's auth_key lets
    /// whoever has it put events into a live, so views never print it; the object keeps the value.
    /// </summary>
    public static string EscapeUrl(string? url) => Escape(MaskUrl(url));

    /// <summary>The URL with the values of credential-like query parameters (key, token, sign, auth, secret…) as ***; nothing escaped.</summary>
    public static string MaskUrl(string? url) =>
        string.IsNullOrEmpty(url) || url!.IndexOf('?') < 0 ? url ?? string.Empty : CredentialQueryValue.Replace(url, m => m.Groups[1].Value + "***");

    private static readonly System.Text.RegularExpressions.Regex CredentialQueryValue = new(
        @"(?i)([?&][^=&#]*(?:key|token|sign|auth|secret|password|credential)[^=&#]*=)[^&#]*",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// C0 and C1 controls and DEL; the bidirectional overrides and isolates that reorder what a reader
    /// sees; line and paragraph separators, which break a line where a console shows none.
    /// </summary>
    public static bool NeedsEscape(char c) =>
        c < 0x20 || (c >= 0x7F && c <= 0x9F) ||
        c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E') ||
        (c >= '\u2066' && c <= '\u2069') || c == '\u2028' || c == '\u2029';
}
