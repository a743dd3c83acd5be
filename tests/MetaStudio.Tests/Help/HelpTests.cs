using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Help;

/// <summary>
/// The shipped MAML is generated from docs/en-US/*.md and the cmdlets' metadata, and Get-Help shows
/// a synopsis, a description, every parameter, examples and the output type for every cmdlet.
/// </summary>
public class HelpTests : IDisposable
{
    private static readonly string DocsDir = Path.Combine(RepoPaths.RepoRoot, "docs", "en-US");
    private static readonly string CommittedMaml = Path.Combine(RepoPaths.RepoRoot, "src", "MetaStudio", "en-US", "MetaStudio.dll-Help.xml");
    private readonly HostedPowerShell pwsh = new();

    public void Dispose() => pwsh.Dispose();

    private string[] ExportedCmdlets => pwsh.Module!.ExportedCmdlets.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();

    /// <summary>Set MS_UPDATE_HELP=1 to rewrite the committed MAML after editing docs/en-US.</summary>
    [Fact]
    public void ShippedMamlIsGeneratedFromTheMarkdown()
    {
        var commands = ExportedCmdlets.Select(name => (
            CommandHelpSource.Parse(Path.Combine(DocsDir, name + ".md")),
            pwsh.Module!.ExportedCmdlets[name]));
        string generated = MamlWriter.Write(commands);

        if (Environment.GetEnvironmentVariable("MS_UPDATE_HELP") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CommittedMaml)!);
            File.WriteAllText(CommittedMaml, generated);
        }

        Assert.True(File.Exists(CommittedMaml), $"{CommittedMaml} is missing. Generate it: MS_UPDATE_HELP=1 dotnet test -c Release --filter ShippedMamlIsGeneratedFromTheMarkdown");
        Assert.True(generated == File.ReadAllText(CommittedMaml),
            "The help XML differs from docs/en-US. Regenerate it: MS_UPDATE_HELP=1 dotnet test -c Release --filter ShippedMamlIsGeneratedFromTheMarkdown");
    }

    [Fact]
    public void EveryCmdletHasMarkdownHelp()
    {
        var documented = Directory.GetFiles(DocsDir, "*-MS*.md").Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(ExportedCmdlets, documented);
    }

    [Theory]
    [InlineData("Connect-MSAccount")]
    [InlineData("Disconnect-MSAccount")]
    [InlineData("Get-MSContext")]
    [InlineData("Get-MSSmartLiveJob")]
    [InlineData("Test-MSLiveEventSignature")]
    [InlineData("ConvertFrom-MSLiveEvent")]
    [InlineData("Get-MSSmartLiveRoom")]
    [InlineData("Start-MSSmartLiveJob")]
    [InlineData("Wait-MSSmartLiveJob")]
    [InlineData("Stop-MSSmartLiveJob")]
    [InlineData("Invoke-MSSmartLiveCommand")]
    [InlineData("Get-MSSmartLiveCommand")]
    public void GetHelpFullShowsEverything(string name)
    {
        var help = pwsh.Invoke($"Get-Help {name} -Full").Single();
        var cmdlet = pwsh.Module!.ExportedCmdlets[name];

        string synopsis = help.Properties["Synopsis"].Value?.ToString() ?? "";
        Assert.False(string.IsNullOrWhiteSpace(synopsis));
        Assert.DoesNotContain(name + " [", synopsis, StringComparison.Ordinal); // not the generated stand-in
        Assert.NotEmpty(Texts(help.Properties["description"]?.Value));

        var examples = AsArray(((PSObject)help.Properties["examples"].Value).Properties["example"].Value);
        Assert.True(examples.Length >= 3, $"{name} has {examples.Length} examples");
        Assert.All(examples, e => Assert.False(string.IsNullOrWhiteSpace(((PSObject)e).Properties["code"].Value?.ToString())));
        // The command itself is shown, not only its output (an example with a second code block keeps both).
        Assert.All(examples, e => Assert.Contains("-MS", ((PSObject)e).Properties["code"].Value?.ToString() ?? "", StringComparison.Ordinal));

        var own = MamlWriter.OwnParameters(cmdlet);
        if (own.Count > 0)
        {
            var parameters = AsArray(((PSObject)help.Properties["parameters"].Value).Properties["parameter"].Value).Cast<PSObject>().ToList();
            Assert.Equal(own.Keys.OrderBy(k => k, StringComparer.Ordinal), parameters.Select(p => p.Properties["name"].Value?.ToString()).OrderBy(k => k, StringComparer.Ordinal));
            Assert.All(parameters, p => Assert.NotEmpty(Texts(p.Properties["description"]?.Value)));
        }

        var returnValues = AsArray(((PSObject)help.Properties["returnValues"].Value).Properties["returnValue"].Value).Cast<PSObject>();
        var returned = returnValues.Select(r => ((PSObject)r.Properties["type"].Value).Properties["name"].Value?.ToString()).ToList();
        foreach (var outputType in cmdlet.OutputType.Where(t => t.Type != typeof(void)))
        {
            Assert.Contains(outputType.Type.FullName, returned);
        }

        Assert.NotEmpty(returned);
    }

    [Theory]
    [InlineData("Connect-MSAccount")]
    [InlineData("Disconnect-MSAccount")]
    [InlineData("Get-MSContext")]
    [InlineData("Get-MSSmartLiveJob")]
    [InlineData("Test-MSLiveEventSignature")]
    [InlineData("ConvertFrom-MSLiveEvent")]
    public void EveryParameterShowsItsDefaultValue(string name)
    {
        var cmdlet = pwsh.Module!.ExportedCmdlets[name];
        var own = MamlWriter.OwnParameters(cmdlet);
        if (own.Count == 0)
        {
            return;
        }

        object fresh = Activator.CreateInstance(cmdlet.ImplementingType)!;
        var shown = pwsh.Invoke($"Get-Help {name} -Parameter *").Cast<PSObject>()
            .ToDictionary(p => p.Properties["name"].Value.ToString()!, p => p.Properties["defaultValue"]?.Value?.ToString() ?? "", StringComparer.OrdinalIgnoreCase);

        Assert.Equal(own.Keys.OrderBy(k => k, StringComparer.Ordinal), shown.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (parameter, metadata) in own)
        {
            string help = shown[parameter];
            Assert.False(string.IsNullOrWhiteSpace(help), $"{name} -{parameter}: Get-Help shows no default value");

            // Where the code itself holds the default, the help says the same.
            object? initial = cmdlet.ImplementingType.GetProperty(parameter)?.GetValue(fresh);
            if (metadata.SwitchParameter)
            {
                Assert.Equal("False", help);
            }
            else if (metadata.ParameterSets.Values.All(a => a.IsMandatory))
            {
                Assert.Equal("None", help);
            }
            else if (initial is int or long or double && Convert.ToDouble(initial, System.Globalization.CultureInfo.InvariantCulture) != 0)
            {
                Assert.StartsWith(Convert.ToString(initial, System.Globalization.CultureInfo.InvariantCulture)!, help, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void AboutTopicCoversConnectionPagingErrorsAndTheEmulator()
    {
        string text = string.Join("\n", pwsh.Invoke("Get-Help about_MetaStudio").Select(o => o.ToString()));

        foreach (var word in new[] { "CONNECTING", "PAGING", "ERRORS", "THE EMULATOR", "Connect-MSAccount", "HUAWEICLOUD_SDK_AK", "-IncludeTotalCount", "APIGW.0308" })
        {
            Assert.Contains(word, text, StringComparison.Ordinal);
        }
    }

    private static object[] AsArray(object? value) => value switch
    {
        null => Array.Empty<object>(),
        PSObject { BaseObject: object[] items } => items,
        object[] items => items,
        _ => new[] { value },
    };

    private static string[] Texts(object? value) =>
        AsArray(value).Select(v => (v as PSObject)?.Properties["Text"]?.Value as string ?? v.ToString() ?? "").Where(t => !string.IsNullOrWhiteSpace(t)).ToArray();
}
