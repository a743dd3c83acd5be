using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace MetaStudio.Tests.Support;

/// <summary>Tests that change the process environment run alone: environment variables are process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}

/// <summary>
/// Clears every variable the module reads, points HOME at an empty temporary directory (so the
/// default profile file is under the test's control), and restores everything on dispose.
/// </summary>
public sealed class EnvironmentScope : IDisposable
{
    private static readonly string[] Variables =
    {
        "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_SDK_PROJECT_ID",
        "HUAWEICLOUD_SDK_REGION", "HUAWEICLOUD_SDK_CREDENTIALS_FILE", "CLOUD_SDK_AK", "CLOUD_SDK_SK", "HOME",
        "HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4", "HUAWEICLOUD_SDK_REGION_METASTUDIO_AP_SOUTHEAST_3", "HUAWEICLOUD_SDK_REGIONS_FILE",
    };

    private readonly Dictionary<string, string?> saved = new();

    public EnvironmentScope()
    {
        foreach (var name in Variables)
        {
            saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, null);
        }

        Home = Directory.CreateTempSubdirectory("ms-env-home-").FullName;
        Environment.SetEnvironmentVariable("HOME", Home);
    }

    public string Home { get; }

    public string DefaultProfilePath => Path.Combine(Home, ".huaweicloud", "credentials");

    public EnvironmentScope Set(string name, string? value)
    {
        if (!saved.ContainsKey(name))
        {
            saved[name] = Environment.GetEnvironmentVariable(name);
        }

        Environment.SetEnvironmentVariable(name, value);
        return this;
    }

    public string WriteProfile(string text, string? path = null)
    {
        path ??= DefaultProfilePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        foreach (var (name, value) in saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Directory.Delete(Home, recursive: true);
    }
}
