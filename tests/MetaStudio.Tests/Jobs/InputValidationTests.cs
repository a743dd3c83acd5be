using System;
using System.Linq;
using System.Management.Automation;
using MetaStudio.Client.Models;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Jobs;

/// <summary>Bad input is refused with an error naming the parameter, before any request.</summary>
public class InputValidationTests : IClassFixture<JobsFixture>, IDisposable
{
    private readonly JobsFixture fixture;
    private readonly HostedPowerShell pwsh;

    public InputValidationTests(JobsFixture fixture)
    {
        this.fixture = fixture;
        pwsh = new HostedPowerShell().ConnectTo(fixture.Server);
        fixture.Server.ClearRequests();
    }

    private string Room => fixture.Server.Store.Rooms[0].RoomId;

    public void Dispose() => pwsh.Dispose();

    [Theory]
    [InlineData("a/b", "'/'")]
    [InlineData("a?b", "'?'")]
    [InlineData("a#b", "'#'")]
    [InlineData("a%2Fb", "'%'")]
    [InlineData("a b", "U+0020")]
    [InlineData("a\tb", "U+0009")]
    [InlineData("..", "not an id")]
    [InlineData(".", "not an id")]
    public void UnsafeRoomIdsAreRefusedBeforeAnyRequest(string room, string detail)
    {
        var result = pwsh.Run("$args[0], $args[1] | Get-MSSmartLiveJob -First 1", room, Room);

        var error = Assert.Single(result.Errors);
        Assert.Equal("InvalidRoomId,MetaStudio.Commands.GetMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(room, error.TargetObject);
        Assert.Contains("-RoomId", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Exception.Message, StringComparison.Ordinal);
        Assert.Single(result.Output); // the next room still ran
        Assert.Single(fixture.Server.Requests);
    }

    [Fact]
    public void ATenThousandCharacterRoomIdIsRefused()
    {
        var error = Assert.Single(pwsh.Run("Get-MSSmartLiveJob -RoomId ('r' * 10000)").Errors);
        Assert.Contains("10,000 characters", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Server.Requests);
    }

    [Theory]
    [InlineData("-CreateSince ([datetime]::new(2026,2,1,0,0,0,[DateTimeKind]::Utc)) -CreateUntil ([datetime]::new(2026,1,1,0,0,0,[DateTimeKind]::Utc))", "InvalidCreateSince", "later than -CreateUntil")]
    [InlineData("-SortKey Name", "InvalidSortKey", "CreateTime, UpdateTime or AssetOrder")]
    [InlineData("-State 'SUCCEED,FAILED'", "InvalidState", "letters and underscores")]
    [InlineData("-Skip 3000000000", "InvalidSkip", "2147483647")]
    public void BadFiltersStopTheCommand(string parameters, string errorId, string message)
    {
        var result = pwsh.Run($"try {{ Get-MSSmartLiveJob -RoomId $args[0] {parameters}; 'not reached' }} catch {{ $_ }}", Room);

        var error = result.Single<ErrorRecord>();
        Assert.Equal($"{errorId},MetaStudio.Commands.GetMSSmartLiveJobCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(message, error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Server.Requests);
    }

    [Theory]
    [InlineData("-PageSize 0")]
    [InlineData("-PageSize 101")]
    [InlineData("-RoomId ''")]
    [InlineData("-State ''")]
    [InlineData("-CreateSince 'not a date'")]
    public void TheBinderRefusesOutOfRangeAndEmptyValues(string parameters)
    {
        var result = pwsh.Run($"Get-MSSmartLiveJob {parameters}");

        var error = result.FirstError!;
        Assert.Matches("^(ParameterArgument|CannotConvertArgument)", error.FullyQualifiedErrorId);
        Assert.Contains(parameters.Split(' ')[0].TrimStart('-'), error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Server.Requests);
    }

    [Fact]
    public void UnknownStatesAreSentWithAWarning()
    {
        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -State paused", Room);

        Assert.Contains(result.Warnings, w => w.Contains("'PAUSED'", StringComparison.Ordinal) && w.Contains("WAITING", StringComparison.Ordinal));
        Assert.Equal("limit=100&offset=0&state=PAUSED", fixture.Server.Requests.Single().Query);
    }

    [Fact]
    public void RoomNameCannotBeCombinedWithRoomId()
    {
        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -RoomName x", Room);
        Assert.Equal("AmbiguousParameterSet,MetaStudio.Commands.GetMSSmartLiveJobCommand", result.FirstError!.FullyQualifiedErrorId);
    }
}
