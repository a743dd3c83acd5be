using System;
using System.Globalization;
using System.Linq;
using MetaStudio.Client.Signing;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Signing;

/// <summary>
/// The official .NET SDK formats X-Sdk-Date with the current culture, which breaks signatures under
/// non-Gregorian calendars (th-TH writes the Buddhist year). Ours must not care about the culture.
/// </summary>
public class ApigSignerCultureTests
{
    [Theory]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    public void SignatureIsTheSameUnderAnyCulture(string cultureName)
    {
        var culture = CultureInfo.GetCultureInfo(cultureName);
        // Guard: this test only proves something if the culture really formats years differently here.
        Assert.NotEqual("2021", new DateTime(2021, 1, 19, 12, 0, 46, DateTimeKind.Utc).ToString("yyyy", culture));

        var vector = SigningVector.Load(RepoPaths.SigningVectors).Single(v => v.Name == "list_jobs_all_list_api_query_params");
        var signingTime = DateTime.ParseExact(vector.SdkDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        var saved = CultureInfo.CurrentCulture;
        var savedUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;

            // The signer generates X-Sdk-Date itself here (the vector's date is not preset).
            var (request, signature) = ApigSignerVectorTests.SignVector(vector);
            Assert.Equal(vector.SdkDate, request.GetHeader("X-Sdk-Date"));
            Assert.Equal(vector.ExpectedCanonicalRequest, signature.CanonicalRequest);
            Assert.Equal(vector.ExpectedAuthorization, request.GetHeader("Authorization"));

            Assert.Equal(vector.SdkDate, ApigSigner.FormatDate(signingTime));
            Assert.True(ApigSigner.TryParseDate(vector.SdkDate, out var parsed));
            Assert.Equal(signingTime, parsed);
            Assert.Equal(DateTimeKind.Utc, parsed.Kind);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }

    [Fact]
    public void LocalTimesAreConvertedToUtc()
    {
        var utc = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        Assert.Equal("20240102T030405Z", ApigSigner.FormatDate(utc.ToLocalTime()));
    }

    [Theory]
    [InlineData("2024-01-02T03:04:05Z")]
    [InlineData("20240102T030405")]
    [InlineData("")]
    [InlineData(null)]
    public void MalformedDatesDoNotParse(string? value)
    {
        Assert.False(ApigSigner.TryParseDate(value, out _));
    }
}
