using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MetaStudio.Client.LiveEvents;
using Xunit;

namespace MetaStudio.Tests.Events;

/// <summary>
/// LiveEventSignature against vectors made outside the module: literal HMACs computed with
/// <c>printf '%s' TEXT | openssl dgst -sha256 -hmac KEY</c> (the SDKs' own example among them), and HMACs
/// computed here with HMACSHA256 over literal text. Every input the signature covers is tampered with once.
/// </summary>
public class SignatureTests
{
    // The SDKs' worked example for x-hw-mss-secret (MetaStudio CustomPlatformAuthConfig): the query signed in name order, no scheme.
    private const string SdkUrl = "https://api.example.com/v1/products?live_id=111&limit=10&offset=0";
    private const string SdkKey = "GCTbw44s6MPLh4GqgDpnfuFHgy25Enly";
    private const string SdkTime = "66df9308"; // 2024-09-10T00:30:00Z
    private const string SdkSecret = "5e7fe8869a12a87ea966d9edbc02e38cd4ce62c73b8b05c638f15835e78902d7";

    private static readonly DateTimeOffset SdkInstant = new(2024, 9, 10, 0, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(300);

    private static LiveEventSignatureResult Head(string secret, string time, string url = SdkUrl, string key = SdkKey, DateTimeOffset? now = null) =>
        LiveEventSignature.Verify("MSS_A_HEAD", new[] { secret }, new[] { time }, url, key, Window, now ?? SdkInstant.AddSeconds(10));

    /// <summary>HMAC-SHA256 in lower-case hex, computed here, not by the module.</summary>
    private static string Hmac(string key, string text)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(key));
        return BitConverter.ToString(hmac.ComputeHash(Encoding.UTF8.GetBytes(text))).Replace("-", "").ToLowerInvariant();
    }

    [Fact]
    public void TheSdksExampleVerifies()
    {
        var result = Head(SdkSecret, SdkTime);
        Assert.Equal(LiveEventSignatureReason.Valid, result.Reason);
        Assert.True(result.Valid);
        Assert.Equal("MSS_A_HEAD", result.AuthType);
        Assert.Equal(SdkInstant.UtcDateTime, result.Timestamp);
        Assert.Equal(TimeSpan.FromSeconds(10), result.Age);
        Assert.Equal("api.example.com/v1/products?limit=10&live_id=111&offset=0", LiveEventSignature.SignedText(SdkUrl));
    }

    [Fact]
    public void MssAReadsTheSignatureFromTheQueryOfTheUrlTheCallbackArrivedAt()
    {
        var fields = SignatureFields.FromUrl($"https://api.example.com/v1/products?live_id=111&limit=10&offset=0&hwSecret={SdkSecret}&hwTime={SdkTime}");
        var result = LiveEventSignature.Verify(fields.AuthType, fields.Secrets, fields.Times, SdkUrl, SdkKey, Window, SdkInstant);
        Assert.Equal("MSS_A", result.AuthType);
        Assert.Equal(LiveEventSignatureReason.Valid, result.Reason);
    }

    [Theory]
    // printf '%s' '127.0.0.1:8080/metastudio/events?app=demo&tenant=t166df9308' | openssl dgst -sha256 -hmac 'k-32-chars-long-key-0123456789ab'
    [InlineData("http://127.0.0.1:8080/metastudio/events?tenant=t1&app=demo", "k-32-chars-long-key-0123456789ab", "dee3c928da0d4b0be1809fd8c92ca4640c38525825aa6cb1bf2f7d0e4ac6a601")]
    // printf '%s' 'events.example.com/cb66df9308' | openssl dgst -sha256 -hmac '' (an empty key is documented: 0-32 characters)
    [InlineData("https://events.example.com/cb", "", "71bef848123b6eba01b8137684bd0eed983cf2fbf1d2da176d7a3784bbc11441")]
    public void OpensslVectorsVerify(string url, string key, string secret)
    {
        Assert.Equal(LiveEventSignatureReason.Valid, Head(secret, SdkTime, url, key).Reason);
        Assert.Equal(LiveEventSignatureReason.Valid, Head(secret.ToUpperInvariant(), SdkTime, url, key).Reason); // hex in either case
    }

    [Fact]
    public void UpperCaseTimeAndMillisecondsAreAcceptedAsSigned()
    {
        string upper = "66DF9308";
        Assert.Equal(LiveEventSignatureReason.Valid, Head(Hmac(SdkKey, "api.example.com/v1/products?limit=10&live_id=111&offset=0" + upper), upper).Reason);

        string millis = (1_725_928_200_123L).ToString("x", CultureInfo.InvariantCulture); // 191d9b2cd7b
        var result = Head(Hmac(SdkKey, "api.example.com/v1/products?limit=10&live_id=111&offset=0" + millis), millis);
        Assert.Equal(LiveEventSignatureReason.Valid, result.Reason);
        Assert.Equal(SdkInstant.AddMilliseconds(123).UtcDateTime, result.Timestamp);
    }

    [Fact]
    public void OneChangedCharacterOfSignatureTimeOrUrlIsABadSignature()
    {
        string tamperedSecret = (SdkSecret[0] == 'a' ? "b" : "a") + SdkSecret.Substring(1);
        string lastChanged = SdkSecret.Substring(0, 63) + (SdkSecret[63] == '0' ? "1" : "0");
        Assert.Equal(LiveEventSignatureReason.BadSignature, Head(tamperedSecret, SdkTime).Reason);
        Assert.Equal(LiveEventSignatureReason.BadSignature, Head(lastChanged, SdkTime).Reason);
        Assert.Equal(LiveEventSignatureReason.BadSignature, Head(SdkSecret, "66df9309", now: SdkInstant).Reason);
        Assert.Equal(LiveEventSignatureReason.BadSignature, Head(SdkSecret, SdkTime, url: SdkUrl.Replace("limit=10", "limit=11")).Reason);
        Assert.Equal(LiveEventSignatureReason.BadSignature, Head(SdkSecret, SdkTime, url: SdkUrl.Replace("api.", "apj.")).Reason);
        Assert.Equal(LiveEventSignatureReason.BadSignature, Head(SdkSecret, SdkTime, key: SdkKey.Substring(1)).Reason);
        // The scheme is not signed, as in the SDKs' example; the order of the query is not either.
        Assert.Equal(LiveEventSignatureReason.Valid, Head(SdkSecret, SdkTime, url: "http://api.example.com/v1/products?offset=0&limit=10&live_id=111").Reason);
    }

    [Fact]
    public void TheTimeWindowRefusesStaleAndFutureTimesOfCorrectlySignedCallbacks()
    {
        Assert.Equal(LiveEventSignatureReason.Valid, Head(SdkSecret, SdkTime, now: SdkInstant.AddSeconds(300)).Reason);
        var stale = Head(SdkSecret, SdkTime, now: SdkInstant.AddSeconds(301));
        Assert.Equal(LiveEventSignatureReason.Expired, stale.Reason);
        Assert.Equal(TimeSpan.FromSeconds(301), stale.Age);
        Assert.False(stale.Valid);
        Assert.Equal(LiveEventSignatureReason.Valid, Head(SdkSecret, SdkTime, now: SdkInstant.AddSeconds(-300)).Reason);
        Assert.Equal(LiveEventSignatureReason.FromTheFuture, Head(SdkSecret, SdkTime, now: SdkInstant.AddSeconds(-301)).Reason);
        // A stale callback with a bad signature is a bad signature: the time says nothing until the signature holds.
        Assert.Equal(LiveEventSignatureReason.BadSignature, Head(SdkSecret.Replace('5', '6'), SdkTime, now: SdkInstant.AddDays(1)).Reason);
    }

    [Theory]
    [InlineData(false, true, "x-hw-mss-secret")]
    [InlineData(true, false, "x-hw-mss-time")]
    [InlineData(false, false, "x-hw-mss-secret and x-hw-mss-time")]
    public void AMissingFieldIsNamed(bool withSecret, bool withTime, string named)
    {
        var result = LiveEventSignature.Verify("MSS_A_HEAD", withSecret ? new[] { SdkSecret } : Array.Empty<string>(), withTime ? new[] { SdkTime } : Array.Empty<string>(), SdkUrl, SdkKey, Window, SdkInstant);
        Assert.Equal(LiveEventSignatureReason.MissingField, result.Reason);
        Assert.Contains("no " + named, result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x66df9308")]
    [InlineData("66df93g8")]
    [InlineData("")]
    [InlineData("1725928200")] // decimal seconds read as hex are far in the future; as digits they are hex, so this is a time, not malformed
    [InlineData("10000000000000000")]
    [InlineData("ffffffffffffffff")]
    public void AMalformedOrImpossibleTimeIsRefused(string time)
    {
        var result = Head(SdkSecret, time);
        if (time == "1725928200")
        {
            Assert.NotEqual(LiveEventSignatureReason.Valid, result.Reason);
            return;
        }

        Assert.Equal(LiveEventSignatureReason.MalformedTime, result.Reason);
    }

    [Fact]
    public void ASignatureThatIsNotSixtyFourHexDigitsIsMalformedNotCompared()
    {
        byte[] raw = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            raw[i] = Convert.ToByte(SdkSecret.Substring(2 * i, 2), 16);
        }

        Assert.Equal(LiveEventSignatureReason.MalformedSignature, Head(Convert.ToBase64String(raw), SdkTime).Reason);
        Assert.Equal(LiveEventSignatureReason.MalformedSignature, Head(SdkSecret.Substring(1), SdkTime).Reason);
        Assert.Equal(LiveEventSignatureReason.MalformedSignature, Head(SdkSecret.Substring(1) + "z", SdkTime).Reason);
        var twice = LiveEventSignature.Verify("MSS_A_HEAD", new[] { SdkSecret, SdkSecret }, new[] { SdkTime }, SdkUrl, SdkKey, Window, SdkInstant);
        Assert.Equal(LiveEventSignatureReason.MalformedSignature, twice.Reason);
    }

    [Fact]
    public void BadKeysAndCallbackUrlsAreRefusedNamingTheParameter()
    {
        var longKey = Assert.Throws<ArgumentException>(() => Head(SdkSecret, SdkTime, key: new string('k', 33)));
        Assert.Equal("Key", longKey.ParamName);
        Assert.Contains("0 to 32", longKey.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('k', 33), longKey.Message, StringComparison.Ordinal);
        foreach (string url in new[] { "events.example.com/cb", "ftp://events.example.com/cb", "https://events.example.com/\n", "https://x/" + new string('a', 2048) })
        {
            Assert.Equal("CallbackUrl", Assert.Throws<ArgumentException>(() => Head(SdkSecret, SdkTime, url: url)).ParamName);
        }
    }

    [Fact]
    public void NoResultCarriesTheKeyOrTheExpectedSignature()
    {
        string expected = SdkSecret;
        string received = "00" + SdkSecret.Substring(2);
        foreach (var result in new[] { Head(received, SdkTime), Head(expected, SdkTime), Head(expected, SdkTime, now: SdkInstant.AddHours(1)), Head("zz", SdkTime) })
        {
            string all = string.Join("|", result.Reason, result.Message, result.ToString(), result.AuthType, result.Timestamp, result.Age);
            Assert.DoesNotContain(expected, all, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(received, all, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(SdkKey, all, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheComparisonLooksAtEveryByte()
    {
        byte[] a = new byte[32], b = new byte[32];
        Assert.True(LiveEventSignature.FixedTimeEquals(a, b));
        b[31] = 1;
        Assert.False(LiveEventSignature.FixedTimeEquals(a, b));
        b[31] = 0;
        b[0] = 0x80;
        Assert.False(LiveEventSignature.FixedTimeEquals(a, b));
        Assert.False(LiveEventSignature.FixedTimeEquals(a, new byte[31]));
    }
}
