using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using MetaStudio.Emulator;
using MetaStudio.Tests.Jobs;
using MetaStudio.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MetaStudio.Tests.Reliability;

/// <summary>
/// Every parameter of every cmdlet with hostile values: each case ends in a clear error naming the
/// parameter, or is handled correctly; none breaks the engine or puts a malformed request on the wire.
/// </summary>
public class BadInputMatrixTests : IClassFixture<JobsFixture>, IDisposable
{
    // Values of every kind the issue lists, as PowerShell expressions.
    private static readonly (string Kind, string Expression)[] Values =
    {
        ("null", "$null"), ("empty", "''"), ("white space", "'   '"), ("tab", "\"`t\""), ("10,000 characters", "('x' * 10000)"),
        ("negative", "-1"), ("zero", "0"), ("too large", "2147483648"), ("huge", "1e300"), ("NaN", "[double]::NaN"),
        ("hashtable", "@{ a = 1 }"), ("array", "@(1, 'two')"), ("scriptblock", "{ 1 }"),
        ("Chinese", "'直播间-01'"), ("accented", "'é'"), ("emoji", "'🙂'"), ("right-to-left", "'مرحبا'"), ("control", "\"a`0b\""),
        ("dot-dot", "'..'"), ("traversal", "'../x'"), ("encoded slash", "'a%2Fb'"), ("query", "'?x=1'"), ("slash", "'a/b'"), ("fragment", "'a#b'"),
        ("invalid date", "'2026-13-45'"), ("ambiguous date", "'31/02/2026'"), ("date min", "[datetime]::MinValue"),
        ("header injection", "\"a`r`nX-Injected: 1\""), ("terminal escape", "\"a`e]0;title`a\""), ("bidi override", "\"a`u{202E}b\""),
        ("unicode quote", "\"a’b\""), ("command", "'r1;New-Item x;#'"),
    };

    private static readonly (string Command, string Parameter, string Fixed)[] Parameters =
    {
        ("Get-MSSmartLiveJob", "RoomId", "-First 1"),
        ("Get-MSSmartLiveJob", "JobId", "-RoomId fields-room"),
        ("Get-MSSmartLiveJob", "RoomName", "-First 1"),
        ("Get-MSSmartLiveJob", "State", "-RoomId fields-room"),
        ("Get-MSSmartLiveJob", "SortKey", "-RoomId fields-room"),
        ("Get-MSSmartLiveJob", "CreateSince", "-RoomId fields-room"),
        ("Get-MSSmartLiveJob", "CreateUntil", "-RoomId fields-room"),
        ("Get-MSSmartLiveJob", "PageSize", "-RoomId fields-room"),
        ("Get-MSSmartLiveJob", "First", "-RoomId fields-room"),
        ("Get-MSSmartLiveJob", "Skip", "-RoomId fields-room"),
        ("Get-MSSmartLiveJob", "MaxRetry", "-RoomId fields-room"),
        ("Get-MSSmartLiveJob", "TimeoutSec", "-RoomId fields-room"),
        ("Connect-MSAccount", "AccessKey", "-SecretKey $sk -ProjectId $project -Endpoint $endpoint"),
        ("Connect-MSAccount", "SecretKey", "-AccessKey $ak -ProjectId $project -Endpoint $endpoint"),
        ("Connect-MSAccount", "SecurityToken", "-AccessKey $ak -SecretKey $sk -ProjectId $project -Endpoint $endpoint"),
        ("Connect-MSAccount", "Credential", "-ProjectId $project -Endpoint $endpoint"),
        ("Connect-MSAccount", "Token", "-ProjectId $project -Endpoint $endpoint"),
        ("Connect-MSAccount", "Context", ""),
        ("Connect-MSAccount", "ProjectId", "-AccessKey $ak -SecretKey $sk -Endpoint $endpoint"),
        ("Connect-MSAccount", "Region", "-AccessKey $ak -SecretKey $sk -ProjectId $project"),
        ("Connect-MSAccount", "Endpoint", "-AccessKey $ak -SecretKey $sk -ProjectId $project"),
        ("Connect-MSAccount", "AppUserId", "-AccessKey $ak -SecretKey $sk -ProjectId $project -Endpoint $endpoint"),
        ("Connect-MSAccount", "MaxRetry", "-AccessKey $ak -SecretKey $sk -ProjectId $project -Endpoint $endpoint"),
        ("Connect-MSAccount", "TimeoutSec", "-AccessKey $ak -SecretKey $sk -ProjectId $project -Endpoint $endpoint"),
        ("Connect-MSAccount", "RateLimit", "-AccessKey $ak -SecretKey $sk -ProjectId $project -Endpoint $endpoint"),
        ("Connect-MSAccount", "MaxResponseSize", "-AccessKey $ak -SecretKey $sk -ProjectId $project -Endpoint $endpoint"),
        ("Get-MSContext", "Unknown", ""),
        ("Disconnect-MSAccount", "Unknown", ""),
    };

    private static readonly Regex WellFormedPath = new(
        $"^/v1/{EmulatorOptions.DemoProjectId}/(smart-live-jobs|smart-live-rooms/[A-Za-z0-9%._~-]+/smart-live-jobs(/[A-Za-z0-9%._~-]+)?)$");

    private readonly JobsFixture fixture;
    private readonly ITestOutputHelper output;
    private readonly HostedPowerShell pwsh;

    public BadInputMatrixTests(JobsFixture fixture, ITestOutputHelper output)
    {
        this.fixture = fixture;
        this.output = output;
        fixture.Server.ClearFaults();
        pwsh = new HostedPowerShell().ConnectTo(fixture.Server);
        pwsh.Invoke("$script:ak = $args[0]; $script:sk = $args[1]; $script:project = $args[2]; $script:endpoint = $args[3]",
            EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure(EmulatorOptions.DemoSecretKey), EmulatorOptions.DemoProjectId, fixture.BaseAddress.ToString());
        fixture.Server.ClearRequests();
    }

    public void Dispose() => pwsh.Dispose();

    /// <summary>The number of cases, recorded in the README's Reliability section.</summary>
    public static int CaseCount => Values.Length * Parameters.Length;

    [Fact]
    public void EveryParameterWithEveryHostileValue()
    {
        var problems = new List<string>();
        int errors = 0, handled = 0;
        var handledCases = new List<string>();
        foreach (var (command, parameter, fixedArguments) in Parameters)
        {
            foreach (var (kind, expression) in Values)
            {
                string script = $"try {{ {command} -{parameter} {expression} {fixedArguments} }} catch {{ $_ }}";
                var result = pwsh.Run(script);
                var records = result.Errors.Concat(result.Output.Select(o => o.BaseObject).OfType<ErrorRecord>()).ToList();
                if (result.Terminating != null)
                {
                    records.Add(result.Terminating.ErrorRecord);
                }

                // A well-formed id that does not exist is the service's answer (404), not bad input.
                records.RemoveAll(r => r.Exception is MetaStudio.Client.Errors.MetaStudioServiceException { StatusCode: 404 });
                if (records.Count == 0)
                {
                    handled++;
                    handledCases.Add($"{command} -{parameter} {kind}");
                }
                else
                {
                    errors++;
                    foreach (var record in records)
                    {
                        if (record.Exception is not (ParameterBindingException or ArgumentException or MetaStudio.Client.Connection.MetaStudioConfigurationException))
                        {
                            problems.Add($"{command} -{parameter} {kind}: failed with {record.Exception.GetType().Name}: {record.Exception.Message}");
                            continue;
                        }

                        string text = record.Exception.Message + " " + record.FullyQualifiedErrorId;
                        if (text.IndexOf(parameter, StringComparison.OrdinalIgnoreCase) < 0)
                        {
                            problems.Add($"{command} -{parameter} {kind}: the error does not name the parameter: {record.Exception.Message}");
                        }
                    }
                }

                // The engine is still usable, and the session is connected again for the next case.
                Assert.Equal(2, pwsh.Invoke("1 + 1").Single().BaseObject);
                pwsh.ConnectTo(fixture.Server);
            }
        }

        foreach (var request in fixture.Server.Requests)
        {
            if (!WellFormedPath.IsMatch(request.Path) || request.Status is 400 or 401 || (request.Status == 404 && !request.Path.Contains("/smart-live-jobs/", StringComparison.Ordinal)))
            {
                problems.Add($"A malformed or rejected request reached the service: {request.Status} {request.Method} {request.Path}?{request.Query}");
            }
        }

        output.WriteLine("Handled: " + string.Join("; ", handledCases));
        output.WriteLine($"{CaseCount} cases: {errors} refused with an error naming the parameter, {handled} handled; {fixture.Server.Requests.Count} requests sent.");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(Values.Length * Parameters.Length, errors + handled);
        Assert.True(errors > handled, "most hostile values must be refused");
    }

    [Fact]
    public void TenThousandPipedRoomIdsAreEachAnsweredWithoutBreakingTheEngine()
    {
        // 9,990 unusable ids (each refused, no request) and 10 distinct usable ones (each listed; only fields-room has jobs).
        var result = pwsh.Run("""
            $rooms = foreach ($i in 1..10000) { if ($i -eq 10000) { 'fields-room' } elseif ($i % 1000 -eq 0) { "empty-room-$i" } else { "bad/room-$i" } }
            $rooms | Get-MSSmartLiveJob -First 1
            """);

        Assert.Equal(9990, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal("InvalidRoomId,MetaStudio.Commands.GetMSSmartLiveJobCommand", e.FullyQualifiedErrorId));
        Assert.Equal("fields-room", ((MetaStudio.Client.Models.SmartLiveJob)Assert.Single(result.Output).BaseObject).RoomId);
        Assert.Equal(10, fixture.Server.Requests.Count);
        Assert.Equal(2, pwsh.Invoke("1 + 1").Single().BaseObject);
    }
}
