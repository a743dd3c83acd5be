using System;

namespace MetaStudio.Client.Signing;

/// <summary>
/// An access key pair, optionally temporary (with a security token). The secret parts are never
/// rendered: <see cref="ToString"/> shows only the first characters of the access key id.
/// </summary>
public sealed class AkSkCredential
{
    public AkSkCredential(string accessKey, string secretKey, string? securityToken = null)
    {
        if (string.IsNullOrWhiteSpace(accessKey))
        {
            throw new ArgumentException("The access key id (AK) is empty.", nameof(accessKey));
        }

        if (string.IsNullOrEmpty(secretKey))
        {
            throw new ArgumentException("The secret access key (SK) is empty.", nameof(secretKey));
        }

        AccessKey = accessKey.Trim();
        SecretKey = secretKey;
        SecurityToken = string.IsNullOrEmpty(securityToken) ? null : securityToken;
    }

    public string AccessKey { get; }

    internal string SecretKey { get; }

    internal string? SecurityToken { get; }

    public bool IsTemporary => SecurityToken != null;

    /// <summary>The access key id with all but its first four characters hidden.</summary>
    public static string Mask(string accessKey) =>
        accessKey.Length <= 4 ? new string('*', accessKey.Length) : accessKey.Substring(0, 4) + new string('*', Math.Min(16, accessKey.Length - 4));

    public override string ToString() => "AK " + Mask(AccessKey) + (IsTemporary ? " (temporary)" : string.Empty);
}
