using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace MetaStudio.Tests.Support;

/// <summary>
/// A real PowerShell 7.6 engine (System.Management.Automation) with the staged module imported,
/// as a user would have it after <c>Import-Module ./out/MetaStudio</c>.
/// </summary>
public sealed class HostedPowerShell : IDisposable
{
    private readonly Runspace runspace;

    public HostedPowerShell(bool importModule = true)
    {
        // CreateDefault2 loads only the core engine commands; no execution policy is set on Linux.
        var iss = InitialSessionState.CreateDefault2();
        runspace = RunspaceFactory.CreateRunspace(iss);
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

    public void Dispose() => runspace.Dispose();
}
