using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace MetaStudio.Pester;

/// <summary>
/// Every Pester test in tests/Pester as one xUnit result, from a single Pester run in real pwsh 7.6
/// (see <see cref="PesterRun"/>). The rows are produced when the theory runs, not at discovery, so
/// `dotnet test`'s summary for this assembly counts the Pester tests.
/// </summary>
public class PesterSuites
{
    public static IEnumerable<object[]> Results() => PesterRun.Shared.Value.Rows.Select(r => new object[] { r });

    [Theory]
    [MemberData(nameof(Results), DisableDiscoveryEnumeration = true)]
    public void Pester(PesterRow test)
    {
        if (!test.Passed)
        {
            Assert.Fail(test.Message);
        }
    }
}

/// <summary>One Pester test, or one check on the run itself; its ToString is the name xUnit shows.</summary>
public sealed class PesterRow
{
    public PesterRow(string name, bool passed, string message)
    {
        Name = name;
        Passed = passed;
        Message = message;
    }

    public string Name { get; }

    public bool Passed { get; }

    public string Message { get; }

    public override string ToString() => Name;
}
