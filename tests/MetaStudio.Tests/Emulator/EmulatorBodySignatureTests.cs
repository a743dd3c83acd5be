using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using MetaStudio.Emulator;
using MetaStudio.Emulator.Auth;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Emulator;

/// <summary>
/// The gateway signs the body: the canonical request ends with the SHA-256 of the exact body bytes, an
/// X-Sdk-Content-Sha256 the client declared must be the body's, and UNSIGNED-PAYLOAD is only for content
/// that is not JSON (as the official SDKs send it).
/// </summary>
public class EmulatorBodySignatureTests
{
    private const string Body = "{\"play_policy\":{\"repeat_count\":1}}";

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void ReplaceBody(HttpRequestMessage message, string body)
    {
        var contentType = message.Content!.Headers.ContentType;
        message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        message.Content.Headers.ContentType = contentType;
    }

    [Fact]
    public async Task ASignedBodyIsAccepted()
    {
        await using var emu = await LiveEmulator.StartAsync();
        using var response = await emu.Http.PostAsync(emu.Http.RoomJobs(emu.AddRoom()), Body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"play_policy\":{\"repeat_count\":2}}")] // same length, one byte changed
    [InlineData("{\"play_policy\":{\"repeat_count\":1}} ")] // a byte added
    [InlineData("")] // the body dropped
    public async Task ABodyAlteredAfterSigningIsRejectedAndCreatesNothing(string altered)
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        emu.Http.AfterSigning = m => ReplaceBody(m, altered);

        using var response = await emu.Http.PostAsync(emu.Http.RoomJobs(room), Body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var (code, message) = await SignedHttp.ErrorOf(response);
        Assert.Equal("APIGW.0301", code);
        Assert.Contains("verify aksk signature fail", message, StringComparison.Ordinal);
        Assert.EndsWith("|" + Sha256(altered), message, StringComparison.Ordinal); // the server hashed what it received
        Assert.Empty(emu.Server.Store.JobsOf(room));
    }

    [Fact]
    public async Task AStopWhoseBodyWasAddedAfterSigningDoesNotStop()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        string job = await emu.StartJobAsync(room);
        emu.Http.AfterSigning = m =>
        {
            m.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{}"));
            m.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        };

        using var response = await emu.Http.PostAsync(emu.Http.StopPath(room, job), null, null);
        emu.Http.AfterSigning = null;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("WAITING", (await emu.ShowAsync(room, job)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task UnsignedPayloadIsRefusedForJson()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();

        using var declared = await emu.Http.PostAsync(emu.Http.RoomJobs(room), Body, "application/json", new[] { ("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD") });

        Assert.Equal(HttpStatusCode.Unauthorized, declared.StatusCode);
        var (code, message) = await SignedHttp.ErrorOf(declared);
        Assert.Equal("APIGW.0301", code);
        Assert.Contains("UNSIGNED-PAYLOAD", message, StringComparison.Ordinal);
        Assert.Empty(emu.Server.Store.JobsOf(room));

        // JSON with a charset is JSON too (as the SDKs decide it): the signer hashes its body, and it passes.
        using var withCharset = await emu.Http.PostAsync(emu.Http.RoomJobs(room), Body, "application/json;charset=UTF-8");
        Assert.Equal(HttpStatusCode.Accepted, withCharset.StatusCode);
    }

    [Fact]
    public async Task UnsignedPayloadPassesTheGatewayForOtherContentThatTheServiceThenRefuses()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();

        using var response = await emu.Http.PostAsync(emu.Http.RoomJobs(room), Body, "text/plain");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MSS.10000002", (await SignedHttp.ErrorOf(response)).Code);
        Assert.Contains(emu.Server.Requests, r => r.Headers.TryGetValue("X-Sdk-Content-Sha256", out var v) && v == "UNSIGNED-PAYLOAD");
    }

    [Fact]
    public async Task ADeclaredPayloadHashMustBeTheBodys()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();

        using var matching = await emu.Http.PostAsync(emu.Http.RoomJobs(room), Body, "application/json", new[] { ("X-Sdk-Content-Sha256", Sha256(Body)) });
        using var other = await emu.Http.PostAsync(emu.Http.RoomJobs(room), Body, "application/json", new[] { ("X-Sdk-Content-Sha256", Sha256("{}")) });

        Assert.Equal(HttpStatusCode.Accepted, matching.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        Assert.Contains("does not match X-Sdk-Content-Sha256", (await SignedHttp.ErrorOf(other)).Message, StringComparison.Ordinal);
        Assert.Single(emu.Server.Store.JobsOf(room));
    }

    /// <summary>As the Python SDK sends it: Content-Type with a charset, signed, and the body hash in the canonical request.</summary>
    [Fact]
    public async Task AnSdkShapedJsonPostWithACharsetIsAccepted()
    {
        await using var emu = await LiveEmulator.StartAsync();
        string room = emu.AddRoom();
        string path = emu.Http.RoomJobs(room);
        string host = $"{emu.Server.BaseAddress.Host}:{emu.Server.BaseAddress.Port}";
        string date = emu.Clock.Now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var headers = new System.Collections.Generic.Dictionary<string, string>
        {
            ["content-type"] = "application/json;charset=UTF-8",
            ["host"] = host,
            ["x-project-id"] = EmulatorOptions.DemoProjectId,
            ["x-sdk-date"] = date,
        };
        var signed = headers.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        var (_, signature) = SignatureVerifier.Compute("POST", path, signed, n => headers.TryGetValue(n, out var v) ? v : null,
            Encoding.UTF8.GetBytes(Body), EmulatorOptions.DemoSecretKey, date);

        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emu.Server.BaseAddress, path)) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", headers["content-type"]);
        request.Headers.TryAddWithoutValidation("X-Project-Id", headers["x-project-id"]);
        request.Headers.TryAddWithoutValidation("X-Sdk-Date", date);
        request.Headers.TryAddWithoutValidation("Authorization", $"SDK-HMAC-SHA256 Access={EmulatorOptions.DemoAccessKey}, SignedHeaders={string.Join(";", signed)}, Signature={signature}");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
