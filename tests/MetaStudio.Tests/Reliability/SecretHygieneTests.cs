using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Reliability;

/// <summary>
/// Every cmdlet with -Verbose -Debug through success, authentication failure, server error and
/// fault paths: no secret key, token, security token or request signature appears in any stream,
/// $Error, exception message, or any object's text or properties.
/// </summary>
public sealed class SecretHygieneTests : IAsyncLifetime, IDisposable
{
    private const string SecretKey = "HYGIENE-SECRET-KEY-0123456789";
    private const string SecurityToken = "HYGIENE-SECURITY-TOKEN-abcdef0123456789";
    private const string Token = "HYGIENE-IAM-TOKEN-fedcba9876543210";
    private const string AccessKey = "HYGIENEAK00000000001";
    private EmulatorServer server = null!;
    private readonly HostedPowerShell pwsh = new();

    public async Task InitializeAsync()
    {
        // RecordSecretHeaders: the log keeps every signature sent, so the test can search the output for them.
        var options = new EmulatorOptions { Port = 0, Rooms = 2, JobsPerRoom = 150, MaskEchoedSecurityToken = false, RecordSecretHeaders = true };
        options.Keys.Add(new EmulatorKey(AccessKey, SecretKey, EmulatorOptions.DemoProjectId));
        options.Tokens[Token] = EmulatorOptions.DemoProjectId;
        server = await EmulatorServer.StartAsync(options);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose() => pwsh.Dispose();

    [Fact]
    public void NoSecretAppearsAnywhere()
    {
        string room = server.Store.Rooms[0].RoomId;
        string endpoint = server.BaseAddress.ToString();
        var sk = HostedPowerShell.Secure(SecretKey);
        var st = HostedPowerShell.Secure(SecurityToken);
        var wrong = HostedPowerShell.Secure(SecretKey + "-WRONG");
        const string All = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; ";
        var runs = new List<RunResult>
        {
            // success, with temporary credentials (the security token is signed and sent)
            pwsh.Run(All + "Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] -SecurityToken $args[2] -ProjectId $args[3] -Endpoint $args[4] -PassThru -Verbose -Debug; " +
                     "Get-MSContext -Verbose -Debug; Get-MSSmartLiveJob -RoomId $args[5] -Verbose -Debug; Get-MSSmartLiveJob -Verbose -Debug -First 120; " +
                     "Get-MSSmartLiveJob -RoomId $args[5] -First 2 | Get-MSSmartLiveJob -Verbose -Debug",
                AccessKey, sk, st, EmulatorOptions.DemoProjectId, endpoint, room),
            // authentication failure: the gateway echoes its canonical request, security token included
            pwsh.Run(All + "Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] -SecurityToken $args[2] -ProjectId $args[3] -Endpoint $args[4]; Get-MSSmartLiveJob -RoomId $args[5] -Verbose -Debug",
                AccessKey, wrong, st, EmulatorOptions.DemoProjectId, endpoint, room),
            // token authentication, then a server error and faults
            pwsh.Run(All + "Connect-MSAccount -Token $args[0] -ProjectId $args[1] -Endpoint $args[2] -MaxRetry 1 -Verbose -Debug; Get-MSContext -Debug; Get-MSSmartLiveJob -RoomId $args[3] -Verbose -Debug",
                HostedPowerShell.Secure(Token), EmulatorOptions.DemoProjectId, endpoint, room),
        };

        server.AddFault("status:503x2");
        runs.Add(pwsh.Run(All + "Get-MSSmartLiveJob -RoomId $args[0] -Verbose -Debug", room));
        server.AddFault("malformedx2");
        runs.Add(pwsh.Run(All + "Get-MSSmartLiveJob -RoomId $args[0] -Verbose -Debug", room));
        server.AddFault("html:502x2");
        runs.Add(pwsh.Run(All + "Get-MSSmartLiveJob -RoomId $args[0] -Verbose -Debug", room));
        server.AddFault("reset-mid-bodyx2");
        runs.Add(pwsh.Run(All + "Get-MSSmartLiveJob -RoomId $args[0] -Verbose -Debug", room));
        runs.Add(pwsh.Run(All + "Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] -ProjectId '../bad' -Verbose -Debug", AccessKey, sk));
        runs.Add(pwsh.Run(All + "Disconnect-MSAccount -Verbose -Debug; Get-MSContext -Verbose -Debug"));
        runs.Add(pwsh.Run("$Error | ForEach-Object { $_.ToString(); $_.Exception.ToString(); $_.ErrorDetails.Message; $_.TargetObject }"));

        var signatures = server.Requests.Where(r => r.Headers.ContainsKey("Authorization"))
            .Select(r => r.Headers["Authorization"].Split("Signature=")[1]).Distinct().ToList();
        Assert.True(signatures.Count > 5);
        Assert.Contains(server.Requests, r => r.Status == 401); // the failure path really ran
        Assert.Contains(server.Requests, r => r.Headers.ContainsKey("X-Auth-Token"));

        var seen = runs.SelectMany(r => r.AllVisibleText()).ToList();
        Assert.Contains(seen, t => t.Contains("canonicalRequest", StringComparison.Ordinal)); // the echo was seen, redacted
        Assert.Contains(seen, t => t.Contains("Authorization: ***", StringComparison.Ordinal));
        foreach (var secret in new[] { SecretKey, SecurityToken, Token, AccessKey }.Concat(signatures))
        {
            var leaks = seen.Where(t => t.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"'{secret[..Math.Min(12, secret.Length)]}…' leaked: {leaks.FirstOrDefault()}");
        }
    }
}
