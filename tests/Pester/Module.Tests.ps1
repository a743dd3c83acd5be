#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The staged module as pwsh loads it. Run through tests/Pester/Invoke-PesterSuites.ps1.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Manifest = Get-TestManifest
    $script:Module = Import-Module $Manifest -PassThru -Force
}

Describe 'The staged MetaStudio module' {
    It 'imports as a binary module for both editions' {
        $Module.ModuleType | Should -Be 'Binary'
        $Module.CompatiblePSEditions | Should -Contain 'Core'
        $Module.CompatiblePSEditions | Should -Contain 'Desktop'
        $Module.PowerShellVersion | Should -Be ([version]'5.1')
        Test-ModuleManifest -Path $Manifest -ErrorAction Stop | Should -Not -BeNullOrEmpty
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $data = Import-PowerShellDataFile $Manifest
        @($Module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($data.CmdletsToExport | Sort-Object)
        $Module.ExportedFunctions.Count | Should -Be 0
        $Module.ExportedAliases.Count | Should -Be 0
    }

    It 'keeps dependencies out of the module root' {
        $dir = Split-Path $Manifest
        Get-ChildItem $dir -Filter *.dll | ForEach-Object { $_.Name | Should -BeLike 'MetaStudio*' }
        Join-Path $dir 'Dependencies/System.Text.Json.dll' | Should -Exist
    }

    It 'loads no assembly from Dependencies/ on PowerShell 7' {
        $dependencies = Join-Path (Split-Path $Manifest) 'Dependencies'
        $loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not $_.IsDynamic -and $_.Location -and $_.Location.StartsWith($dependencies) }
        $loaded | Should -BeNullOrEmpty
    }

    It 'imports in a fresh pwsh by path, with its views and typed job members' {
        $script = Join-Path $TestDrive 'import.ps1'
        Set-Content -LiteralPath $script -Value @'
param($Manifest)
$ErrorActionPreference = 'Stop'
$m = Import-Module $Manifest -PassThru
$m.Name
(Get-Command -Module MetaStudio | Sort-Object Name).Name -join ','
(Get-FormatData -TypeName MetaStudio.Client.Models.SmartLiveJob).TypeNames -join ','
$null -ne [MetaStudio.Client.Models.SmartLiveJob].GetProperty('DurationSpan')
'@
        $result = Invoke-ChildPwsh -File $script -ArgumentList $Manifest
        $result.Error | Should -BeNullOrEmpty
        $result.Output | Should -Be @('MetaStudio', 'Connect-MSAccount,ConvertFrom-MSLiveEvent,Disconnect-MSAccount,Get-MSContext,Get-MSSmartLiveCommand,Get-MSSmartLiveJob,Get-MSSmartLiveRoom,Invoke-MSSmartLiveCommand,Start-MSSmartLiveJob,Stop-MSSmartLiveJob,Test-MSLiveEventSignature,Wait-MSSmartLiveJob', 'MetaStudio.Client.Models.SmartLiveJob', 'True')
    }
}
