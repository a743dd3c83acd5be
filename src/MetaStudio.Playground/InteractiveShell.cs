using System;
using System.IO;
using System.Management.Automation.Runspaces;
using Microsoft.PowerShell;

namespace MetaStudio.Playground;

/// <summary>
/// A real PowerShell prompt: the console host that pwsh itself runs (from Microsoft.PowerShell.SDK),
/// with the MetaStudio module imported and a startup command that connects it. PSReadLine (line
/// editing, history, Tab completion, Ctrl+D) is loaded when the build copied it beside the program.
/// </summary>
public static class InteractiveShell
{
    /// <summary>The modules beside the program: MetaStudio, and PSReadLine when the build found it.</summary>
    public static string ModulesDirectory => Path.Combine(AppContext.BaseDirectory, "Modules");

    public static bool HasPSReadLine => File.Exists(Path.Combine(ModulesDirectory, "PSReadLine", "PSReadLine.psd1"));

    /// <summary>Runs the prompt until <c>exit</c>, Ctrl+D (with PSReadLine) or the end of redirected input.</summary>
    /// <param name="startupCommand">Runs once in the session before the first prompt (e.g. Connect-MSAccount).</param>
    /// <returns>The session's exit code, as pwsh would return it.</returns>
    public static int Run(string modulePath, string startupCommand)
    {
        // Modules beside the program come first, so Import-Module MetaStudio and PSReadLine resolve to them.
        string? path = Environment.GetEnvironmentVariable("PSModulePath");
        Environment.SetEnvironmentVariable("PSModulePath", string.IsNullOrEmpty(path) ? ModulesDirectory : ModulesDirectory + Path.PathSeparator + path);

        var iss = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            // pwsh's own default there; without it an SDK host is Restricted and refuses the module's .ps1xml files.
            iss.ExecutionPolicy = ExecutionPolicy.RemoteSigned;
        }

        iss.ImportPSModule(modulePath);

        // -NoExit: the startup command, then the prompt; the console host loads PSReadLine itself when it can.
        string[] args = { "-NoLogo", "-NoProfile", "-NoExit", "-Command", startupCommand };
        return ConsoleShell.Start(iss, bannerText: null, helpText: null, args);
    }
}
