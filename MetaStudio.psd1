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
    Copyright            = '(c) 2026 MetaStudio PowerShell contributors. MIT License.'
    Description          = 'Cmdlets for Huawei Cloud MetaStudio digital-human smart live: rooms and live jobs as typed objects; start, wait for and stop lives, never sending a write twice; steer a live with commands; verify and type its callback events. AK/SK signing, paging, retries and clear errors.'
    CompatiblePSEditions = @('Core', 'Desktop')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'

    FormatsToProcess     = @('MetaStudio.Format.ps1xml')

    # Explicit lists, no wildcards: command discovery and import stay fast.
    CmdletsToExport      = @('Connect-MSAccount', 'Disconnect-MSAccount', 'Get-MSContext', 'Get-MSSmartLiveJob', 'Get-MSSmartLiveRoom',
                            'Start-MSSmartLiveJob', 'Stop-MSSmartLiveJob', 'Wait-MSSmartLiveJob', 'Invoke-MSSmartLiveCommand', 'Get-MSSmartLiveCommand',
                            'Test-MSLiveEventSignature', 'ConvertFrom-MSLiveEvent')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('HuaweiCloud', 'Huawei', 'MetaStudio', 'SmartLive', 'DigitalHuman', 'LiveStreaming', 'Cloud',
                             'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/metastudio-powershell/MetaStudio'
            LicenseUri   = 'https://github.com/metastudio-powershell/MetaStudio/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0, the first release:
- Connect-MSAccount, Get-MSContext, Disconnect-MSAccount: an AK/SK pair, temporary keys or an IAM token,
  from parameters, the environment (HUAWEICLOUD_SDK_*) or ~/.huaweicloud/credentials; requests signed
  with SDK-HMAC-SHA256.
- Get-MSSmartLiveJob: the live jobs of rooms (ListSmartLive), of the whole project (ListSmartLiveJobs),
  or one job (ShowSmartLive), as typed objects streamed page by page; -First, -Skip, -IncludeTotalCount,
  state, creation-time and sort filters; retries with backoff, a client-side rate limit, and errors
  that carry the service's error code and request id.
- Get-MSSmartLiveRoom: the project's rooms (ListSmartLiveRooms) with their filters, or rooms in full
  (ShowSmartLiveRoom).
- Start-MSSmartLiveJob, Stop-MSSmartLiveJob, Wait-MSSmartLiveJob: the live lifecycle, with -WhatIf and
  -Confirm, a start or stop never sent twice once it may have arrived, and many jobs waited for at once.
- Invoke-MSSmartLiveCommand, Get-MSSmartLiveCommand: commands to a running live (say a text, play audio,
  read its scripts and configuration, any documented command), never sent twice once they may have
  arrived, and the commands inserted into a live, page by page.
- Test-MSLiveEventSignature, ConvertFrom-MSLiveEvent: check a live event callback's MSS_A / MSS_A_HEAD
  signature and age, and turn callback bodies into typed events (stream keys never shown).
- Views that fit an 80-column console, tab completion, and Get-Help for every cmdlet and about_MetaStudio.
Runs on Windows PowerShell 5.1 and PowerShell 7.4 and later.
'@
        }
    }
}
