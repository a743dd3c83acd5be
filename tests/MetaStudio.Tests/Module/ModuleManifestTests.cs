using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Module;

/// <summary>The staged module imports in a real engine and presents the manifest we promise.</summary>
public class ModuleManifestTests
{
    [Fact]
    public void StagedModuleImportsWithPromisedManifestFields()
    {
        using var pwsh = new HostedPowerShell();
        var module = pwsh.Module!;

        Assert.Equal("MetaStudio", module.Name);
        Assert.Equal(ModuleType.Binary, module.ModuleType);
        Assert.Equal(new Version(5, 1), module.PowerShellVersion);
        Assert.Equal(new[] { "Core", "Desktop" }, module.CompatiblePSEditions.OrderBy(e => e, StringComparer.Ordinal));
        Assert.Equal("MetaStudio.dll", ReadManifest()["RootModule"]);
        Assert.Equal(typeof(MetaStudio.ModuleInitializer).Assembly.GetName().Version!.ToString(3), module.Version.ToString(3));
    }

    [Fact]
    public void ManifestExportsExactlyTheCompiledCmdlets()
    {
        using var pwsh = new HostedPowerShell();
        var manifest = ReadManifest();

        // Explicit lists only: wildcards slow command discovery and hide accidental exports.
        foreach (string key in new[] { "CmdletsToExport", "FunctionsToExport", "VariablesToExport", "AliasesToExport" })
        {
            Assert.True(manifest.ContainsKey(key), $"{key} must be listed explicitly");
            var values = ((object[])manifest[key]!).Cast<string>().ToArray();
            Assert.DoesNotContain(values, v => v.Contains('*', StringComparison.Ordinal));
        }

        var listed = ((object[])manifest["CmdletsToExport"]!).Cast<string>().OrderBy(n => n, StringComparer.Ordinal).ToArray();
        var compiled = typeof(MetaStudio.ModuleInitializer).Assembly.GetTypes()
            .Select(t => t.GetCustomAttributes(typeof(CmdletAttribute), false).Cast<CmdletAttribute>().SingleOrDefault())
            .Where(a => a != null)
            .Select(a => $"{a!.VerbName}-{a.NounName}")
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        var exported = pwsh.Module!.ExportedCmdlets.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray();

        Assert.Equal(compiled, listed);
        Assert.Equal(listed, exported);
        Assert.Empty(pwsh.Module.ExportedFunctions);
        Assert.Empty(pwsh.Module.ExportedVariables);
        Assert.Empty(pwsh.Module.ExportedAliases);
    }

    /// <summary>The manifest as data, read the way Import-PowerShellDataFile does (no code runs).</summary>
    internal static Hashtable ReadManifest()
    {
        var ast = System.Management.Automation.Language.Parser.ParseFile(RepoPaths.StagedManifest, out _, out var errors);
        Assert.Empty(errors);
        var table = (System.Management.Automation.Language.HashtableAst)ast.Find(a => a is System.Management.Automation.Language.HashtableAst, false)!;
        return (Hashtable)table.SafeGetValue();
    }

    [Fact]
    public void SourceManifestIsWhatGetsStaged()
    {
        Assert.Equal(
            System.IO.File.ReadAllText(System.IO.Path.Combine(RepoPaths.RepoRoot, "MetaStudio.psd1")),
            System.IO.File.ReadAllText(RepoPaths.StagedManifest));
    }
}
