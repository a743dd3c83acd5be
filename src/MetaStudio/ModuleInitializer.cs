using System.Management.Automation;

namespace MetaStudio;

/// <summary>Runs when PowerShell imports the module and when it removes it.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport()
    {
        DependencyResolver.Register();
        if (!DependencyResolver.IsNetFramework)
        {
            // A runbook is a fresh process: compile what the first listing needs while PowerShell
            // finishes the import and runs the commands before it (see Performance in the README).
            Client.Warmup.Start();
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo) => DependencyResolver.Unregister();
}
