using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MetaStudio.Client.Models;
using MetaStudio.Tests.Jobs;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Help;

/// <summary>Help examples that do real work run as written, against the emulator, with the module imported by path.</summary>
public class HelpExampleTests : IClassFixture<JobsFixture>, IDisposable
{
    private static readonly string[] Cmdlets = { "Connect-MSAccount", "Disconnect-MSAccount", "Get-MSContext", "Get-MSSmartLiveJob" };
    private readonly JobsFixture fixture;
    private readonly HostedPowerShell pwsh;

    public HelpExampleTests(JobsFixture fixture)
    {
        this.fixture = fixture;
        fixture.Server.ClearFaults();
        pwsh = new HostedPowerShell().ConnectTo(fixture.Server);
    }

    public void Dispose() => pwsh.Dispose();

    private string Room(int i) => fixture.Server.Store.Rooms[i].RoomId;

    /// <summary>The code of every Get-Help example, by cmdlet and title.</summary>
    private (string Cmdlet, string Title, string Code)[] Examples() => Cmdlets.SelectMany(name =>
        pwsh.Invoke($"(Get-Help {name}).examples.example").Select(e => (name, e.Properties["title"].Value.ToString()!.Trim('-', ' '), e.Properties["code"].Value.ToString()!))).ToArray();

    [Fact]
    public void ParallelExamplesWorkWhenTheModuleIsImportedByPath()
    {
        // The module is imported from out/MetaStudio, not found on PSModulePath: a new runspace must import it itself.
        Assert.Empty(pwsh.Invoke("Get-Module MetaStudio -ListAvailable"));
        var parallel = Examples().Where(e => e.Code.Contains("-Parallel", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(parallel);

        foreach (var (cmdlet, title, code) in parallel)
        {
            var result = pwsh.Run("$rooms = $roomIds = $args[0], $args[1]\n" + code, Room(0), Room(1));

            Assert.True(result.Errors.Count == 0 && result.Terminating is null,
                $"{cmdlet} {title}: {string.Join("; ", result.Errors.Select(e => e.ToString()))} {result.Terminating?.Message}");
            Assert.Contains(result.Output, o => o.BaseObject is SmartLiveJob);
        }
    }

    [Fact]
    public void TheParallelPagingExampleReadsEveryPageFromTheFirst()
    {
        var (_, _, code) = Examples().Single(e => e.Code.Contains("-Skip", StringComparison.Ordinal) && e.Code.Contains("-Parallel", StringComparison.Ordinal));

        var pages = pwsh.Run(code).Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId).OrderBy(id => id, StringComparer.Ordinal).ToList();
        var first = pwsh.Run($"Get-MSSmartLiveJob -First {pages.Count}").Output.Select(o => ((SmartLiveJob)o.BaseObject).JobId).OrderBy(id => id, StringComparer.Ordinal).ToList();

        Assert.Equal(400, pages.Count);
        Assert.Equal(first, pages);
    }

    [Fact]
    public void ParallelExamplesInTheAboutTopicImportTheModuleInTheBlock()
    {
        string about = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "docs", "en-US", "about_MetaStudio.help.txt"));
        int at = about.IndexOf("-Parallel {", StringComparison.Ordinal);
        Assert.True(at >= 0, "the about topic shows a -Parallel block");
        for (; at >= 0; at = about.IndexOf("-Parallel {", at + 1, StringComparison.Ordinal))
        {
            int end = about.IndexOf('}', at);
            string block = about.Substring(at, end - at);
            Assert.Contains("Import-Module", block, StringComparison.Ordinal);
        }
    }
}
