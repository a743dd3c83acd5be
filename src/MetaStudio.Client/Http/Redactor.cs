using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using MetaStudio.Client.Connection;

namespace MetaStudio.Client.Http;

/// <summary>
/// Removes a context's secrets (secret key, security token, IAM token) and request signatures from
/// text that may be shown or logged. Secrets are found by value, wherever they appear: in any case,
/// URL-encoded, or cut short (any run of <see cref="MinRun"/> or more characters of a secret is
/// masked), so an echo in an unexpected header or a truncated body cannot show one. Redact whole
/// texts before cutting them.
/// </summary>
public static class Redactor
{
    public const string Mask = "***";

    /// <summary>Runs of this many characters of a secret are masked (shorter secrets are masked whole).</summary>
    public const int MinRun = 12;

    private static readonly Regex SignatureValue = new("(?i)(Signature=)[0-9a-f]{16,}", RegexOptions.CultureInvariant);
    private static readonly Regex SensitiveHeaderLine = new("(?i)(x-security-token|x-auth-token|authorization)(\\s*[:=]\\s*)[^|\\r\\n]+", RegexOptions.CultureInvariant);
    private static readonly ConditionalWeakTable<MetaStudioContext, SecretMatcher> Matchers = new();
    private static readonly Regex JsonEscape = new(@"\\u[0-9a-fA-F]{4}|\\/", RegexOptions.CultureInvariant);

    /// <param name="more">Other secrets of this call (values from a request body, the request's signature).</param>
    public static string? Redact(string? text, MetaStudioContext? context, IReadOnlyList<string>? more = null) => For(context, more).Apply(text);

    /// <summary>A redaction for one call, its extra secrets prepared once and applied to many texts.</summary>
    public static Scope For(MetaStudioContext? context, IReadOnlyList<string>? more = null) =>
        new(context, more is { Count: > 0 } ? new SecretMatcher(more.Where(s => !string.IsNullOrEmpty(s) && s.Length >= 4)) : null);

    /// <summary>The secrets of a context and of one call.</summary>
    public sealed class Scope
    {
        private readonly MetaStudioContext? context;
        private readonly SecretMatcher? extra;

        internal Scope(MetaStudioContext? context, SecretMatcher? extra)
        {
            this.context = context;
            this.extra = extra;
        }

        /// <summary>The text with every secret masked; JSON escapes are decoded first, so an escaped echo is recognised.</summary>
        public string? Apply(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            text = DecodeJsonEscapes(text!);
            if (extra != null)
            {
                text = extra.Mask(text);
            }

            if (context != null)
            {
                text = Matchers.GetValue(context, c => new SecretMatcher(SecretsOf(c))).Mask(text);
            }

            text = SignatureValue.Replace(text, "$1" + Mask);
            return SensitiveHeaderLine.Replace(text, "$1$2" + Mask);
        }
    }

    /// <summary>\u0041 and \/ as the characters they stand for (display text only; everything else is left as it is).</summary>
    private static string DecodeJsonEscapes(string text)
    {
        if (text.IndexOf('\\') < 0)
        {
            return text;
        }

        return JsonEscape.Replace(text, m => m.Value[1] == '/' ? "/" : ((char)System.Convert.ToInt32(m.Value.Substring(2), 16)).ToString());
    }

    /// <summary>Headers whose values never appear in diagnostics.</summary>
    public static bool IsSensitiveHeader(string name) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("X-Auth-Token", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("X-Security-Token", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> SecretsOf(MetaStudioContext context) =>
        new[] { context.Credential?.SecretKey, context.Credential?.SecurityToken, context.Token }
            .Where(s => !string.IsNullOrEmpty(s) && s!.Length >= 4)
            .Select(s => s!);

    /// <summary>
    /// Finds every run of <see cref="MinRun"/> characters that occurs in a secret (or its URL-encoded
    /// forms), case-insensitively, with a rolling hash of each window; whole short secrets by search.
    /// </summary>
    internal sealed class SecretMatcher
    {
        private const ulong Base = 1_000_003;
        private readonly HashSet<ulong> windows = new();
        private readonly List<string> shortSecrets = new();
        private readonly ulong topPower;

        public SecretMatcher(IEnumerable<string> secrets)
        {
            topPower = 1;
            for (int i = 1; i < MinRun; i++)
            {
                topPower *= Base;
            }

            foreach (string secret in secrets)
            {
                foreach (string form in new[] { secret, Uri.EscapeDataString(secret), WebUtility.UrlEncode(secret) }.Distinct(StringComparer.Ordinal))
                {
                    string lower = form.ToLowerInvariant();
                    if (lower.Length < MinRun)
                    {
                        shortSecrets.Add(lower);
                        continue;
                    }

                    ulong hash = 0;
                    for (int i = 0; i < lower.Length; i++)
                    {
                        hash = Roll(hash, i >= MinRun ? lower[i - MinRun] : '\0', lower[i], i >= MinRun);
                        if (i >= MinRun - 1)
                        {
                            windows.Add(hash);
                        }
                    }
                }
            }
        }

        public string Mask(string text)
        {
            if (windows.Count == 0 && shortSecrets.Count == 0)
            {
                return text;
            }

            var masked = new bool[text.Length];
            bool any = false;
            string lower = text.ToLowerInvariant();
            if (windows.Count > 0)
            {
                ulong hash = 0;
                for (int i = 0; i < lower.Length; i++)
                {
                    hash = Roll(hash, i >= MinRun ? lower[i - MinRun] : '\0', lower[i], i >= MinRun);
                    if (i >= MinRun - 1 && windows.Contains(hash))
                    {
                        for (int j = i - MinRun + 1; j <= i; j++)
                        {
                            masked[j] = true;
                        }

                        any = true;
                    }
                }
            }

            foreach (string secret in shortSecrets)
            {
                for (int at = lower.IndexOf(secret, StringComparison.Ordinal); at >= 0; at = lower.IndexOf(secret, at + 1, StringComparison.Ordinal))
                {
                    for (int j = at; j < at + secret.Length; j++)
                    {
                        masked[j] = true;
                    }

                    any = true;
                }
            }

            if (!any)
            {
                return text;
            }

            var sb = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                if (!masked[i])
                {
                    sb.Append(text[i]);
                }
                else if (i == 0 || !masked[i - 1])
                {
                    sb.Append(Redactor.Mask);
                }
            }

            return sb.ToString();
        }

        private ulong Roll(ulong hash, char leaving, char entering, bool full)
        {
            if (full)
            {
                hash -= leaving * topPower;
            }

            return (hash * Base) + entering;
        }
    }
}
