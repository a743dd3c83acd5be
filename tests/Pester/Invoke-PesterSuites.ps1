#Requires -Version 7.4
<#
.SYNOPSIS
    Runs every Pester suite in tests/Pester once and writes a summary of the results.
.DESCRIPTION
    Used by the MetaStudio.Pester test project (dotnet test) and by ./build.ps1 -Task Test. Everything the
    suites need is passed in, nothing is looked up on PSModulePath or under bin/:
      -PesterPath    Pester.psd1 as restored by the build (the NuGet package's tools/ folder)
      -ModulePath    the staged module folder (out/MetaStudio)
      -EmulatorPath  the built MetaStudio.Emulator.dll
    The suites read the last three from environment variables (METASTUDIO_TEST_*), set here.

    -ResultPath receives a JSON summary: one entry per test (name, file, result, message) and one per
    container (test file) that failed to load, which Pester's XML reports leave out. The exit code is the
    number of failed tests plus failed containers (0 = all passed).
.EXAMPLE
    dotnet pwsh tests/Pester/Invoke-PesterSuites.ps1 -PesterPath ~/.nuget/packages/pester/5.9.1/tools/Pester.psd1 `
        -ModulePath out/MetaStudio -EmulatorPath src/MetaStudio.Emulator/bin/Release/net10.0/MetaStudio.Emulator.dll
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [string] $ResultPath,
    [string[]] $Path = @($PSScriptRoot),
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Verbosity = 'Detailed'
)

$ErrorActionPreference = 'Stop'
if ([Console]::IsOutputRedirected) { $PSStyle.OutputRendering = 'PlainText' }

foreach ($required in @($PesterPath, $EmulatorPath, (Join-Path $ModulePath 'MetaStudio.psd1'))) {
    if (-not (Test-Path -LiteralPath $required -PathType Leaf)) { throw "Missing: $required (build the solution first: dotnet build MetaStudio.sln -c Release)." }
}

$env:METASTUDIO_TEST_MODULE = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$env:METASTUDIO_TEST_MANIFEST = Join-Path $env:METASTUDIO_TEST_MODULE 'MetaStudio.psd1'
$env:METASTUDIO_TEST_EMULATOR = (Resolve-Path -LiteralPath $EmulatorPath).ProviderPath
$env:METASTUDIO_TEST_PSHOME = $PSHOME

# The Pester the build restored, by path: not whatever else PSModulePath may hold.
$pester = Import-Module -Name (Resolve-Path -LiteralPath $PesterPath).ProviderPath -PassThru -Force
Write-Host "Pester $($pester.Version) on PowerShell $($PSVersionTable.PSVersion) ($PSHOME)"

$config = New-PesterConfiguration
# pwsh -File passes an array as one comma-separated string.
$config.Run.Path = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
$config.Run.PassThru = $true
$config.Output.Verbosity = $Verbosity
$config.Output.StackTraceVerbosity = 'Filtered'
$result = Invoke-Pester -Configuration $config
if ($null -eq $result -or @($result.Containers).Count -eq 0) {
    Write-Host 'Pester: no result (it stopped before running any test file).'
    exit 100
}

function Get-ErrorText($errors) {
    (@($errors) | Where-Object { $_ } | ForEach-Object {
            $text = "$($_.Exception.Message)"
            if ($_.ScriptStackTrace) { $text += "`n" + $_.ScriptStackTrace }
            $text
        }) -join "`n"
}

$tests = foreach ($t in $result.Tests) {
    [ordered]@{
        name    = $t.ExpandedPath
        file    = $t.ScriptBlock.File
        line    = $t.StartLine
        result  = "$($t.Result)"
        message = Get-ErrorText $t.ErrorRecord
    }
}
$containers = foreach ($c in $result.Containers) {
    [ordered]@{
        name    = "$($c.Item)"
        result  = "$($c.Result)"
        # Errors of the file itself (parsing, discovery, its top-level BeforeAll/AfterAll), not of its tests.
        failedToRun = @($c.ErrorRecord | Where-Object { $_ }).Count -gt 0
        message = Get-ErrorText $c.ErrorRecord
    }
}
$summary = [ordered]@{
    pester     = "$($pester.Version)"
    powershell = "$($PSVersionTable.PSVersion)"
    result     = "$($result.Result)"
    passed     = $result.PassedCount
    failed     = $result.FailedCount
    skipped    = $result.SkippedCount
    notRun     = $result.NotRunCount
    tests      = @($tests)
    containers = @($containers)
}

if ($ResultPath) {
    $dir = Split-Path -Parent $ResultPath
    if ($dir) { New-Item -ItemType Directory -Force -Path $dir | Out-Null }
    $summary | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $ResultPath -Encoding utf8NoBOM
}

$failedContainers = @($containers | Where-Object failedToRun).Count
Write-Host ("Pester: {0} passed, {1} failed, {2} skipped, {3} not run; {4} of {5} test files failed to run" -f `
        $result.PassedCount, $result.FailedCount, $result.SkippedCount, $result.NotRunCount, $failedContainers, @($result.Containers).Count)
exit ($result.FailedCount + $failedContainers)
