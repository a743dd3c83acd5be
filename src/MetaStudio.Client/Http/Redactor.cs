using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MetaStudio.Client.Connection;

namespace MetaStudio.Client.Http;

/// <summary>
/// Removes a context's secrets (secret key, security token, IAM token) and any request signature
/// from text that may be shown or logged, such as an error body a gateway echoed back.
/// </summary>
public static class Redactor
{
    public const string Mask = "***";
    private static readonly Regex SignatureValue = new("(Signature=)[0-9a-fA-F]{16,}", RegexOptions.CultureInvariant);
    private static readonly Regex SensitiveHeaderLine = new("(?i)(x-security-token|x-auth-token|authorization)(\\s*[:=]\\s*)[^|\\r\\n]+", RegexOptions.CultureInvariant);

    public static string? Redact(string? text, MetaStudioContext? context)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in SecretsOf(context))
        {
            text = text!.Replace(secret, Mask);
        }

        text = SignatureValue.Replace(text!, "$1" + Mask);
        return SensitiveHeaderLine.Replace(text, "$1$2" + Mask);
    }

    /// <summary>Headers whose values never appear in diagnostics.</summary>
    public static bool IsSensitiveHeader(string name) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("X-Auth-Token", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("X-Security-Token", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> SecretsOf(MetaStudioContext? context)
    {
        if (context is null)
        {
            return Array.Empty<string>();
        }

        // Longest first, so a secret that contains another is masked whole.
        return new[] { context.Credential?.SecretKey, context.Credential?.SecurityToken, context.Token }
            .Where(s => !string.IsNullOrEmpty(s) && s!.Length >= 4)
            .Select(s => s!)
            .OrderByDescending(s => s.Length);
    }
}
