using System;
using System.Management.Automation;
using System.Reflection;

namespace MetaStudio.Tests.Support;

/// <summary>
/// What Select-Object -First does, for an engine without Microsoft.PowerShell.Utility: after N
/// objects it throws StopUpstreamCommandsException, which stops the commands before it in the
/// pipeline without an error. Imported into test runspaces as a module.
/// </summary>
[Cmdlet("Select", "FirstForTest")]
public sealed class SelectFirstForTestCommand : PSCmdlet
{
    private static readonly Type StopUpstream = typeof(PSCmdlet).Assembly.GetType("System.Management.Automation.StopUpstreamCommandsException", throwOnError: true)!;
    private int seen;

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0)]
    public int First { get; set; }

    protected override void ProcessRecord()
    {
        if (seen < First)
        {
            WriteObject(InputObject);
            seen++;
        }

        if (seen >= First)
        {
            var ctor = StopUpstream.GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)[0];
            throw (Exception)ctor.Invoke(new object[] { this });
        }
    }
}
