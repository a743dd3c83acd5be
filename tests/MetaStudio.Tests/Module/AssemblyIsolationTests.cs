using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Module;

/// <summary>
/// What the staged module may load, read from metadata (nothing is loaded): the module assembly
/// stays free of System.Text.Json, and every non-platform reference of what ships is served from
/// Dependencies/ for Windows PowerShell 5.1.
/// </summary>
public class AssemblyIsolationTests
{
    // Supplied by the platform on both editions (netstandard facade, PowerShell itself).
    private static readonly HashSet<string> PlatformAssemblies = new(StringComparer.OrdinalIgnoreCase)
    {
        "netstandard", "mscorlib", "System", "System.Core", "System.Management.Automation",
    };

    [Fact]
    public void ModuleAssemblyDoesNotReferenceSerializationDependencies()
    {
        var references = ReferencesOf(Path.Combine(RepoPaths.StagedModuleDirectory, "MetaStudio.dll")).Select(r => r.Name).ToList();

        // JSON stays behind the client library, so cmdlets and the resolver load before any dependency.
        Assert.DoesNotContain("System.Text.Json", references);
        Assert.DoesNotContain("Newtonsoft.Json", references);
    }

    [Fact]
    public void EveryShippedReferenceIsServedFromDependencies()
    {
        string root = RepoPaths.StagedModuleDirectory;
        string deps = Path.Combine(root, "Dependencies");
        var shipped = Directory.GetFiles(root, "*.dll").Concat(Directory.GetFiles(deps, "*.dll")).ToList();
        var byName = shipped.ToDictionary(p => Path.GetFileNameWithoutExtension(p), p => p, StringComparer.OrdinalIgnoreCase);

        var unresolved = new List<string>();
        foreach (string file in shipped)
        {
            foreach (var reference in ReferencesOf(file))
            {
                if (PlatformAssemblies.Contains(reference.Name!))
                {
                    continue;
                }

                if (!byName.TryGetValue(reference.Name!, out var provider))
                {
                    unresolved.Add($"{Path.GetFileName(file)} -> {reference.Name} {reference.Version} (not shipped)");
                    continue;
                }

                var version = AssemblyName.GetAssemblyName(provider).Version;
                if (version < reference.Version)
                {
                    unresolved.Add($"{Path.GetFileName(file)} -> {reference.Name} {reference.Version} (ships {version})");
                }
            }
        }

        Assert.True(unresolved.Count == 0, "Windows PowerShell could not load: " + string.Join("; ", unresolved));
        Assert.True(File.Exists(Path.Combine(deps, "System.Text.Json.dll")));
        Assert.Equal(8, AssemblyName.GetAssemblyName(Path.Combine(deps, "System.Text.Json.dll")).Version!.Major);
        // Nothing but our own assemblies beside the manifest: dependencies never sit on default probing paths.
        Assert.All(Directory.GetFiles(root, "*.dll"), f => Assert.StartsWith("MetaStudio", Path.GetFileName(f), StringComparison.Ordinal));
    }

    internal static IReadOnlyList<AssemblyName> ReferencesOf(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences
            .Select(h => reader.GetAssemblyReference(h).GetAssemblyName())
            .ToList();
    }
}
