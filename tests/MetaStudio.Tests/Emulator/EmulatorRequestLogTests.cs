using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using MetaStudio.Client.Signing;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Emulator;

/// <summary>
/// The emulator's request log (<see cref="EmulatorServer.Requests"/>): bounded in bytes whatever clients
/// send, and free of secret header values unless a test asks for them.
/// </summary>
public class EmulatorRequestLogTests
{
    private const string AccessKey = "LOGTESTAK00000000001";
    private const string SecretKey = "LOG-TEST-SECRET-KEY-0123456789abcdef";
    private const string SecurityToken = "LOG-TEST-SECURITY-TOKEN-fedcba9876543210";
    private const string Token = "LOG-TEST-IAM-TOKEN-0123456789";

    /// <summary>The documented bound of the log (README, "The emulator"): 8 MiB, counted as UTF-16 text.</summary>
    private const long DocumentedBoundBytes = 8L * 1024 * 1024;

    private static async Task<EmulatorServer> StartAsync(bool recordSecretHeaders = false)
    {
        var options = new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 2, RecordSecretHeaders = recordSecretHeaders };
        options.Keys.Add(new EmulatorKey(AccessKey, SecretKey, EmulatorOptions.DemoProjectId));
        options.Tokens[Token] = EmulatorOptions.DemoProjectId;
        return await EmulatorServer.StartAsync(options);
    }

    /// <summary>Three requests carrying secrets; returns the signature the first one sent.</summary>
    private static async Task<string> SendRequestsWithSecretsAsync(EmulatorServer server)
    {
        string signature = "";
        using (var signed = new SignedHttp(server.BaseAddress) { Credential = new AkSkCredential(AccessKey, SecretKey) })
        {
            signed.AfterSigning = m => signature = m.Headers.GetValues("Authorization").Single().Split("Signature=")[1];
            using var ok = await signed.GetAsync(signed.AllJobs, new[] { ("limit", "1") }, new[] { ("X-Security-Token", SecurityToken) });
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var withToken = new SignedHttp(server.BaseAddress) { Token = Token })
        {
            using var ok = await withToken.GetAsync(withToken.AllJobs);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var http = new HttpClient { BaseAddress = server.BaseAddress })
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, $"/v1/{EmulatorOptions.DemoProjectId}/smart-live-jobs");
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer bearer-secret-value");
            message.Headers.TryAddWithoutValidation("Cookie", "session=cookie-secret-value");
            using var refused = await http.SendAsync(message);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Equal(64, signature.Length);
        return signature;
    }

    [Fact]
    public async Task SecretHeaderValuesAreNotRecordedByDefault()
    {
        await using var server = await StartAsync();
        string signature = await SendRequestsWithSecretsAsync(server);

        var log = server.Requests;
        Assert.Equal(3, log.Count);
        var everything = log.SelectMany(r => r.Headers.Select(h => h.Key + ": " + h.Value).Append(r.Path + "?" + r.Query)).ToList();
        foreach (var secret in new[] { SecretKey, SecurityToken, Token, signature, "bearer-secret-value", "cookie-secret-value" })
        {
            Assert.DoesNotContain(everything, text => text.Contains(secret, StringComparison.Ordinal));
        }

        // What is not secret stays, so tests can still assert who signed what.
        var signed = log[0].Headers;
        Assert.Equal($"SDK-HMAC-SHA256 Access={AccessKey}, SignedHeaders=host;x-project-id;x-sdk-date;x-security-token, Signature=***", signed["Authorization"]);
        Assert.Equal("***", signed["X-Security-Token"]);
        Assert.Equal(EmulatorOptions.DemoProjectId, signed["X-Project-Id"]);
        Assert.Matches(@"^\d{8}T\d{6}Z$", signed["X-Sdk-Date"]);
        Assert.Equal("***", log[1].Headers["X-Auth-Token"]);
        Assert.Equal("Bearer ***", log[2].Headers["Authorization"]);
        Assert.Equal("***", log[2].Headers["Cookie"]);
    }

    [Fact]
    public async Task TestsThatNeedSecretHeadersOptIn()
    {
        await using var server = await StartAsync(recordSecretHeaders: true);
        string signature = await SendRequestsWithSecretsAsync(server);

        var log = server.Requests;
        Assert.EndsWith("Signature=" + signature, log[0].Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal(SecurityToken, log[0].Headers["X-Security-Token"]);
        Assert.Equal(Token, log[1].Headers["X-Auth-Token"]);
    }

    [Fact]
    public async Task ManyLargeUnauthenticatedRequestsKeepTheLogWithinItsByteBound()
    {
        await using var server = await StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        const int Requests = 400;
        string filler = new('x', 3_500);
        string pad = new('q', 6_000);

        // About 34 KB each (Kestrel's own limits: 8 KB request line, 32 KB of headers): 13 MB of text in all.
        for (int start = 0; start < Requests; start += 8)
        {
            await Task.WhenAll(Enumerable.Range(start, 8).Select(async i =>
            {
                using var message = new HttpRequestMessage(HttpMethod.Get, $"/v1/{EmulatorOptions.DemoProjectId}/smart-live-jobs?n={i}&pad={pad}");
                for (int h = 0; h < 8; h++)
                {
                    message.Headers.TryAddWithoutValidation($"X-Filler-{h}", filler);
                }

                using var response = await http.SendAsync(message);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }));
        }

        var log = server.Requests;
        long bytes = log.Sum(r => 2L * (r.Method.Length + r.Path.Length + r.Query.Length + r.RequestId.Length + (r.Fault?.Length ?? 0) +
                                         r.Headers.Sum(h => (long)h.Key.Length + h.Value.Length)));
        Assert.True(bytes <= DocumentedBoundBytes, $"the log holds {bytes:N0} bytes of text");
        Assert.Equal(Requests, server.CountOf(401));

        // The newest requests are kept (the oldest are dropped first), with long values cut, not lost.
        Assert.True(log.Count >= 100, $"only {log.Count} requests kept");
        Assert.Contains(log.TakeLast(8), r => r.Query.StartsWith($"n={Requests - 1}&pad=qqq", StringComparison.Ordinal));
        Assert.All(log, r => Assert.All(r.Headers.Values, v => Assert.True(v.Length <= 1_025, $"a header value of {v.Length} characters")));
        Assert.All(log, r => Assert.StartsWith("xxxx", r.Headers["X-Filler-0"], StringComparison.Ordinal));
    }
}
