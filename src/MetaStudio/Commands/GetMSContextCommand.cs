using System.Management.Automation;
using MetaStudio.Client.Connection;

namespace MetaStudio.Commands;

/// <summary>
/// <para type="synopsis">Shows the connection MetaStudio cmdlets would use now, and where each part of it came from.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "MSContext")]
[OutputType(typeof(MetaStudioContext))]
public sealed class GetMSContextCommand : MetaStudioCmdlet
{
    protected override void ProcessRecord()
    {
        MetaStudioContext context;
        try
        {
            context = CurrentOrAmbientContext();
        }
        catch (MetaStudioConfigurationException e)
        {
            // Nothing usable is this command's answer, not its failure: a non-terminating error, so
            // `if (-not (Get-MSContext -ErrorAction SilentlyContinue))` works, and -ErrorAction Stop still stops.
            WriteError(ConfigurationErrorRecord(e));
            return;
        }

        WriteObject(context);
    }
}
