using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace MetaStudio;

/// <summary>
/// Serves System.Text.Json and its polyfills from the module's Dependencies/ folder to Windows
/// PowerShell 5.1, which has none of them and no binding redirects. PowerShell 7 has them in the
/// shared framework, and there the in-box copies must win, so nothing is hooked on .NET (Core).
/// </summary>
internal static class DependencyResolver
{
    private static readonly object Gate = new();
    private static bool registered;

    internal static string ModuleDirectory { get; } =
        Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? string.Empty;

    internal static string DependencyDirectory { get; } = Path.Combine(ModuleDirectory, "Dependencies");

    internal static bool IsNetFramework { get; } =
        RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    internal static void Register()
    {
        if (!IsNetFramework)
        {
            return;
        }

        lock (Gate)
        {
            if (!registered)
            {
                AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
                registered = true;
            }
        }
    }

    internal static void Unregister()
    {
        lock (Gate)
        {
            if (registered)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= OnAssemblyResolve;
                registered = false;
            }
        }
    }

    private static Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args)
    {
        string? path = ResolvePath(new AssemblyName(args.Name), args.RequestingAssembly, DependencyDirectory, ModuleDirectory);
        return path is null ? null : Assembly.LoadFrom(path);
    }

    /// <summary>
    /// The packaged file that may answer a load request, or null. Only our own assemblies (or ones
    /// already served from our folders, or an unknown requester, as .NET Framework often reports)
    /// are answered, and only with an assembly of the same name, culture and public key token whose
    /// version is at least the one asked for: we substitute for binding redirects, nothing more.
    /// </summary>
    internal static string? ResolvePath(AssemblyName requested, Assembly? requester, string dependencyDirectory, string moduleDirectory)
    {
        if (string.IsNullOrEmpty(requested.Name))
        {
            return null;
        }

        if (requester != null && !IsOurs(requester, dependencyDirectory, moduleDirectory))
        {
            return null;
        }

        string candidate = Path.Combine(dependencyDirectory, requested.Name + ".dll");
        if (!File.Exists(candidate))
        {
            return null;
        }

        AssemblyName packaged = AssemblyName.GetAssemblyName(candidate);
        if (!string.Equals(packaged.Name, requested.Name, StringComparison.OrdinalIgnoreCase) ||
            !string.Equals(packaged.CultureName ?? string.Empty, requested.CultureName ?? string.Empty, StringComparison.OrdinalIgnoreCase) ||
            !SameToken(packaged.GetPublicKeyToken(), requested.GetPublicKeyToken()))
        {
            return null;
        }

        if (requested.Version != null && packaged.Version != null && packaged.Version < requested.Version)
        {
            return null;
        }

        return candidate;
    }

    private static bool IsOurs(Assembly requester, string dependencyDirectory, string moduleDirectory)
    {
        if (requester.IsDynamic)
        {
            return false;
        }

        string? dir = Path.GetDirectoryName(requester.Location);
        return dir != null &&
               (PathEquals(dir, moduleDirectory) || PathEquals(dir, dependencyDirectory));
    }

    private static bool PathEquals(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar), StringComparison.OrdinalIgnoreCase);

    private static bool SameToken(byte[]? a, byte[]? b)
    {
        a ??= Array.Empty<byte>();
        b ??= Array.Empty<byte>();
        if (b.Length == 0)
        {
            return true; // the request did not name a token
        }

        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
