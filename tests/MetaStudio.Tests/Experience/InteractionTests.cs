using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using MetaStudio.Emulator;
using MetaStudio.Tests.Jobs;
using MetaStudio.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MetaStudio.Tests.Experience;

/// <summary>Tab completion, -Verbose/-Debug tracing, progress, and Ctrl+C, in a real engine.</summary>
public class InteractionTests : IClassFixture<JobsFixture>, IDisposable
{
    private readonly JobsFixture fixture;
    private readonly HostedPowerShell pwsh;
    private readonly ITestOutputHelper output;

    public InteractionTests(JobsFixture fixture, ITestOutputHelper output)
    {
        this.fixture = fixture;
        this.output = output;
        fixture.Server.ClearFaults();
        fixture.Server.LatencyMs = 0;
        pwsh = new HostedPowerShell().ConnectTo(fixture.Server);
        fixture.Server.ClearRequests();
    }

    private string Room => fixture.Server.Store.Rooms[0].RoomId;

    public void Dispose()
    {
        fixture.Server.ClearFaults();
        pwsh.Dispose();
    }

    private string[] Complete(string input)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = pwsh.Runspace;
        return CommandCompletion.CompleteInput(input, input.Length, null, ps).CompletionMatches.Select(m => m.CompletionText).ToArray();
    }

    [Theory]
    [InlineData("Get-MSSmartLiveJob -State ", new[] { "WAITING", "PROCESSING", "SUCCEED", "FAILED", "BLOCKED" })]
    [InlineData("Get-MSSmartLiveJob -State f", new[] { "FAILED" })]
    [InlineData("Get-MSSmartLiveJob -State SUCCEED,P", new[] { "PROCESSING" })]
    [InlineData("Get-MSSmartLiveJob -SortKey ", new[] { "CreateTime", "UpdateTime", "AssetOrder" })]
    [InlineData("Get-MSSmartLiveJob -SortKey up", new[] { "UpdateTime" })]
    [InlineData("Connect-MSAccount -Region cn-e", new[] { "cn-east-3" })]
    public void CompletesStatesSortKeysAndRegions(string input, string[] expected)
    {
        Assert.Equal(expected, Complete(input));
    }

    [Fact]
    public void CompletesRoomIdsSeenEarlierWithoutANetworkCall()
    {
        Assert.Empty(Complete("Get-MSSmartLiveJob -RoomId "));

        pwsh.Run("Get-MSSmartLiveJob -First 1; Get-MSSmartLiveJob -RoomId $args[0] -First 1", JobsFixture.FieldsRoom);
        int requests = fixture.Server.ReceivedCount;

        var all = Complete("Get-MSSmartLiveJob -RoomId ");
        Assert.Contains(JobsFixture.FieldsRoom, all);
        Assert.Contains(fixture.Server.Store.Rooms[0].RoomId, all);
        Assert.Equal(new[] { JobsFixture.FieldsRoom }, Complete("Get-MSSmartLiveJob -RoomId fields"));
        Assert.Equal(new[] { JobsFixture.FieldsRoom }, Complete("Get-MSSmartLiveJob -RoomId 字段")); // by room name
        Assert.Equal(requests, fixture.Server.ReceivedCount);

        using var other = new HostedPowerShell();
        using var ps = PowerShell.Create();
        ps.Runspace = other.Runspace;
        Assert.Empty(CommandCompletion.CompleteInput("Get-MSSmartLiveJob -RoomId ", 27, null, ps).CompletionMatches); // per session
    }

    [Fact]
    public void VerboseWritesOneLinePerRequest()
    {
        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -Verbose", Room);

        // One line per request, in the order the answers came (pages 2 and 3 are requested together).
        Assert.Equal(3, result.Verbose.Count);
        var offsets = new System.Collections.Generic.List<int>();
        foreach (var line in result.Verbose)
        {
            var m = System.Text.RegularExpressions.Regex.Match(line,
                $@"^GET /v1/{EmulatorOptions.DemoProjectId}/smart-live-rooms/{Room}/smart-live-jobs\?limit=100&offset=(\d+) -> 200 in \d+ ms \(request id ([0-9a-f]{{32}})\)$");
            Assert.True(m.Success, line);
            offsets.Add(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(new[] { 0, 100, 200 }, offsets.OrderBy(o => o));
        Assert.Equal(0, offsets[0]);
        Assert.Equal(fixture.Server.Requests.Select(r => r.RequestId).OrderBy(id => id, StringComparer.Ordinal),
            result.Verbose.Select(v => v.Substring(v.Length - 33, 32)).OrderBy(id => id, StringComparer.Ordinal));
    }

    [Fact]
    public void DebugShowsHeadersWithSecretsMasked()
    {
        fixture.Server.Options.RecordSecretHeaders = true; // the signature sent, to look for it in the output
        var result = pwsh.Run("$DebugPreference = 'Continue'; Get-MSSmartLiveJob -RoomId $args[0] -First 1 -Debug", Room);
        var seen = fixture.Server.Requests.Single();

        string record = Assert.Single(result.Debug);
        Assert.StartsWith($"GET {fixture.Server.BaseAddress.GetLeftPart(UriPartial.Authority)}/v1/{EmulatorOptions.DemoProjectId}/smart-live-rooms/{Room}/smart-live-jobs?limit=1&offset=0", record, StringComparison.Ordinal);
        Assert.Matches("Request headers: .*Authorization: \\*\\*\\*", record);
        Assert.Contains($"X-Project-Id: {EmulatorOptions.DemoProjectId}", record, StringComparison.Ordinal);
        Assert.Contains("X-Sdk-Date: ", record, StringComparison.Ordinal);
        Assert.Matches($"Response headers: .*(?i:X-Request-Id): {seen.RequestId}", record);
        string signature = seen.Headers["Authorization"].Split("Signature=")[1];
        Assert.All(result.Debug, d => Assert.DoesNotContain(signature, d, StringComparison.Ordinal));
        Assert.All(result.Debug, d => Assert.DoesNotContain(EmulatorOptions.DemoSecretKey, d, StringComparison.Ordinal));
    }

    [Fact]
    public void ProgressIsShownWhileSeveralPagesAreRead()
    {
        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0]", Room);
        var records = result.Progress;

        Assert.Equal(new[] { "0 of 250", "100 of 250", "200 of 250" }, records.Where(r => r.RecordType == ProgressRecordType.Processing).Select(r => r.StatusDescription));
        Assert.All(records, r => Assert.Equal($"Listing jobs in room {Room}", r.Activity));
        Assert.Equal(ProgressRecordType.Completed, records.Last().RecordType);
        Assert.Equal(new[] { 0, 40, 80 }, records.Where(r => r.RecordType == ProgressRecordType.Processing).Select(r => r.PercentComplete));
    }

    [Theory]
    [InlineData("-First 100")]
    [InlineData("-PageSize 100 -Skip 200")]
    public void NoProgressForASinglePage(string parameters)
    {
        var result = pwsh.Run($"Get-MSSmartLiveJob -RoomId $args[0] {parameters}", Room);
        Assert.NotEmpty(result.Output);
        Assert.Empty(result.Progress);
    }

    [Fact]
    public void StopCancelsTheRequestInFlight()
    {
        fixture.Server.AddFault($"stall:20000@{Room}");
        using var ps = PowerShell.Create();
        ps.Runspace = pwsh.Runspace;
        ps.AddScript("Get-MSSmartLiveJob -RoomId $args[0]").AddArgument(Room);
        var invocation = ps.BeginInvoke();
        var wait = Stopwatch.StartNew();
        while (fixture.Server.ReceivedCount == 0 && wait.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(5);
        }

        Thread.Sleep(50); // the request is in flight, the server is stalling
        var stopping = Stopwatch.StartNew();
        ps.Stop();
        stopping.Stop();
        output.WriteLine($"Stop() returned after {stopping.Elapsed.TotalMilliseconds:0} ms");

        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"Stop took {stopping.Elapsed}; the stall would have lasted 20 s");
        Assert.Empty(ps.Streams.Error);
        Assert.True(invocation.IsCompleted);

        // The server sees the client go away (499), long before its stall ends.
        var seen = Stopwatch.StartNew();
        while (!fixture.Server.Requests.Any(r => r.Status == 499) && seen.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(10);
        }

        Assert.Contains(fixture.Server.Requests, r => r.Status == 499);
    }

    [Fact]
    public void StopDuringABackoffWaitEndsAtOnce()
    {
        fixture.Server.AddFault($"retry-after:30@{Room}");
        using var ps = PowerShell.Create();
        ps.Runspace = pwsh.Runspace;
        ps.AddScript("Get-MSSmartLiveJob -RoomId $args[0]").AddArgument(Room);
        ps.BeginInvoke();
        var wait = Stopwatch.StartNew();
        while (!fixture.Server.Requests.Any(r => r.Status == 429) && wait.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(5);
        }

        var stopping = Stopwatch.StartNew();
        ps.Stop();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"Stop took {stopping.Elapsed}; the Retry-After was 30 s");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Empty(ps.Streams.Error);
    }
}
