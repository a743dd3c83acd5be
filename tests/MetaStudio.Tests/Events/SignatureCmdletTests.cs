using System;
using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using MetaStudio.Client.LiveEvents;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Events;

/// <summary>Test-MSLiveEventSignature in a hosted engine: both inputs, piped requests, parameter errors, nothing secret on any stream.</summary>
public sealed class SignatureCmdletTests : IDisposable
{
    private const string CallbackUrl = "https://events.example.com/metastudio?tenant=t1&app=demo";
    private const string Key = "cb-key-0123456789";

    private readonly HostedPowerShell pwsh = new();

    public void Dispose() => pwsh.Dispose();

    /// <summary>A signature for now, computed here from literal text: the signed URL is written out, not derived by the module.</summary>
    private static (string Secret, string Time) SignNow(string key = Key, int secondsAgo = 0)
    {
        string time = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - secondsAgo).ToString("x", CultureInfo.InvariantCulture);
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(key));
        string secret = Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes("events.example.com/metastudio?app=demo&tenant=t1" + time))).ToLowerInvariant();
        return (secret, time);
    }

    [Fact]
    public void AUrlWithHwSecretAndHwTimeIsValid()
    {
        var (secret, time) = SignNow();
        var url = $"{CallbackUrl}&hwSecret={secret}&hwTime={time}";
        Assert.Equal(true, pwsh.Invoke("Test-MSLiveEventSignature -Url $args[0] -CallbackUrl $args[1] -Key $args[2]", url, CallbackUrl, HostedPowerShell.Secure(Key)).Single().BaseObject);
        Assert.Equal(true, pwsh.Invoke("Test-MSLiveEventSignature -Url ([uri]$args[0]) -CallbackUrl $args[1] -Key $args[2]", url, CallbackUrl, HostedPowerShell.Secure(Key)).Single().BaseObject);
        Assert.Equal(false, pwsh.Invoke("Test-MSLiveEventSignature -Url $args[0] -CallbackUrl $args[1] -Key $args[2]", url, CallbackUrl, HostedPowerShell.Secure(Key + "x")).Single().BaseObject);
    }

    [Fact]
    public void HeadersAsAHashtableOrANameValueCollectionAreValidWhateverTheCaseOfTheNames()
    {
        var (secret, time) = SignNow();
        var table = new Hashtable { ["X-HW-MSS-SECRET"] = secret, ["X-Hw-Mss-Time"] = time, ["Content-Type"] = "application/json" };
        var collection = new NameValueCollection { ["x-hw-mss-secret"] = secret, ["x-hw-mss-time"] = time };
        foreach (object headers in new object[] { table, collection })
        {
            var result = (LiveEventSignatureResult)pwsh.Invoke("Test-MSLiveEventSignature -Headers $args[0] -CallbackUrl $args[1] -Key $args[2] -Detailed", headers, CallbackUrl, HostedPowerShell.Secure(Key)).Single().BaseObject;
            Assert.Equal(LiveEventSignatureReason.Valid, result.Reason);
            Assert.Equal("MSS_A_HEAD", result.AuthType);
        }
    }

    [Fact]
    public void ARequestPipedInBindsUrlAndHeadersAndAuthTypeChoosesWhereToLook()
    {
        var (secret, time) = SignNow();
        var requests = pwsh.Invoke(
            "@([pscustomobject]@{ Url = $args[0]; Headers = @{} }, [pscustomobject]@{ Url = $args[1]; Headers = @{ 'x-hw-mss-secret' = $args[2]; 'x-hw-mss-time' = $args[3] } }) | " +
            "Test-MSLiveEventSignature -CallbackUrl $args[4] -Key $args[5] -Detailed",
            $"{CallbackUrl}&hwSecret={secret}&hwTime={time}", CallbackUrl, secret, time, CallbackUrl, HostedPowerShell.Secure(Key)).Select(o => (LiveEventSignatureResult)o.BaseObject).ToList();
        Assert.Equal(new[] { "MSS_A", "MSS_A_HEAD" }, requests.Select(r => r.AuthType));
        Assert.All(requests, r => Assert.True(r.Valid));

        var forced = (LiveEventSignatureResult)pwsh.Invoke("Test-MSLiveEventSignature -Url $args[0] -Headers @{} -AuthType MSS_A_HEAD -CallbackUrl $args[1] -Key $args[2] -Detailed",
            $"{CallbackUrl}&hwSecret={secret}&hwTime={time}", CallbackUrl, HostedPowerShell.Secure(Key)).Single().BaseObject;
        Assert.Equal(LiveEventSignatureReason.MissingField, forced.Reason);
    }

    [Fact]
    public void AStaleCallbackIsExpiredUnderMaxAgeSec()
    {
        var (secret, time) = SignNow(secondsAgo: 120);
        var headers = new Hashtable { ["x-hw-mss-secret"] = secret, ["x-hw-mss-time"] = time };
        Assert.Equal(true, pwsh.Invoke("Test-MSLiveEventSignature -Headers $args[0] -CallbackUrl $args[1] -Key $args[2]", headers, CallbackUrl, HostedPowerShell.Secure(Key)).Single().BaseObject);
        var result = (LiveEventSignatureResult)pwsh.Invoke("Test-MSLiveEventSignature -Headers $args[0] -CallbackUrl $args[1] -Key $args[2] -MaxAgeSec 60 -Detailed", headers, CallbackUrl, HostedPowerShell.Secure(Key)).Single().BaseObject;
        Assert.Equal(LiveEventSignatureReason.Expired, result.Reason);
    }

    [Fact]
    public void AnEmptyKeyIsAKey()
    {
        var (secret, time) = SignNow(key: "");
        var headers = new Hashtable { ["x-hw-mss-secret"] = secret, ["x-hw-mss-time"] = time };
        Assert.Equal(true, pwsh.Invoke("Test-MSLiveEventSignature -Headers $args[0] -CallbackUrl $args[1] -Key ([securestring]::new())", headers, CallbackUrl).Single().BaseObject);
    }

    [Theory]
    [InlineData("-Url $u -CallbackUrl 'events.example.com/cb' -Key $k", "InvalidCallbackUrl", "-CallbackUrl")]
    [InlineData("-Url $u -CallbackUrl $c -Key (ConvertTo-SecureString ('k' * 33) -AsPlainText -Force)", "InvalidKey", "-Key")]
    [InlineData("-CallbackUrl $c -Key $k", "InvalidHeaders", "-Url")]
    [InlineData("-Headers 42 -CallbackUrl $c -Key $k", "InvalidHeaders", "-Headers")]
    [InlineData("-Url 42 -CallbackUrl $c -Key $k", "InvalidUrl", "-Url")]
    [InlineData("-Headers @{} -AuthType MSS_A -CallbackUrl $c -Key $k", "InvalidUrl", "-AuthType MSS_A needs -Url")]
    [InlineData("-Url $u -CallbackUrl $c -Key $k -MaxAgeSec 0", "ParameterArgumentValidationError", "MaxAgeSec")]
    [InlineData("-Url $u -CallbackUrl $c -Key $k -AuthType MEITUAN_DEFAULT", "ParameterArgumentValidationError", "AuthType")]
    public void BadInputIsRefusedBeforeAnythingIsChecked(string arguments, string errorId, string named)
    {
        var result = pwsh.Run($"$u = $args[0]; $c = $args[1]; $k = $args[2]; Test-MSLiveEventSignature {arguments}",
            $"{CallbackUrl}&hwSecret=00&hwTime=1", CallbackUrl, HostedPowerShell.Secure(Key));
        Assert.Empty(result.Output);
        var error = Assert.IsType<System.Management.Automation.ErrorRecord>(result.FirstError);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NeitherTheKeyNorAnySignatureReachesOutputViewsOrVerbose()
    {
        var (secret, time) = SignNow();
        string tampered = (secret[0] == 'a' ? "b" : "a") + secret.Substring(1);
        var result = pwsh.Run(
            "Test-MSLiveEventSignature -Headers $args[0] -CallbackUrl $args[1] -Key $args[2] -Detailed -Verbose | Format-List | Out-String -Width 200",
            new Hashtable { ["x-hw-mss-secret"] = tampered, ["x-hw-mss-time"] = time }, CallbackUrl, HostedPowerShell.Secure(Key));
        string all = string.Join("\n", result.AllVisibleText());
        Assert.Contains("BadSignature", all, StringComparison.Ordinal);
        Assert.Single(result.Verbose);
        Assert.DoesNotContain(secret, all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(tampered, all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Key, all, StringComparison.Ordinal);
    }
}
