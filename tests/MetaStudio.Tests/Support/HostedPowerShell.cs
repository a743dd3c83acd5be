using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;

namespace MetaStudio.Tests.Support;

/// <summary>
/// A real PowerShell 7.6 engine (Microsoft.PowerShell.SDK: the engine plus the Utility, Management and
/// Security modules pwsh ships) with the staged module imported, as a user would have it after
/// <c>Import-Module ./out/MetaStudio</c>.
/// </summary>
public sealed class HostedPowerShell : IDisposable
{
    private readonly Runspace runspace;

    /// <param name="host">A host that answers prompts (<see cref="AnsweringHost"/>); by default there is nobody to ask.</param>
    public HostedPowerShell(bool importModule = true, System.Management.Automation.Host.PSHost? host = null)
    {
        // CreateDefault2 loads the core engine commands; Select-Object, Format-*, Export-Csv and the other
        // built-in modules' cmdlets load on first use from the SDK's $PSHOME/Modules, as in pwsh.
        // No execution policy is set on Linux.
        var iss = InitialSessionState.CreateDefault2();
        runspace = host is null ? RunspaceFactory.CreateRunspace(iss) : RunspaceFactory.CreateRunspace(host, iss);
        runspace.Open();
        if (importModule)
        {
            Module = Invoke<PSModuleInfo>("Import-Module -Name $args[0] -PassThru -ErrorAction Stop", RepoPaths.StagedManifest).Single();
        }
    }

    public PSModuleInfo? Module { get; }

    public Runspace Runspace => runspace;

    /// <summary>Runs a script, throwing if it wrote any error; returns its output.</summary>
    public Collection<PSObject> Invoke(string script, params object[] args)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        foreach (var a in args)
        {
            ps.AddArgument(a);
        }

        var output = ps.Invoke();
        if (ps.HadErrors && ps.Streams.Error.Count > 0)
        {
            throw new InvalidOperationException("The script wrote errors: " + string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
        }

        return output;
    }

    public IReadOnlyList<T> Invoke<T>(string script, params object[] args) =>
        Invoke(script, args).Select(o => (T)o.BaseObject).ToList();

    /// <summary>Runs a script and captures everything it produced on every stream, without throwing.</summary>
    public RunResult Run(string script, params object[] args)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        foreach (var a in args)
        {
            ps.AddArgument(a);
        }

        var result = new RunResult();
        try
        {
            result.Output.AddRange(ps.Invoke());
        }
        catch (RuntimeException e)
        {
            result.Terminating = e;
        }

        result.Errors.AddRange(ps.Streams.Error);
        result.Verbose.AddRange(ps.Streams.Verbose.Select(v => v.Message));
        result.Debug.AddRange(ps.Streams.Debug.Select(v => v.Message));
        result.Warnings.AddRange(ps.Streams.Warning.Select(v => v.Message));
        result.Information.AddRange(ps.Streams.Information.Select(v => v.ToString()));
        result.Progress.AddRange(ps.Streams.Progress);
        return result;
    }

    public static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (char c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>Connects this runspace to an emulator with its demo key pair.</summary>
    public HostedPowerShell ConnectTo(MetaStudio.Emulator.EmulatorServer server)
    {
        Invoke("Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] -ProjectId $args[2] -Endpoint $args[3]",
            MetaStudio.Emulator.EmulatorOptions.DemoAccessKey, Secure(MetaStudio.Emulator.EmulatorOptions.DemoSecretKey),
            MetaStudio.Emulator.EmulatorOptions.DemoProjectId, server.BaseAddress.ToString());
        return this;
    }

    public void Dispose() => runspace.Dispose();
}

/// <summary>Everything one script run produced.</summary>
public sealed class RunResult
{
    public List<PSObject> Output { get; } = new();

    public List<ErrorRecord> Errors { get; } = new();

    public List<string> Verbose { get; } = new();

    public List<string> Debug { get; } = new();

    public List<string> Warnings { get; } = new();

    public List<string> Information { get; } = new();

    public List<ProgressRecord> Progress { get; } = new();

    /// <summary>The terminating error, when the script stopped with one.</summary>
    public RuntimeException? Terminating { get; set; }

    /// <summary>The error the script ended with: the terminating one, else the first written one.</summary>
    public ErrorRecord? FirstError => Terminating?.ErrorRecord ?? Errors.FirstOrDefault();

    public T Single<T>() => (T)Output.Single().BaseObject;

    /// <summary>Every text a user or a log could see: output (ToString and property values, two levels deep), all streams, errors.</summary>
    public IEnumerable<string> AllVisibleText()
    {
        foreach (var o in Output)
        {
            foreach (var text in Describe(o, 2))
            {
                yield return text;
            }
        }

        foreach (var error in Errors.Concat(Terminating is null ? Array.Empty<ErrorRecord>() : new[] { Terminating.ErrorRecord }))
        {
            yield return error.ToString();
            yield return error.Exception?.ToString() ?? "";
            yield return error.FullyQualifiedErrorId;
            yield return error.CategoryInfo.ToString();
            yield return error.TargetObject?.ToString() ?? "";
            yield return error.ErrorDetails?.Message ?? "";
            yield return error.ErrorDetails?.RecommendedAction ?? "";
        }

        foreach (var text in Verbose.Concat(Debug).Concat(Warnings).Concat(Information))
        {
            yield return text;
        }

        foreach (var p in Progress)
        {
            yield return p.ToString();
        }
    }

    private static IEnumerable<string> Describe(object? value, int depth)
    {
        if (value is null)
        {
            yield break;
        }

        yield return value.ToString() ?? "";
        if (depth == 0 || value is string || value.GetType().IsPrimitive)
        {
            yield break;
        }

        var ps = value as PSObject ?? PSObject.AsPSObject(value);
        foreach (var property in ps.Properties)
        {
            object? v;
            try
            {
                v = property.Value;
            }
            catch (GetValueException)
            {
                continue;
            }

            foreach (var text in Describe(v, depth - 1))
            {
                yield return text;
            }
        }
    }
}
