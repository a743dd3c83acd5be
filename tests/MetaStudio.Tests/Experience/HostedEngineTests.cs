using System;
using System.IO;
using System.Linq;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Experience;

/// <summary>The engine the tests host is pwsh's: the cmdlets users combine the module with are the real ones.</summary>
public class HostedEngineTests
{
    [Theory]
    [InlineData("Select-Object", "Microsoft.PowerShell.Utility")]
    [InlineData("Format-Table", "Microsoft.PowerShell.Utility")]
    [InlineData("Export-Csv", "Microsoft.PowerShell.Utility")]
    [InlineData("Import-Csv", "Microsoft.PowerShell.Utility")]
    [InlineData("Out-String", "Microsoft.PowerShell.Utility")]
    [InlineData("Get-ChildItem", "Microsoft.PowerShell.Management")]
    [InlineData("ConvertTo-SecureString", "Microsoft.PowerShell.Security")]
    public void BuiltInCmdletsComeFromTheModulesPwshShips(string command, string module)
    {
        using var pwsh = new HostedPowerShell(importModule: false);
        var info = pwsh.Invoke("$c = Get-Command -Name $args[0] -CommandType Cmdlet -ErrorAction Stop; $c.Source; $c.DLL; $PSHOME", command)
            .Select(o => o.ToString()).ToArray();

        Assert.Equal(module, info[0]);
        // The SDK's own assembly, beside the engine this process loaded, not one found elsewhere.
        Assert.Equal(Path.GetFullPath(info[2]), Path.GetDirectoryName(Path.GetFullPath(info[1])));
        Assert.Equal(Path.GetDirectoryName(typeof(System.Management.Automation.PowerShell).Assembly.Location), Path.GetFullPath(info[2]).TrimEnd(Path.DirectorySeparatorChar));
    }
}
