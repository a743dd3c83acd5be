using System.Management.Automation;

namespace MetaStudio.Commands;

/// <summary>
/// <para type="synopsis">Forgets this session's MetaStudio connection.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "MSAccount")]
[OutputType(typeof(void))]
public sealed class DisconnectMSAccountCommand : MetaStudioCmdlet
{
    protected override void ProcessRecord()
    {
        bool wasConnected = SessionContext.Current != null;
        SessionContext.Set(null);
        WriteVerbose(wasConnected
            ? "Disconnected. Cmdlets now use the environment or the profile file, if they hold credentials."
            : "There was no Connect-MSAccount context in this session.");
    }
}
