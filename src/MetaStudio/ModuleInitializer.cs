using System.Management.Automation;

namespace MetaStudio;

/// <summary>Runs when PowerShell imports the module and when it removes it.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => DependencyResolver.Register();

    public void OnRemove(PSModuleInfo psModuleInfo) => DependencyResolver.Unregister();
}
