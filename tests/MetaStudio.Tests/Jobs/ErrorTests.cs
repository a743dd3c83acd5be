using System;
using System.Linq;
using System.Management.Automation;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Models;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Jobs;

/// <summary>Service and transport failures become ErrorRecords that say what happened and how far the work got.</summary>
public class ErrorTests : IClassFixture<JobsFixture>, IDisposable
{
    private readonly JobsFixture fixture;
    private readonly HostedPowerShell pwsh;

    public ErrorTests(JobsFixture fixture)
    {
        this.fixture = fixture;
        fixture.Server.ClearFaults();
        pwsh = new HostedPowerShell().ConnectTo(fixture.Server);
        fixture.Server.ClearRequests();
    }

    private string Room => fixture.Server.Store.Rooms[0].RoomId;

    public void Dispose()
    {
        fixture.Server.ClearFaults();
        pwsh.Dispose();
    }

    private (ErrorRecord Error, MetaStudioServiceException Exception, RunResult Result) Fails(string script, params object[] args)
    {
        var result = pwsh.Run(script, args);
        var error = Assert.Single(result.Errors);
        return (error, Assert.IsType<MetaStudioServiceException>(error.Exception), result);
    }

    [Theory]
    [InlineData(400, "MSS.00000003", ErrorCategory.InvalidArgument, 1)]
    [InlineData(403, "MSS.00000004", ErrorCategory.PermissionDenied, 1)]
    [InlineData(404, "MSS.10001002", ErrorCategory.ObjectNotFound, 1)]
    [InlineData(429, "APIGW.0308", ErrorCategory.LimitsExceeded, 4)]
    [InlineData(500, "MSS.00000002", ErrorCategory.ConnectionError, 4)]
    [InlineData(503, "MSS.00000002", ErrorCategory.ConnectionError, 4)]
    public void StatusesMapToCategoriesAndIdsStartWithTheServiceCode(int status, string code, ErrorCategory category, int attempts)
    {
        fixture.Server.AddFault($"status:{status}x{attempts}");

        var (error, e, _) = Fails("Get-MSSmartLiveJob -RoomId $args[0]", Room);

        Assert.Equal($"{code},MetaStudio.Commands.GetMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(Room, error.TargetObject);
        Assert.Equal((status, code, attempts), (e.StatusCode!.Value, e.ErrorCode, e.Attempts));
        string requestId = fixture.Server.Requests.Last().RequestId;
        Assert.Equal(requestId, e.RequestId);
        Assert.Contains(code, e.Message, StringComparison.Ordinal);
        Assert.Contains(e.ErrorMessage!, e.Message, StringComparison.Ordinal);
        Assert.Contains(requestId, e.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails.RecommendedAction));
        Assert.Equal(attempts, fixture.Server.Requests.Count);
    }

    [Fact]
    public void AuthenticationFailureIsNotRetried()
    {
        pwsh.Run("Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] -ProjectId $args[2] -Endpoint $args[3]",
            EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure("wrong-secret"), EmulatorOptions.DemoProjectId, fixture.Server.BaseAddress.ToString());

        var (error, e, _) = Fails("Get-MSSmartLiveJob -RoomId $args[0]", Room);

        Assert.Equal("APIGW.0301,MetaStudio.Commands.GetMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Equal(401, e.StatusCode);
        Assert.Single(fixture.Server.Requests);
        Assert.DoesNotContain("wrong-secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownJobIsObjectNotFound()
    {
        var (error, e, _) = Fails("Get-MSSmartLiveJob -RoomId $args[0] -JobId no-such-job", Room);

        Assert.Equal("MSS.10001002,MetaStudio.Commands.GetMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal($"{Room}/no-such-job", error.TargetObject);
        Assert.Equal("ShowSmartLive", e.Operation);
    }

    [Fact]
    public void AFailingRoomDoesNotStopTheNextOne()
    {
        string good = fixture.Server.Store.Rooms[1].RoomId;
        fixture.Server.AddFault($"status:403@{Room}");

        var result = pwsh.Run("$args[0], $args[1] | Get-MSSmartLiveJob -First 2", Room, good);

        Assert.Equal(Room, Assert.Single(result.Errors).TargetObject);
        Assert.Equal(2, result.Output.Count);
        Assert.All(result.Output, o => Assert.Equal(good, ((SmartLiveJob)o.BaseObject).RoomId));
    }

    [Fact]
    public void AFailureMidListingSaysHowFarItGot()
    {
        fixture.Server.AddFault($"status:400x1@{Room}/smart-live-jobs?limit=100&offset=200");

        var (error, e, result) = Fails("Get-MSSmartLiveJob -RoomId $args[0]", Room);

        Assert.Equal(200, result.Output.Count);
        Assert.Equal((200L, 200L, 250L), (e.JobsWritten!.Value, e.StoppedAtOffset!.Value, e.TotalCount!.Value));
        Assert.Contains("stopped at offset 200 of 250; 200 jobs had been written", e.Message, StringComparison.Ordinal);
        Assert.Equal("MSS.00000003,MetaStudio.Commands.GetMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void AnHtmlErrorPageGivesTheStatusAndTheStartOfTheBody()
    {
        fixture.Server.AddFault("html:502x4");

        var (error, e, _) = Fails("Get-MSSmartLiveJob -RoomId $args[0]", Room);

        Assert.Equal("Http502,MetaStudio.Commands.GetMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Equal("502", e.ErrorCode); // no code in the body: the HTTP status, as the SDKs do
        Assert.True(e.CodeFromStatus);
        Assert.StartsWith("<html><head><title>502 Bad Gateway", e.ErrorMessage, StringComparison.Ordinal);
        Assert.True(e.ErrorMessage!.Length <= 201);
        Assert.Contains("HTTP 502", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("malformed")]
    [InlineData("truncate")]
    public void AnUnreadableSuccessBodyIsAClearErrorNotAJsonException(string fault)
    {
        fixture.Server.AddFault(fault + "x4");

        var (error, e, _) = Fails("Get-MSSmartLiveJob -RoomId $args[0]", Room);

        Assert.Equal("InvalidResponse,MetaStudio.Commands.GetMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Equal(200, e.StatusCode);
        Assert.StartsWith("{\"count\":", e.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("not the expected JSON", e.Message, StringComparison.Ordinal);
        Assert.Null(e.InnerException); // the parser's exception can quote the body: only its masked message is kept
    }

    [Fact]
    public void ATransientFailureIsRetriedAndNothingIsLost()
    {
        fixture.Server.AddFault($"status:503x2@{Room}/smart-live-jobs?limit=100&offset=100");

        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -Verbose", Room);

        Assert.Empty(result.Errors);
        Assert.Equal(250, result.Output.Count);
        Assert.Equal(250, result.Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId).Distinct().Count());
        Assert.Equal(2, result.Verbose.Count(v => v.Contains("-> 503", StringComparison.Ordinal) && v.Contains("retrying in", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(ServiceErrorKind.ServiceError, 404, "MSS.10001002", "Smart live job not found: nope", "11c5d1cd61df40258bf9bb2482cbed2e")]
    [InlineData(ServiceErrorKind.ServiceError, 400, "MSS.00000003", "Invalid parameter.", "2f")]
    [InlineData(ServiceErrorKind.ServiceError, 500, null, null, "3f")]
    [InlineData(ServiceErrorKind.ServiceError, 502, null, null, null)]
    [InlineData(ServiceErrorKind.InvalidResponse, 200, null, "{\"count\": (unexpected end)", "4f")]
    [InlineData(ServiceErrorKind.Timeout, null, null, "no complete response within 30 s", null)]
    [InlineData(ServiceErrorKind.NetworkError, null, null, "Connection refused", "5f")]
    public void MessagesAreSentencesThatEndBeforeTheNextBegins(ServiceErrorKind kind, int? status, string? code, string? message, string? requestId)
    {
        var e = new MetaStudioServiceException(kind, status, code, message, requestId, "ListSmartLive");

        foreach (string text in new[] { e.Message, e.WithProgress(200, 200, 250).Message, e.WithProgress(0, 0, null).Message })
        {
            Assert.EndsWith(".", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"[^.] The listing stopped", text);
            Assert.DoesNotMatch(@"\.\.|\. \(", text); // no doubled period, no "HTTP 500. (request id …)"
            if (requestId != null)
            {
                Assert.Contains($"(request id {requestId}).", text, StringComparison.Ordinal);
            }
        }

        Assert.Equal(e.Message + " The listing stopped at offset 200 of 250; 200 jobs had been written.", e.WithProgress(200, 200, 250).Message);
    }

    [Fact]
    public void AFailureMidListingIsTwoSentences()
    {
        fixture.Server.AddFault($"status:400x1@{Room}/smart-live-jobs?limit=100&offset=100");

        var (_, e, _) = Fails("Get-MSSmartLiveJob -RoomId $args[0]", Room);

        Assert.Matches(@"^ListSmartLive failed: HTTP 400 MSS\.00000003: .+ \(request id [0-9a-f]{32}\)\. The listing stopped at offset 100 of 250; 100 jobs had been written\.$", e.Message);
    }
}
