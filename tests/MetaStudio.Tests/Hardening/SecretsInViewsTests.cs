using System;
using System.Collections;
using MetaStudio.Client.Json;
using MetaStudio.Client.LiveEvents;
using MetaStudio.Client.Models;
using Xunit;

namespace MetaStudio.Tests.Hardening;

/// <summary>
/// Credentials inside values, not only under secret names: a callback URL that carries its own token
/// (auth type NONE), a signed audio address, an unknown event's stream key. What the module prints
/// masks them; the objects keep the service's values.
/// </summary>
public sealed class SecretsInViewsTests
{
    [Fact]
    public void ACallbackUrlThatCarriesItsOwnTokenIsMaskedInItsText()
    {
        var config = new LiveEventCallbackConfig { LiveEventTypeCallbackUrl = "https://hooks.example.com/cb?token=SEKRET&room=1", AuthType = "NONE" };

        Assert.Equal("https://hooks.example.com/cb?token=***&room=1 (NONE)", config.ToString());
        Assert.Equal("https://hooks.example.com/cb?token=SEKRET&room=1", config.LiveEventTypeCallbackUrl);
    }

    [Theory]
    [InlineData("{\"audio_url\":\"https://obs.example.com/a.mp3?AccessKeyId=AK1&Expires=1&Signature=SIG1\"}",
        "{\"audio_url\":\"https://obs.example.com/a.mp3?AccessKeyId=***&Expires=1&Signature=***\"}")]
    [InlineData("{\"callback_key\":\"K1\",\"access_key\":\"K2\",\"sk\":\"K3\",\"pwd\":\"K4\",\"sort_by\":\"name\"}",
        "{\"callback_key\":\"***\",\"access_key\":\"***\",\"sk\":\"***\",\"pwd\":\"***\",\"sort_by\":\"name\"}")]
    public void OneLineSummariesMaskCredentialsInUrlsAndUnderMoreNames(string json, string expected)
    {
        Assert.Equal(expected, JsonSummary.OneLine(json, 200));
    }

    [Fact]
    public void AnEventOfAnUnknownTypeShowsItsMessageWithSecretsMasked()
    {
        var e = LiveEventParser.Parse("{\"event_type\":\"NEW_TYPE\",\"message\":\"{\\\"job_id\\\":\\\"j1\\\",\\\"stream_key\\\":\\\"SEKRET2\\\",\\\"callback_key\\\":\\\"SEKRET3\\\"}\"}");

        Assert.Equal("NEW_TYPE", e.EventType);
        Assert.Contains("SEKRET2", e.Message, StringComparison.Ordinal); // kept on the object
        Assert.DoesNotContain("SEKRET", e.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("SEKRET", e.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"stream_key\":\"***\"", e.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void AHashtableEventIsReadWhateverTheCaseOfItsKeys()
    {
        var body = new Hashtable { ["EVENT_TYPE"] = "REPLY_COMMAND_FINISH", ["Message"] = new Hashtable { ["Reply_Id"] = "z", ["job_id"] = "j1" } };

        var e = Assert.IsType<ReplyCommandFinishEvent>(LiveEventParser.Parse(body));

        Assert.Equal(("z", "j1"), (e.ReplyId, e.JobId));
    }
}
