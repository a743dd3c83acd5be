#
# Module manifest for MetaStudio: PowerShell cmdlets for Huawei Cloud MetaStudio smart live.
# This file is the source of truth; `dotnet build` copies it into out/MetaStudio/.
#
@{
    RootModule           = 'MetaStudio.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0f8a52-7c3e-4b8e-9a61-2f4c1e9b7d30'
    Author               = 'MetaStudio PowerShell contributors'
    CompanyName          = 'MetaStudio PowerShell contributors'
    Copyright            = '(c) MetaStudio PowerShell contributors. MIT licence.'
    Description          = 'Cmdlets for Huawei Cloud MetaStudio digital-human smart live: list live jobs of a room as typed objects, with AK/SK signing, paging, retries and clear errors.'
    CompatiblePSEditions = @('Core', 'Desktop')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'

    FormatsToProcess     = @('MetaStudio.Format.ps1xml')
    TypesToProcess       = @('MetaStudio.Types.ps1xml')

    # Explicit lists, no wildcards: command discovery and import stay fast.
    CmdletsToExport      = @('Connect-MSAccount', 'Disconnect-MSAccount', 'Get-MSContext', 'Get-MSSmartLiveJob')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('HuaweiCloud', 'MetaStudio', 'SmartLive', 'DigitalHuman', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = 'Connect-MSAccount, Get-MSContext, Disconnect-MSAccount; AK/SK (SDK-HMAC-SHA256) request signing.'
        }
    }
}
