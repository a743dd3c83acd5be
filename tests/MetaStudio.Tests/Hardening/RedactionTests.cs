using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using MetaStudio.Client.Errors;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Hardening;

/// <summary>
/// Secrets are masked by value wherever they appear in what the module writes (another header, lower
/// case, URL-encoded, cut in half), before anything is cut; and control characters from the service
/// show as visible escapes in what the module prints, while objects keep the service's exact values.
/// </summary>
public sealed class RedactionTests : IAsyncLifetime, IDisposable
{
    // Long enough that its halves and URL-encoded form are recognisable; '/' and '+' change when URL-encoded.
    private const string SecurityToken = "Redaction+Token/ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghij==";
    private const string Token = "Redaction-IAM-Token+ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210/zyxw==";
    private EmulatorServer server = null!;
    private HostedPowerShell pwsh = null!;

    private string Room => server.Store.Rooms[0].RoomId;

    public async Task InitializeAsync()
    {
        var options = new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 5 };
        options.Tokens[Token] = EmulatorOptions.DemoProjectId;
        server = await EmulatorServer.StartAsync(options);
        pwsh = new HostedPowerShell().ConnectTo(server);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose() => pwsh.Dispose();

    private static IEnumerable<string> FormsOf(string secret) => new[]
    {
        secret, secret.ToLowerInvariant(), secret.ToUpperInvariant(), Uri.EscapeDataString(secret), WebUtility.UrlEncode(secret),
        secret.Substring(0, secret.Length / 2), secret.Substring(secret.Length / 2), secret.Substring(0, 16), secret.Substring(20, 16),
    };

    [Theory]
    [InlineData("security token")]
    [InlineData("IAM token")]
    public void AnEchoedSecretIsMaskedInEveryFormAndEveryStream(string kind)
    {
        string secret = kind == "IAM token" ? Token : SecurityToken;
        string connect = kind == "IAM token"
            ? "Connect-MSAccount -Token $args[0] -ProjectId $args[1] -Endpoint $args[2] -MaxRetry 0"
            : "Connect-MSAccount -AccessKey $args[3] -SecretKey $args[4] -SecurityToken $args[0] -ProjectId $args[1] -Endpoint $args[2] -MaxRetry 0";
        server.AddFault("echo-secrets");

        var result = pwsh.Run("$DebugPreference = 'Continue'; " + connect + "; Get-MSSmartLiveJob -RoomId $args[5] -Verbose -Debug",
            HostedPowerShell.Secure(secret), EmulatorOptions.DemoProjectId, server.BaseAddress.ToString(),
            EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure(EmulatorOptions.DemoSecretKey), Room);

        // The echo did come back (in headers and in a body longer than what is shown), or this proves nothing.
        var e = Assert.IsType<MetaStudioServiceException>(Assert.Single(result.Errors).Exception);
        Assert.Equal(401, e.StatusCode);
        Assert.Contains(result.Debug, d => d.Contains("X-Echo", StringComparison.OrdinalIgnoreCase));
        var visible = result.AllVisibleText().Append(e.ErrorMessage ?? "").Append(e.Message).ToList();
        foreach (string form in FormsOf(secret))
        {
            Assert.DoesNotContain(visible, text => text.Contains(form, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ServiceTextIsEscapedInWhatTheModulePrintsButKeptExactInObjects()
    {
        const string Hostile = "Live \u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u009b1m\u202Eevil";
        string room = server.Store.AddRoom("escape-room", Hostile).RoomId;
        server.Store.AddJobs(room, new[]
        {
            "{\"job_id\":\"esc-1\",\"room_id\":\"" + room + "\",\"room_name\":" + System.Text.Json.JsonSerializer.Serialize(Hostile) +
            ",\"state\":\"FAILED\",\"create_time\":\"2026-01-01T00:00:00Z\",\"duration\":\"oops\\u001b[31m\",\"error_info\":{\"error_code\":\"MSS.1\",\"error_msg\":" + System.Text.Json.JsonSerializer.Serialize(Hostile) + "}}",        });

        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -Verbose; Get-MSSmartLiveJob -RoomId $args[0] -State FAILED | ForEach-Object { $_.ErrorInfo.ToString() }",
            room);

        Assert.True(result.Errors.Count == 0, string.Join("; ", result.Errors.Select(e => e.Exception.ToString())));
        var job = result.Output.Select(o => o.BaseObject).OfType<MetaStudio.Client.Models.SmartLiveJob>().Single();
        Assert.Equal(Hostile, job.RoomName);                  // the object keeps the exact value
        Assert.Equal(Hostile, job.ErrorMessage);
        var warnings = result.Warnings.Where(w => w.Contains("'duration' of job esc-1", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count); // once per listing
        Assert.All(warnings, w => Assert.Contains("\"oops`e[31m\"", w, StringComparison.Ordinal)); // the raw value, its escape made visible
        Assert.All(result.Warnings.Concat(result.Verbose).Concat(result.Output.Select(o => o.BaseObject).OfType<string>()),
            text => Assert.DoesNotContain(text, c => c is '\u001b' or '\u0007' or '\u009b' or '\u202E'));
    }
}
