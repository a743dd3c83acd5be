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

    [Fact]
    public void ManifestHasWhatAPowerShellRepositoryShows()
    {
        var psData = (Hashtable)((Hashtable)ReadManifest()["PrivateData"]!)["PSData"]!;
        using var pwsh = new HostedPowerShell();
        var module = pwsh.Module!;

        Assert.Equal(new Uri("https://github.com/metastudio-powershell/MetaStudio"), module.ProjectUri);
        Assert.Equal(new Uri("https://github.com/metastudio-powershell/MetaStudio/blob/main/LICENSE"), module.LicenseUri);
        Assert.Equal(module.ProjectUri!.ToString(), psData["ProjectUri"]);

        // Tags: what the gallery searches; no spaces (the gallery refuses them); the editions it filters on.
        var tags = module.Tags.ToList();
        foreach (string tag in new[] { "HuaweiCloud", "MetaStudio", "SmartLive", "DigitalHuman", "PSEdition_Core", "PSEdition_Desktop", "Windows", "Linux", "MacOS" })
        {
            Assert.Contains(tag, tags);
        }

        Assert.All(tags, t => Assert.DoesNotContain(' ', t));

        // Release notes describe this version: every cmdlet it exports.
        string notes = module.ReleaseNotes;
        Assert.Contains(module.Version.ToString(3), notes, StringComparison.Ordinal);
        Assert.All(module.ExportedCmdlets.Keys, name => Assert.Contains(name, notes, StringComparison.Ordinal));

        // The licence the manifest points at exists, is MIT, names the copyright holder, and ships with the module.
        string license = System.IO.File.ReadAllText(System.IO.Path.Combine(RepoPaths.RepoRoot, "LICENSE"));
        Assert.StartsWith("MIT License", license, StringComparison.Ordinal);
        Assert.Contains("Copyright (c) 2026 MetaStudio PowerShell contributors", license, StringComparison.Ordinal);
        Assert.Contains("Permission is hereby granted, free of charge", license, StringComparison.Ordinal);
        Assert.Contains("MIT", module.Copyright, StringComparison.Ordinal);
        Assert.Equal(license, System.IO.File.ReadAllText(System.IO.Path.Combine(RepoPaths.StagedModuleDirectory, "LICENSE")));
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
