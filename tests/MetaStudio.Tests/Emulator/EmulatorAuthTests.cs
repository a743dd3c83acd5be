using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using MetaStudio.Client.Signing;
using MetaStudio.Emulator;
using MetaStudio.Emulator.Auth;
using MetaStudio.Tests.Signing;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Emulator;

/// <summary>The emulator authenticates as the API gateway does.</summary>
public class EmulatorAuthTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture fixture;
    private readonly SignedHttp http;

    public EmulatorAuthTests(EmulatorFixture fixture)
    {
        this.fixture = fixture;
        http = new SignedHttp(fixture.BaseAddress);
    }

    private string Room => fixture.Server.Store.Rooms[0].RoomId;

    public void Dispose() => http.Dispose();

    public static TheoryData<string> OfficialVectors()
    {
        var data = new TheoryData<string>();
        foreach (var v in SigningVector.Load(RepoPaths.SigningVectors).Where(v => v.NodeSdkQuirk is null))
        {
            data.Add(v.Name);
        }

        return data;
    }

    /// <summary>The verifier is a separate implementation; it must agree with the official SDK on every vector.</summary>
    [Theory]
    [MemberData(nameof(OfficialVectors))]
    public void VerifierAcceptsEveryOfficialSdkSignature(string name)
    {
        var v = SigningVector.Load(RepoPaths.SigningVectors).Single(x => x.Name == name);
        var uri = new Uri(v.Url);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
            ["x-sdk-date"] = v.SdkDate,
        };
        foreach (var h in v.Headers)
        {
            headers[h.Key] = h.Value;
        }

        if (v.ProjectId != null)
        {
            headers["x-project-id"] = v.ProjectId;
        }

        if (v.SecurityToken != null)
        {
            headers["x-security-token"] = v.SecurityToken;
        }

        var auth = AuthorizationHeader.Parse(v.ExpectedAuthorization)!;
        var (canonical, signature) = SignatureVerifier.Compute(v.Method, uri.PathAndQuery, auth.SignedHeaders,
            n => headers.TryGetValue(n, out var value) ? value : null, Encoding.UTF8.GetBytes(v.Body), v.Sk, v.SdkDate);

        Assert.Equal(v.ExpectedCanonicalRequest, canonical);
        Assert.Equal(auth.Signature, signature);
    }

    /// <summary>
    /// End to end: an official-SDK-signed GET replayed byte for byte (its URL, headers and the SDK's
    /// Host) to an emulator whose clock is the vector's signing time.
    /// </summary>
    [Theory]
    [InlineData("list_jobs_no_query")]
    [InlineData("list_jobs_all_list_api_query_params")]
    [InlineData("list_jobs_query_repeated_key_unsorted_input")]
    [InlineData("show_job_get")]
    [InlineData("temporary_credentials_security_token_get")]
    [InlineData("mixed_case_header_names")]
    public async Task EmulatorAcceptsAReplayedOfficialSdkRequest(string name)
    {
        var v = SigningVector.Load(RepoPaths.SigningVectors).Single(x => x.Name == name);
        Assert.True(ApigSigner.TryParseDate(v.SdkDate, out var signedAt));
        var options = new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 1, Clock = new ManualClock(new DateTimeOffset(signedAt).AddMinutes(3)) };
        options.Keys.Add(new EmulatorKey(v.Ak, v.Sk, v.ProjectId!));
        await using var server = await EmulatorServer.StartAsync(options);
        using var client = new HttpClient();

        var uri = new Uri(v.Url);
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, uri.PathAndQuery));
        request.Headers.Host = uri.Host;
        foreach (var h in v.Headers.Where(h => !h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.TryAddWithoutValidation(h.Key, h.Value);
        }

        if (v.Headers.Any(h => h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase)))
        {
            request.Content = new ByteArrayContent(Array.Empty<byte>());
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        }

        request.Headers.TryAddWithoutValidation("X-Sdk-Date", v.SdkDate);
        request.Headers.TryAddWithoutValidation("X-Project-Id", v.ProjectId);
        if (v.SecurityToken != null)
        {
            request.Headers.TryAddWithoutValidation("X-Security-Token", v.SecurityToken);
        }

        request.Headers.TryAddWithoutValidation("Authorization", v.ExpectedAuthorization);
        using var response = await client.SendAsync(request);

        // Authenticated: a listing (200) or, for the vector's made-up job id, the handler's 404.
        var status = (int)response.StatusCode;
        Assert.True(status is 200 or 404, $"{status}: {await response.Content.ReadAsStringAsync()}");
        if (status == 404)
        {
            Assert.Equal("MSS.10001002", (await SignedHttp.ErrorOf(response)).Code);
        }
    }

    [Fact]
    public async Task AcceptsTheDemoKeyAndTheDemoToken()
    {
        using var signed = await http.GetAsync(http.RoomJobs(Room));
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);

        http.Token = EmulatorOptions.DemoToken;
        using var token = await http.GetAsync(http.RoomJobs(Room));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task RejectsAWrongSecretKeyEchoingTheCanonicalRequest()
    {
        http.Credential = new AkSkCredential(EmulatorOptions.DemoAccessKey, "not-the-secret");
        using var response = await http.GetAsync(http.RoomJobs(Room), ("limit", "5"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var (code, message) = await SignedHttp.ErrorOf(response);
        Assert.Equal("APIGW.0301", code);
        Assert.Contains("verify aksk signature fail", message, StringComparison.Ordinal);
        Assert.Contains($"canonicalRequest:GET|{http.RoomJobs(Room)}/|limit=5|", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MasksTheSecurityTokenInTheEchoedCanonicalRequest()
    {
        http.Credential = new AkSkCredential(EmulatorOptions.DemoAccessKey, "wrong", "TEMP-TOKEN-SECRET-VALUE");
        using var response = await http.GetAsync(http.RoomJobs(Room));

        var (_, message) = await SignedHttp.ErrorOf(response);
        Assert.Contains("x-security-token:***", message, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP-TOKEN-SECRET-VALUE", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectsAnUnknownAccessKey()
    {
        http.Credential = new AkSkCredential("UNKNOWNAK00000000000", EmulatorOptions.DemoSecretKey);
        using var response = await http.GetAsync(http.RoomJobs(Room));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("ak not exist", (await SignedHttp.ErrorOf(response)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-16, false)]
    [InlineData(16, false)]
    [InlineData(-14, true)]
    [InlineData(14, true)]
    public async Task SignaturesMoreThanFifteenMinutesOffAreExpired(int minutesOff, bool accepted)
    {
        http.Clock = () => DateTime.UtcNow.AddMinutes(minutesOff);
        using var response = await http.GetAsync(http.RoomJobs(Room));

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var (code, message) = await SignedHttp.ErrorOf(response);
        Assert.Equal("APIGW.0301", code);
        Assert.Contains("signature expired", message, StringComparison.Ordinal);
        Assert.True(response.Headers.Date.HasValue, "the server's Date header lets a client measure its clock skew");
    }

    [Fact]
    public async Task RejectsAPathProjectThatIsNotTheKeysProject()
    {
        http.ProjectId = "00000000000000000000000000000000";
        using var response = await http.GetAsync(http.RoomJobs(Room));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("does not belong to access key", (await SignedHttp.ErrorOf(response)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectsAnXProjectIdThatDiffersFromThePath()
    {
        using var response = await http.GetAsync(http.RoomJobs(Room), Array.Empty<(string, string)>(),
            new[] { ("X-Project-Id", "ffffffffffffffffffffffffffffffff") });
        // The signer adds the path project too, so two values arrive; either way it is not the path's.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RejectsABadTokenAndATokenForAnotherProject()
    {
        http.Token = "not-a-token";
        using var bad = await http.GetAsync(http.RoomJobs(Room));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Contains("decrypt token fail", (await SignedHttp.ErrorOf(bad)).Message, StringComparison.Ordinal);

        http.Token = EmulatorOptions.DemoToken;
        http.ProjectId = "00000000000000000000000000000000";
        using var other = await http.GetAsync(http.RoomJobs(Room));
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Equal("MSS.00010009", (await SignedHttp.ErrorOf(other)).Code);
    }

    [Fact]
    public async Task ToleratesUnsignedExtraHeaders()
    {
        http.AfterSigning = m => m.Headers.TryAddWithoutValidation("X-Trace-Extra", "added after signing");
        using var response = await http.GetAsync(http.RoomJobs(Room));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RejectsATamperedSignedHeader()
    {
        http.AfterSigning = m =>
        {
            m.Headers.Remove("X-App-UserId");
            m.Headers.TryAddWithoutValidation("X-App-UserId", "someone-else");
        };
        using var response = await http.GetAsync(http.RoomJobs(Room), Array.Empty<(string, string)>(), new[] { ("X-App-UserId", "me") });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RejectsATamperedQuery()
    {
        http.AfterSigning = m => m.RequestUri = new Uri(m.RequestUri!.ToString().Replace("limit=5", "limit=50", StringComparison.Ordinal));
        using var response = await http.GetAsync(http.RoomJobs(Room), ("limit", "5"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RejectsAMissingOrMalformedAuthorization()
    {
        http.AfterSigning = m => m.Headers.Remove("Authorization");
        using var missing = await http.GetAsync(http.RoomJobs(Room));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);

        http.AfterSigning = m =>
        {
            m.Headers.Remove("Authorization");
            m.Headers.TryAddWithoutValidation("Authorization", "Bearer abc");
        };
        using var malformed = await http.GetAsync(http.RoomJobs(Room));
        Assert.Equal(HttpStatusCode.Unauthorized, malformed.StatusCode);
        Assert.Equal("APIGW.0301", (await SignedHttp.ErrorOf(malformed)).Code);
    }
}
