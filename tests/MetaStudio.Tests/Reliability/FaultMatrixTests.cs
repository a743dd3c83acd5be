using System;
using System.Linq;
using System.Management.Automation;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Models;
using MetaStudio.Tests.Jobs;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Reliability;

/// <summary>
/// Every emulator fault against a three-page listing (250 jobs, 100 per page): either the whole,
/// duplicate-free list after recovery, or an error saying how many jobs were written and where it stopped.
/// </summary>
public class FaultMatrixTests : IClassFixture<JobsFixture>, IDisposable
{
    private readonly JobsFixture fixture;
    private readonly HostedPowerShell pwsh;

    public FaultMatrixTests(JobsFixture fixture)
    {
        this.fixture = fixture;
        fixture.Server.ClearFaults();
        pwsh = new HostedPowerShell().ConnectTo(fixture.Server);
        fixture.Server.ClearRequests();
    }

    public void Dispose()
    {
        fixture.Server.ClearFaults();
        pwsh.Dispose();
    }

    public static TheoryData<string, string, int> Recovers() => new()
    {
        // fault rule (on room 0 unless it names a room), extra parameters, requests the emulator sees in all
        { "status:500x3+1", "", 3 + 3 },            // a burst of 500s on page 2, recovered on the last retry
        { "status:503x2", "", 3 + 2 },
        { "status:502x1+2", "", 3 + 1 },
        { "status:504x1", "", 3 + 1 },
        { "retry-after:1x2+1", "", 3 + 2 },         // 429 with Retry-After in seconds
        { "retry-after-date:1x1+1", "", 3 + 1 },    // 429 with Retry-After as an HTTP date
        { "status:429x2+2", "", 3 + 2 },            // 429 without Retry-After
        { "reset-mid-bodyx2+1", "", 3 + 2 },        // connection reset half way through the body
        { "resetx2", "", 3 + 2 },                   // reset before any response
        { "truncatex1+2", "", 3 + 1 },              // truncated JSON
        { "malformedx1+1", "", 3 + 1 },             // malformed JSON
        { "stall:8000x1+1", "-TimeoutSec 1", 3 + 1 }, // a stall beyond the timeout
        { "trickle:1x1", "", 3 },                   // a slow trickle within the timeout
        { "count-stringx3", "", 3 },                // the count sent as a string
    };

    [Theory]
    [MemberData(nameof(Recovers))]
    public void RecoversTheWholeListWithoutDuplicates(string fault, string parameters, int requests)
    {
        string room = fixture.Server.Store.Rooms[0].RoomId;
        var expected = ExpectedOrder(room);
        fixture.Server.AddFault($"{fault}@{room}");

        var result = pwsh.Run($"Get-MSSmartLiveJob -RoomId $args[0] {parameters} -Verbose", room);

        Assert.True(result.Errors.Count == 0, string.Join("; ", result.Errors));
        Assert.Equal(expected, result.Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId));
        Assert.Equal(requests, AllRecorded().Count);
        Assert.Equal(requests - 3, result.Verbose.Count(v => v.Contains("retrying in", StringComparison.Ordinal)));
    }

    [Fact]
    public void ACountThatChangesMidListingLosesNothingAlreadyListedAndWritesNothingTwice()
    {
        string room = fixture.Server.Store.Rooms[2].RoomId;
        var expected = ExpectedOrder(room);
        fixture.Server.AddFault($"shift:7x1+1@{room}");

        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0]", room);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId));
        Assert.Contains(result.Warnings, w => w.Contains("250", StringComparison.Ordinal) && w.Contains("257", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string, int, int> Fails() => new()
    {
        // fault rule on one page (by its offset), extra parameters, error id, jobs written before the failure (= that offset), attempts at that page
        { "status:500x4", "", "MSS.00000002", 100, 4 },           // retries exhausted
        { "html:502x4", "", "Http502", 200, 4 },                  // a proxy's HTML page, every time
        { "malformedx4", "", "InvalidResponse", 0, 4 },
        { "stall:8000x2", "-TimeoutSec 1 -MaxRetry 1", "Timeout", 100, 2 },
        { "resetx3", "-MaxRetry 2", "NetworkError", 100, 3 },
        { "status:400x1", "", "MSS.00000003", 100, 1 },           // never retried
        { "status:401x1", "", "MSS.00000001", 0, 1 },
        { "status:403x1", "", "MSS.00000004", 200, 1 },
        { "status:404x1", "", "MSS.10001002", 100, 1 },
        { "status:503x1", "-MaxRetry 0", "MSS.00000002", 100, 1 },
        { "huge:64x1", "", "ResponseTooLarge", 100, 1 },         // bodies beyond the limit are never retried
        { "endlessx1", "", "ResponseTooLarge", 100, 1 },
        { "gzip-bomb:64x1", "", "ResponseTooLarge", 200, 1 },
        { "redirect:302x1", "", "Redirected", 100, 1 },           // never followed, never retried
        { "wrong-shapex1", "", "InvalidResponse", 200, 1 },       // valid JSON of the wrong shape: not retried
        { "ignore-offsetx1", "", "PagingStalled", 100, 1 },       // the first page again: no progress
    };

    [Theory]
    [MemberData(nameof(Fails))]
    public void FailsSayingHowFarTheListingGot(string fault, string parameters, string errorId, int written, int attempts)
    {
        string room = fixture.Server.Store.Rooms[1].RoomId;
        var expected = ExpectedOrder(room);
        string page = $"{room}/smart-live-jobs?limit=100&offset={written}";
        fixture.Server.AddFault($"{fault}@{page}");

        var result = pwsh.Run($"Get-MSSmartLiveJob -RoomId $args[0] {parameters}", room);

        var error = Assert.Single(result.Errors);
        var e = Assert.IsType<MetaStudioServiceException>(error.Exception);
        Assert.Equal($"{errorId},MetaStudio.Commands.GetMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(expected.Take(written), result.Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId));
        Assert.Equal((written, written), ((int)e.JobsWritten!.Value, (int)e.StoppedAtOffset!.Value));
        string total = written == 0 ? "" : " of 250";
        Assert.Contains($"The listing stopped at offset {written}{total}; {written} jobs had been written.", e.Message, StringComparison.Ordinal);
        Assert.Equal(attempts, e.Attempts);
        Assert.Equal(attempts, AllRecorded().Count(r => (r.Path + "?" + r.Query).EndsWith(page, StringComparison.Ordinal)));
    }

    /// <summary>Every request the emulator received, once each has been recorded (pages cancelled in flight finish late).</summary>
    private System.Collections.Generic.IReadOnlyList<MetaStudio.Emulator.RecordedRequest> AllRecorded()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (fixture.Server.Requests.Count < fixture.Server.ReceivedCount && DateTime.UtcNow < deadline)
        {
            System.Threading.Thread.Sleep(10);
        }

        return fixture.Server.Requests;
    }

    private System.Collections.Generic.List<string?> ExpectedOrder(string room) => fixture.Server.DefaultOrder(room).Select(id => (string?)id).ToList();
}
