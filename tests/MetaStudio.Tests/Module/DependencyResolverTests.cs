using System;
using System.IO;
using System.Reflection;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Module;

/// <summary>The Windows PowerShell resolver's rules, exercised against the staged Dependencies/ folder.</summary>
public class DependencyResolverTests
{
    private static string ModuleDir => RepoPaths.StagedModuleDirectory;

    private static string DepsDir => Path.Combine(ModuleDir, "Dependencies");

    private static AssemblyName Packaged(string name) => AssemblyName.GetAssemblyName(Path.Combine(DepsDir, name + ".dll"));

    [Fact]
    public void ServesAPackagedAssemblyForAnEqualOrLowerVersion()
    {
        var requested = Packaged("System.Text.Json");
        Assert.Equal(Path.Combine(DepsDir, "System.Text.Json.dll"), DependencyResolver.ResolvePath(requested, null, DepsDir, ModuleDir));

        requested.Version = new Version(4, 0, 0, 0);
        Assert.NotNull(DependencyResolver.ResolvePath(requested, null, DepsDir, ModuleDir));
    }

    [Fact]
    public void RefusesAHigherVersionThanPackaged()
    {
        var requested = Packaged("System.Text.Json");
        requested.Version = new Version(requested.Version!.Major + 1, 0, 0, 0);
        Assert.Null(DependencyResolver.ResolvePath(requested, null, DepsDir, ModuleDir));
    }

    [Fact]
    public void RefusesADifferentPublicKeyToken()
    {
        var requested = Packaged("System.Memory");
        requested.SetPublicKeyToken(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        Assert.Null(DependencyResolver.ResolvePath(requested, null, DepsDir, ModuleDir));
    }

    [Fact]
    public void RefusesRequestsFromOtherAssemblies()
    {
        // xunit's own assembly lives elsewhere: another module's request is not ours to answer.
        var requested = Packaged("System.Text.Json");
        Assert.Null(DependencyResolver.ResolvePath(requested, typeof(FactAttribute).Assembly, DepsDir, ModuleDir));
    }

    [Fact]
    public void IgnoresNamesItDoesNotShip()
    {
        Assert.Null(DependencyResolver.ResolvePath(new AssemblyName("Newtonsoft.Json, Version=13.0.0.0"), null, DepsDir, ModuleDir));
    }

    [Fact]
    public void IsNotHookedOnPowerShell7()
    {
        // On .NET the in-box System.Text.Json must win; registering is a no-op.
        Assert.False(DependencyResolver.IsNetFramework);
    }
}
