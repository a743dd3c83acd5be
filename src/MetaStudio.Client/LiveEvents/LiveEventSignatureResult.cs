using System;

namespace MetaStudio.Client.LiveEvents;

/// <summary>Why a live event callback's signature was accepted or refused (Test-MSLiveEventSignature -Detailed).</summary>
public enum LiveEventSignatureReason
{
    /// <summary>Signed with the key over the callback URL and time, within the allowed age.</summary>
    Valid,

    /// <summary>hwSecret / x-hw-mss-secret is not the HMAC of the callback URL and time under the key.</summary>
    BadSignature,

    /// <summary>Correctly signed, but the time is older than the allowed age (a replay, or a slow queue).</summary>
    Expired,

    /// <summary>Correctly signed, but the time is further ahead of this computer's clock than the allowed age.</summary>
    FromTheFuture,

    /// <summary>The signature or the time is missing (or only one of them is there).</summary>
    MissingField,

    /// <summary>The time is not a hexadecimal Unix timestamp.</summary>
    MalformedTime,

    /// <summary>The signature is not 64 hexadecimal digits (an HMAC-SHA256 in hex), or is given twice.</summary>
    MalformedSignature,
}

/// <summary>
/// The outcome of checking one callback's signature. Holds no key and no signature (neither the one
/// received nor the one expected), so it is safe to log.
/// </summary>
public sealed class LiveEventSignatureResult
{
    internal LiveEventSignatureResult(LiveEventSignatureReason reason, string? authType, DateTime? timestamp, TimeSpan? age, string message)
    {
        Reason = reason;
        AuthType = authType;
        Timestamp = timestamp;
        Age = age;
        Message = message;
    }

    /// <summary>True only for <see cref="LiveEventSignatureReason.Valid"/>.</summary>
    public bool Valid => Reason == LiveEventSignatureReason.Valid;

    public LiveEventSignatureReason Reason { get; }

    /// <summary>MSS_A (in the URL's query) or MSS_A_HEAD (in headers); null when neither was found.</summary>
    public string? AuthType { get; }

    /// <summary>The signed time (UTC), when it could be read.</summary>
    public DateTime? Timestamp { get; }

    /// <summary>How old the signed time is by this computer's clock (negative: ahead of it).</summary>
    public TimeSpan? Age { get; }

    /// <summary>One sentence for a log: what was found and what to check.</summary>
    public string Message { get; }

    public override string ToString() => Text.ConsoleText.Escape($"{Reason}: {Message}");
}
