using System;
using System.IO;

namespace MetaStudio.Tests.Support;

/// <summary>Locations resolved from the repository root, failing loudly when something is missing.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepoRoot => Root.Value;

    public static string StagedModuleDirectory => Path.Combine(RepoRoot, "out", "MetaStudio");

    public static string StagedManifest => RequireFile(Path.Combine(StagedModuleDirectory, "MetaStudio.psd1"),
        "Build the solution first (dotnet build -c Release) so the module is staged at out/MetaStudio.");

    /// <summary>The signing vectors produced by the official SDK signer, kept with these tests.</summary>
    public static string SigningVectors => RequireFile(
        Path.Combine(RepoRoot, "tests", "MetaStudio.Tests", "Signing", "TestData", "apig-signing-vectors.json"),
        "The signing vectors belong in tests/MetaStudio.Tests/Signing/TestData.");

    private static string RequireFile(string path, string hint)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Required test input is missing: {path}. {hint}", path);
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MetaStudio.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"MetaStudio.sln not found above {AppContext.BaseDirectory}.");
    }
}
