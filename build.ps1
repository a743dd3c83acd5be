#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and packages the MetaStudio module.
.DESCRIPTION
    Build   : dotnet build (Release by default), which stages the importable module at out/MetaStudio.
    Test    : Build, then dotnet test, then Pester 5 on tests/Pester when Pester 5 is installed.
    Package : Build, then a .nupkg of the staged module in out/packages, for a PowerShell repository.
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$staged = Join-Path $root 'out/MetaStudio'

function Invoke-Native([string] $Command, [string[]] $Arguments) {
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'MetaStudio.sln'), '-c', $Configuration)
    if (-not (Test-Path (Join-Path $staged 'MetaStudio.psd1'))) { throw "The build did not stage $staged." }
}

function Invoke-Test {
    Invoke-Native dotnet @('test', (Join-Path $root 'MetaStudio.sln'), '-c', $Configuration, '--no-build')
    $pester = Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0.0' | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed; skipping tests/Pester (Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser).'
        return
    }
    # A clean process, so the module under test is the staged one and nothing else is loaded.
    $script = "Import-Module Pester -MinimumVersion 5.0; `$c = New-PesterConfiguration; `$c.Run.Path = '$root/tests/Pester'; `$c.Run.Exit = `$true; `$c.Output.Verbosity = 'Detailed'; Invoke-Pester -Configuration `$c"
    Invoke-Native (Get-Process -Id $PID).Path @('-NoProfile', '-NonInteractive', '-Command', $script)
}

function Invoke-Package {
    $repo = Join-Path $root 'out/packages'
    New-Item -ItemType Directory -Force -Path $repo | Out-Null
    $name = 'MetaStudio.Local'
    if (-not (Get-PSResourceRepository -Name $name -ErrorAction SilentlyContinue)) {
        Register-PSResourceRepository -Name $name -Uri $repo -Trusted
    }
    try {
        Publish-PSResource -Path $staged -Repository $name
        Get-ChildItem $repo -Filter *.nupkg | ForEach-Object { Write-Host "Package: $($_.FullName)" }
    }
    finally {
        Unregister-PSResourceRepository -Name $name
    }
}

switch ($Task) {
    'Build'   { Invoke-Build }
    'Test'    { Invoke-Build; Invoke-Test }
    'Package' { Invoke-Build; Invoke-Package }
}
