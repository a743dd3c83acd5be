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
    protected override void ProcessRecord() => WriteObject(ResolveContext());
}
