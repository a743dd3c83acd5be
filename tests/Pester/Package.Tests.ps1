#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# ./build.ps1 -Task Package, proven as a user would use it: the package goes into a local PSResourceGet
# repository, is installed, and a fresh pwsh imports it by name. Every child pwsh runs with HOME and the
# XDG folders in one temporary folder, so repository registrations and installed modules land there and
# the real user's are left as they were.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    # On Windows the user's folders do not follow HOME, so this proof would install into the real ones.
    if ($IsWindows) { throw 'The package proof needs HOME-based user folders (Linux or macOS).' }
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $script:Staged = Join-Path $RepoRoot 'out/MetaStudio'
    $script:Temp = Join-Path ([IO.Path]::GetTempPath()) ('metastudio-package-' + [guid]::NewGuid().ToString('N'))
    $script:Home_ = Join-Path $Temp 'home'
    $script:Repository = Join-Path $Temp 'repository'
    New-Item -ItemType Directory -Path $Home_, $Repository | Out-Null
    $script:ChildEnvironment = @{
        HOME                 = $Home_
        USERPROFILE          = $Home_
        XDG_DATA_HOME        = Join-Path $Home_ '.local/share'
        XDG_CONFIG_HOME      = Join-Path $Home_ '.config'
        XDG_CACHE_HOME       = Join-Path $Home_ '.cache'
        DOTNET_CLI_HOME      = $Home_
        # NuGet's package folder is found through HOME; keep it where it is for anything that asks.
        NUGET_PACKAGES       = $env:NUGET_PACKAGES ? $env:NUGET_PACKAGES : (Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages')
        POWERSHELL_TELEMETRY_OPTOUT = '1'
    }

    # What the real user has, to compare afterwards: the repository list file and the module folders.
    $dataHome = [Environment]::GetFolderPath('LocalApplicationData')
    $script:UserRepositoryFile = Join-Path $dataHome 'PSResourceGet/PSResourceRepository.xml'
    $script:UserModuleFolders = @(Join-Path $dataHome 'powershell/Modules')
    function script:Get-UserState {
        [pscustomobject]@{
            Repositories = (Test-Path -LiteralPath $UserRepositoryFile) ? (Get-FileHash -LiteralPath $UserRepositoryFile).Hash : 'absent'
            Modules      = @($UserModuleFolders | Where-Object { Test-Path -LiteralPath $_ } | ForEach-Object { Get-ChildItem -LiteralPath $_ -Recurse -Force | ForEach-Object { "$($_.FullName) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" } }) -join "`n"
        }
    }
    $script:Before = Get-UserState
    $script:OutPackages = Join-Path $RepoRoot 'out/packages'
    $script:OutPackagesBefore = (Test-Path -LiteralPath $OutPackages) ? (@(Get-ChildItem -LiteralPath $OutPackages -Force | ForEach-Object { "$($_.Name) $($_.LastWriteTimeUtc.Ticks)" }) -join "`n") : 'absent'
    $script:Version = (Import-PowerShellDataFile (Join-Path $Staged 'MetaStudio.psd1')).ModuleVersion

    function script:Invoke-InTempHome([string] $Name, [string] $Script, [string[]] $ArgumentList = @()) {
        $file = Join-Path $Temp "$Name.ps1"
        Set-Content -LiteralPath $file -Value $Script
        Invoke-ChildPwsh -File $file -ArgumentList $ArgumentList -Environment $ChildEnvironment -WorkingDirectory $Temp
    }
}

AfterAll {
    if ($Temp -and (Test-Path -LiteralPath $Temp)) { Remove-Item -LiteralPath $Temp -Recurse -Force }
}

Describe 'build.ps1 -Task Package' {
    It 'writes a .nupkg of the staged module to -OutputPath without building' {
        $result = Invoke-InTempHome 'package' @'
param($Build, $Out)
& $Build -Task Package -NoBuild -OutputPath $Out
'@ -ArgumentList (Join-Path $RepoRoot 'build.ps1'), $Repository
        $result.Error | Should -BeNullOrEmpty
        $result.ExitCode | Should -Be 0
        $nupkg = Join-Path $Repository "MetaStudio.$Version.nupkg"
        $nupkg | Should -Exist
        @(Get-ChildItem -LiteralPath $Repository).Name | Should -Be @("MetaStudio.$Version.nupkg")

        # The package holds the staged module as it is: manifest, assemblies, views, help, Dependencies/.
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($nupkg)
        try { $entries = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        $stagedFiles = Get-ChildItem -LiteralPath $Staged -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($Staged, $_.FullName).Replace('\', '/') }
        foreach ($f in $stagedFiles) { $entries | Should -Contain $f }
    }

    It 'installs from a local PSResourceGet repository into a temporary path' {
        $result = Invoke-InTempHome 'install' @'
param($Repository)
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name MetaStudioTest -Uri $Repository -Trusted
try {
    Install-PSResource -Name MetaStudio -Repository MetaStudioTest -Scope CurrentUser -TrustRepository -Quiet
    $installed = Get-InstalledPSResource -Name MetaStudio
    "$($installed.Version)"
    $installed.InstalledLocation
}
finally {
    Unregister-PSResourceRepository -Name MetaStudioTest
}
(Get-PSResourceRepository).Name -join ','
'@ -ArgumentList $Repository
        $result.Error | Should -BeNullOrEmpty
        $result.ExitCode | Should -Be 0
        $result.Output[0] | Should -Be $Version
        $result.Output[1] | Should -BeLike "$Home_*"
        $result.Output[2] | Should -Not -Match 'MetaStudioTest'
        Join-Path $ChildEnvironment.XDG_DATA_HOME "powershell/Modules/MetaStudio/$Version/MetaStudio.psd1" | Should -Exist
    }

    It 'imports by name in a fresh pwsh, with help' {
        $result = Invoke-InTempHome 'import' @'
$ErrorActionPreference = 'Stop'
$m = Import-Module MetaStudio -PassThru
$m.ModuleBase
(Get-Command -Module MetaStudio | Sort-Object Name).Name -join ','
Get-Help Get-MSSmartLiveJob | Out-String -Width 200
'@
        $result.Error | Should -BeNullOrEmpty
        $result.ExitCode | Should -Be 0
        $result.Output[0] | Should -Be (Join-Path $ChildEnvironment.XDG_DATA_HOME "powershell/Modules/MetaStudio/$Version")
        $result.Output[1] | Should -Be 'Connect-MSAccount,ConvertFrom-MSLiveEvent,Disconnect-MSAccount,Get-MSContext,Get-MSSmartLiveCommand,Get-MSSmartLiveJob,Get-MSSmartLiveRoom,Invoke-MSSmartLiveCommand,Start-MSSmartLiveJob,Stop-MSSmartLiveJob,Test-MSLiveEventSignature,Wait-MSSmartLiveJob'
        $help = $result.Output -join "`n"
        $help | Should -Match 'NAME\s+Get-MSSmartLiveJob'
        $help | Should -Match 'SYNOPSIS'
        Import-Module (Join-Path $Staged 'MetaStudio.psd1') -Force
        $help | Should -Match ([regex]::Escape((Get-Help Get-MSSmartLiveJob).Synopsis.Trim()))
    }

    It 'leaves no repository registered and nothing in the real user''s folders' {
        $result = Invoke-InTempHome 'repositories' '(Get-PSResourceRepository).Name -join ","'
        $result.Output | Should -Not -Match 'MetaStudio'
        $after = Get-UserState
        $after.Repositories | Should -Be $Before.Repositories
        $after.Modules | Should -Be $Before.Modules
        $outPackagesNow = (Test-Path -LiteralPath $OutPackages) ? (@(Get-ChildItem -LiteralPath $OutPackages -Force | ForEach-Object { "$($_.Name) $($_.LastWriteTimeUtc.Ticks)" }) -join "`n") : 'absent'
        $outPackagesNow | Should -Be $OutPackagesBefore -Because 'the package went to -OutputPath only'
    }
}
