using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace MetaStudio.Playground;

/// <summary>A runspace on a <see cref="TextHost"/> with the MetaStudio module imported; runs command lines as a console would.</summary>
public sealed class PlaygroundSession : IDisposable
{
    private readonly Runspace runspace;

    /// <param name="plainText">No ANSI colours (for logs, files and tests).</param>
    public PlaygroundSession(TextWriter output, string modulePath, int width = 120, bool plainText = true)
    {
        Host = new TextHost(output, width, plainText);
        var iss = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            // pwsh's own default there; without it an SDK host is Restricted and refuses the module's .ps1xml files.
            iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.RemoteSigned;
        }

        runspace = RunspaceFactory.CreateRunspace(Host, iss);
        runspace.Open();
        if (plainText)
        {
            Run("$PSStyle.OutputRendering = 'PlainText'");
        }

        if (!Run($"Import-Module '{modulePath.Replace("'", "''")}' -ErrorAction Stop"))
        {
            throw new InvalidOperationException($"The MetaStudio module could not be imported from {modulePath}.");
        }
    }

    public TextHost Host { get; }

    public Runspace Runspace => runspace;

    /// <summary>Runs a command line and formats everything it outputs, errors included, with Out-Default.</summary>
    /// <returns>False when the command wrote an error or stopped with one.</returns>
    public bool Run(string commandLine)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(commandLine);
        ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        ps.AddCommand("Out-Default");
        try
        {
            ps.Invoke();
        }
        catch (RuntimeException e)
        {
            Host.UI.WriteErrorLine(e.ErrorRecord?.ToString() ?? e.Message);
            return false;
        }

        bool failed = ps.HadErrors || ps.Streams.Error.Count > 0;
        return !failed;
    }

    /// <summary>Runs a script file, as <c>pwsh -File</c> would.</summary>
    public bool RunFile(string path) => Run($"& '{Path.GetFullPath(path).Replace("'", "''")}'");

    /// <summary>The staged module beside this program (copied there by the build).</summary>
    public static string DefaultModulePath =>
        Path.Combine(AppContext.BaseDirectory, "Modules", "MetaStudio", "MetaStudio.psd1");

    public void Dispose() => runspace.Dispose();
}
