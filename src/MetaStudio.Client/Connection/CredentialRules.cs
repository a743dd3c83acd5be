using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MetaStudio.Client.Connection;

/// <summary>
/// One rule per kind of setting, applied to every value whatever its source (a parameter, an
/// environment variable, the profile file, a context passed in), so nothing that could break a header
/// or the signature reaches the wire. Errors name the source (<c>origin</c>) and never echo a secret.
/// </summary>
public static class CredentialRules
{
    /// <summary>Longest accepted IAM or security token (IAM PKI tokens run to several KiB).</summary>
    public const int MaxTokenLength = 32 * 1024;

    private static readonly Regex AccessKeyPattern = new("^[A-Za-z0-9._-]{1,128}$", RegexOptions.CultureInvariant);
    private static readonly Regex ProjectIdPattern = new("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant);

    /// <param name="origin">Where the value came from: "-AccessKey", "HUAWEICLOUD_SDK_AK", "the profile file … (key ak, line 2)".</param>
    /// <param name="parameter">The cmdlet parameter, when the value came from one.</param>
    public static void AccessKey(string value, string origin, string? parameter = null)
    {
        if (!AccessKeyPattern.IsMatch(value))
        {
            throw Invalid("InvalidAccessKey", $"{Capital(origin)} is not an access key id: use up to 128 letters and digits (also '.', '_', '-'), such as the 20-character id from My Credentials > Access Keys{Offending(value, secret: false)}.", parameter);
        }
    }

    public static void SecretKey(string value, string origin, string? parameter = null) =>
        Printable(value, 1024, "InvalidSecretKey", origin, "a secret access key", parameter);

    public static void SecurityToken(string value, string origin, string? parameter = null) =>
        Printable(value, MaxTokenLength, "InvalidSecurityToken", origin, "a security token (sent as the X-Security-Token header)", parameter);

    public static void Token(string value, string origin, string? parameter = null) =>
        Printable(value, MaxTokenLength, "InvalidToken", origin, "an IAM token (the X-Subject-Token value IAM returned; sent as X-Auth-Token)", parameter);

    public static void ProjectId(string value, string origin, string? parameter = null)
    {
        if (!ProjectIdPattern.IsMatch(value))
        {
            throw Invalid("InvalidProjectId", $"{Capital(origin)} is not a project id: use letters, digits, '-' and '_' only (MetaStudio project ids are 32 hex characters, from My Credentials > API Credentials){Offending(value, secret: false)}.", parameter);
        }
    }

    /// <summary>X-App-UserId: the API forbids Chinese characters, and headers carry printable ASCII.</summary>
    public static void AppUserId(string value, string origin, string? parameter = null)
    {
        if (value.Trim().Length == 0)
        {
            throw Invalid("InvalidAppUserId", $"{Capital(origin)} is empty; omit it or give the third-party user id.", parameter);
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (IsCjk(value[i]))
            {
                throw Invalid("InvalidAppUserId", $"{Capital(origin)} contains the Chinese character '{value[i]}' at position {i + 1}; the MetaStudio API forbids Chinese characters in X-App-UserId. Use ASCII letters, digits and punctuation.", parameter);
            }
        }

        if (value.Length > 256)
        {
            throw Invalid("InvalidAppUserId", $"{Capital(origin)} is {value.Length:N0} characters long; use at most 256.", parameter);
        }

        int bad = FirstOutside(value, 0x20, 0x7E);
        if (bad >= 0)
        {
            throw Invalid("InvalidAppUserId", $"{Capital(origin)} may contain printable ASCII characters only (it is sent as the X-App-UserId header){Offending(value, secret: false)}.", parameter);
        }
    }

    /// <summary>Whether a header value can go on the wire as it is: printable ASCII (space and tab allowed inside).</summary>
    public static bool IsSafeHeaderValue(string value) => FirstOutside(value.Replace('\t', ' '), 0x20, 0x7E) < 0;

    private static void Printable(string value, int maxLength, string errorId, string origin, string what, string? parameter)
    {
        if (value.Length == 0)
        {
            throw Invalid(errorId, $"{Capital(origin)} is empty; it must be {what}.", parameter);
        }

        if (value.Length > maxLength)
        {
            throw Invalid(errorId, $"{Capital(origin)} is {value.Length:N0} characters long; {what} has at most {maxLength:N0}.", parameter);
        }

        if (FirstOutside(value, 0x21, 0x7E) >= 0)
        {
            throw Invalid(errorId, $"{Capital(origin)} must be {what}: printable ASCII without spaces{Offending(value, secret: true)}. Nothing was sent.", parameter);
        }
    }

    private static int FirstOutside(string value, int low, int high)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] < low || value[i] > high)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>"; it contains a line break (U+000A) at position 5" — the character itself only for values that are not secret.</summary>
    private static string Offending(string value, bool secret)
    {
        int i = FirstOutside(value, 0x21, 0x7E);
        if (i < 0)
        {
            return string.Empty;
        }

        char c = value[i];
        string kind = c is '\r' or '\n' ? "a line break" : char.IsControl(c) ? "a control character" : c == ' ' || char.IsWhiteSpace(c) ? "white space" : "a non-ASCII character";
        string code = string.Format(CultureInfo.InvariantCulture, "U+{0:X4}", (int)c);
        return secret || char.IsControl(c) || char.IsWhiteSpace(c)
            ? $"; it contains {kind} ({code}) at position {i + 1}"
            : $"; it contains {kind} '{c}' ({code}) at position {i + 1}";
    }

    private static bool IsCjk(char c) =>
        (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF);

    private static string Capital(string origin) => origin.Length > 0 && char.IsLower(origin[0]) ? char.ToUpperInvariant(origin[0]) + origin.Substring(1) : origin;

    private static MetaStudioConfigurationException Invalid(string errorId, string message, string? parameter) => new(errorId, message, parameter);
}
