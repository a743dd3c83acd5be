using System;
using System.Linq;
using System.Threading.Tasks;
using MetaStudio.Client.Errors;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Hardening;

/// <summary>Memory measurements run alone: allocation counters are process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAloneCollection
{
    public const string Name = "Measured alone";
}

/// <summary>
/// Every response body is bounded (after decompression), the bound fails the request once with an
/// error naming the limit and the operation, and memory stays near the bound.
/// </summary>
[Collection(MeasuredAloneCollection.Name)]
public sealed class ResponseSizeTests : IAsyncLifetime, IDisposable
{
    private EmulatorServer server = null!;
    private HostedPowerShell pwsh = null!;

    private string Room => server.Store.Rooms[0].RoomId;

    public async Task InitializeAsync()
    {
        server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 250 });
        pwsh = new HostedPowerShell().ConnectTo(server);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose() => pwsh.Dispose();

    [Theory]
    [InlineData("huge:64")]      // 64 MiB of JSON white space, no length given
    [InlineData("endless")]      // a body that never ends
    [InlineData("gzip-bomb:64")] // ~64 KiB on the wire, 64 MiB once decompressed
    public void ABodyBeyondTheLimitFailsOnceNamingTheLimitWithMemoryNearIt(string fault)
    {
        server.AddFault(fault + "x4");
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);

        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -TimeoutSec 20", Room);

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var error = Assert.Single(result.Errors);
        var e = Assert.IsType<MetaStudioServiceException>(error.Exception);
        Assert.Equal("ResponseTooLarge", e.ErrorId);
        Assert.StartsWith("ResponseTooLarge,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(System.Management.Automation.ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Contains("ListSmartLive", e.Message, StringComparison.Ordinal);
        Assert.Contains("16 MiB", e.Message, StringComparison.Ordinal);
        Assert.Contains("-MaxResponseSize", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.Attempts);            // not retried
        Assert.Equal(1, server.ReceivedCount);
        Assert.True(allocated < 96L * 1024 * 1024, $"{allocated / (1024 * 1024)} MiB allocated for a 16 MiB limit");
    }

    [Fact]
    public void TheLimitIsSettableOnConnect()
    {
        pwsh.Run("Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] -ProjectId $args[2] -Endpoint $args[3] -MaxResponseSize 64KB",
            EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure(EmulatorOptions.DemoSecretKey), EmulatorOptions.DemoProjectId, server.BaseAddress.ToString());

        // A page of 100 jobs is larger than 64 KiB; a page of 5 is not.
        var small = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -PageSize 5 -First 5", Room);
        var large = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0] -First 100", Room);

        Assert.Empty(small.Errors);
        Assert.Equal(5, small.Output.Count);
        var e = Assert.IsType<MetaStudioServiceException>(Assert.Single(large.Errors).Exception);
        Assert.Equal("ResponseTooLarge", e.ErrorId);
        Assert.Contains("64 KiB", e.Message, StringComparison.Ordinal);
        var refused = pwsh.Run("Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] -ProjectId $args[2] -MaxResponseSize 1KB",
            EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure(EmulatorOptions.DemoSecretKey), EmulatorOptions.DemoProjectId);
        Assert.StartsWith("ParameterArgumentValidationError,", refused.FirstError!.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidJsonOfTheWrongShapeIsNotRetriedButATruncatedBodyIs()
    {
        server.AddFault("wrong-shapex4");
        var wrong = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0]", Room);
        var e = Assert.IsType<MetaStudioServiceException>(Assert.Single(wrong.Errors).Exception);
        Assert.Equal("InvalidResponse", e.ErrorId);
        Assert.Equal(1, e.Attempts);
        Assert.Equal(1, server.ReceivedCount);

        server.ClearFaults();
        server.ClearRequests();
        server.AddFault("truncatex2");
        var truncated = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0]", Room);
        Assert.Empty(truncated.Errors);
        Assert.Equal(250, truncated.Output.Count);
        Assert.Equal(3 + 2, server.ReceivedCount);
    }
}
