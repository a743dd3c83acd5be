using System.Security.Cryptography;
using System.Text;

namespace MetaStudio.Client.Signing;

/// <summary>
/// The byte-level encodings the API gateway's SDK-HMAC-SHA256 scheme is defined over.
/// </summary>
public static class ApigEncoding
{
    private const string UpperHex = "0123456789ABCDEF";
    private const string LowerHex = "0123456789abcdef";

    /// <summary>Hex SHA-256 of the empty body, the payload hash of every GET.</summary>
    public const string EmptyBodySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>
    /// RFC 3986 percent-encoding as the official SDKs do it: A-Z a-z 0-9 - _ . ~ stay, every other
    /// byte of the UTF-8 form becomes %XX with upper-case hex (so space is %20, never +, and / is %2F).
    /// </summary>
    public static string PercentEncode(string value)
    {
        if (value.Length == 0)
        {
            return value;
        }

        if (IsAllUnreserved(value))
        {
            return value;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(value);
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (byte b in bytes)
        {
            if (IsUnreserved((char)b))
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(UpperHex[b >> 4]).Append(UpperHex[b & 0xF]);
            }
        }

        return sb.ToString();
    }

    /// <summary>Lower-case hex of the bytes.</summary>
    public static string ToLowerHex(byte[] bytes)
    {
        var chars = new char[bytes.Length * 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = LowerHex[bytes[i] >> 4];
            chars[(2 * i) + 1] = LowerHex[bytes[i] & 0xF];
        }

        return new string(chars);
    }

    /// <summary>Lower-case hex SHA-256 of the bytes.</summary>
    public static string Sha256Hex(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return EmptyBodySha256;
        }

        using var sha = SHA256.Create();
        return ToLowerHex(sha.ComputeHash(bytes));
    }

    internal static bool IsUnreserved(char c) =>
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        c == '-' || c == '_' || c == '.' || c == '~';

    private static bool IsAllUnreserved(string value)
    {
        foreach (char c in value)
        {
            if (!IsUnreserved(c))
            {
                return false;
            }
        }

        return true;
    }
}
