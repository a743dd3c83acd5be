using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using MetaStudio.Client.Connection;

namespace MetaStudio;

/// <summary>
/// The Connect-MSAccount context of each runspace. Keyed by the runspace itself, so parallel
/// runspaces (ForEach-Object -Parallel, thread jobs) each have their own until one is passed in.
/// </summary>
internal static class SessionContext
{
    private static readonly ConditionalWeakTable<Runspace, Holder> Contexts = new();

    public static MetaStudioContext? Current =>
        Runspace.DefaultRunspace is { } runspace && Contexts.TryGetValue(runspace, out var holder) ? holder.Context : null;

    public static void Set(MetaStudioContext? context)
    {
        var runspace = Runspace.DefaultRunspace;
        if (runspace is null)
        {
            return; // not running in a runspace: nothing to remember the context for
        }

        Contexts.GetValue(runspace, _ => new Holder()).Context = context;
    }

    private sealed class Holder
    {
        private volatile MetaStudioContext? context;

        public MetaStudioContext? Context
        {
            get => context;
            set => context = value;
        }
    }
}
