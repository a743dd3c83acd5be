using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using MetaStudio.Emulator;
using Xunit;

namespace MetaStudio.Tests.Support;

/// <summary>One emulator on 127.0.0.1 (free port) per test class, with the default demo data.</summary>
public class EmulatorFixture : IAsyncLifetime
{
    public EmulatorServer Server { get; private set; } = null!;

    public Uri BaseAddress => Server.BaseAddress;

    protected virtual EmulatorOptions CreateOptions() => new() { Port = 0, Seed = 7, Rooms = 3, JobsPerRoom = 60 };

    public virtual async Task InitializeAsync() => Server = await EmulatorServer.StartAsync(CreateOptions());

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>What tests expect of the emulator's data.</summary>
public static class EmulatorExpectations
{
    /// <summary>A room's job ids in the API's default order: create time, then job id (the emulator's tie-break).</summary>
    public static List<string> DefaultOrder(this EmulatorServer server, string roomId) =>
        server.Store.JobsOf(roomId).OrderBy(j => j.CreateTime).ThenBy(j => j.JobId, StringComparer.Ordinal).Select(j => j.JobId).ToList();
}

/// <summary>A clock the emulator reads, set by tests.</summary>
public sealed class ManualClock : TimeProvider
{
    public ManualClock(DateTimeOffset now) => Now = now;

    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;
}
