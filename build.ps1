#Requires -Version 7.4

<#
.SYNOPSIS
    Builds, tests and packages the MetaStudio module.
.DESCRIPTION
    Build   : dotnet build (Release by default), which stages the importable module at out/MetaStudio and
              restores the local PowerShell tool and Pester.
    Test    : Build, then the xUnit suite (tests/MetaStudio.Tests), then every Pester suite in tests/Pester
              in a fresh pwsh started from $PSHOME, with the Pester the build restored.
    Package : Build, then a .nupkg of the staged module in out/packages (or -OutputPath): a folder that
              Register-PSResourceRepository can use as a local repository. No repository is registered.
    -NoBuild skips the build for Test and Package (use what the last build staged).
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Package -NoBuild -OutputPath /tmp/metastudio-repo
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [switch] $NoBuild,

    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$staged = Join-Path $root 'out/MetaStudio'

function Invoke-Native([string] $Command, [string[]] $Arguments) {
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

# A pwsh like this one, from $PSHOME: its own executable, or `dotnet $PSHOME/pwsh.dll` when this pwsh is
# the .NET tool (whose process is dotnet, so the process path cannot be used).
function Get-PwshCommand {
    $self = [Environment]::ProcessPath
    $apphost = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if ([IO.Path]::GetFileNameWithoutExtension($self) -ne 'dotnet' -and (Test-Path -LiteralPath $apphost)) { return , @($apphost) }
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if (-not (Test-Path -LiteralPath $dll)) { throw "Cannot start pwsh: no pwsh.dll in $PSHOME." }
    $dotnet = [IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet' ? $self : 'dotnet'
    return , @($dotnet, $dll)
}

# Where the build put what the Pester suites need (Pester, the emulator, the staged module), as the
# MetaStudio.Pester project computes it for its own test.
function Get-PesterSettings {
    $project = Join-Path $root 'tests/MetaStudio.Pester/MetaStudio.Pester.csproj'
    $json = & dotnet msbuild $project -nologo "-p:Configuration=$Configuration" -t:GetPesterSettings -getTargetResult:GetPesterSettings
    if ($LASTEXITCODE -ne 0) { throw "dotnet msbuild -t:GetPesterSettings failed: $json" }
    $settings = @{}
    foreach ($item in ($json | ConvertFrom-Json).TargetResults.GetPesterSettings.Items) { $settings[$item.Identity] = $item.Value }
    $settings
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'MetaStudio.sln'), '-c', $Configuration)
    if (-not (Test-Path (Join-Path $staged 'MetaStudio.psd1'))) { throw "The build did not stage $staged." }
}

function Invoke-Test {
    Invoke-Native dotnet @('test', (Join-Path $root 'tests/MetaStudio.Tests/MetaStudio.Tests.csproj'), '-c', $Configuration, '--no-build')

    $s = Get-PesterSettings
    if (-not (Test-Path -LiteralPath $s.PesterPath)) { throw "Pester is not where the build restores it ($($s.PesterPath)): build first." }
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $s.RunnerPath,
        '-PesterPath', $s.PesterPath, '-ModulePath', $s.ModulePath, '-EmulatorPath', $s.EmulatorPath,
        '-ResultPath', (Join-Path $root 'out/test-results/pester-results.json'))
    # A fresh process: the module under test is the staged one, and modules come from that pwsh's $PSHOME.
    $saved = $env:PSModulePath
    try {
        $env:PSModulePath = $null
        Invoke-Native $pwsh[0] $arguments
    }
    finally { $env:PSModulePath = $saved }
}

function Invoke-Package {
    $manifest = Join-Path $staged 'MetaStudio.psd1'
    if (-not (Test-Path -LiteralPath $manifest)) { throw "Nothing is staged at $staged; build first (without -NoBuild)." }
    # The last build of any configuration stages out/MetaStudio (a `dotnet run` of the playground builds Debug):
    # package only what the requested configuration built.
    $built = Join-Path $root "src/MetaStudio/bin/$Configuration/netstandard2.0/MetaStudio.dll"
    if (-not (Test-Path -LiteralPath $built) -or (Get-FileHash -LiteralPath $built).Hash -ne (Get-FileHash -LiteralPath (Join-Path $staged 'MetaStudio.dll')).Hash) {
        throw "out/MetaStudio does not hold the $Configuration build (another configuration was built last); run ./build.ps1 -Task Package without -NoBuild, or dotnet build -c $Configuration, first."
    }
    $destination = $OutputPath ? $OutputPath : (Join-Path $root 'out/packages')
    New-Item -ItemType Directory -Force -Path $destination | Out-Null
    $destination = (Resolve-Path -LiteralPath $destination).ProviderPath
    $version = (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
    $nupkg = Join-Path $destination "MetaStudio.$version.nupkg"
    Remove-Item -LiteralPath $nupkg -ErrorAction SilentlyContinue

    Import-Module Microsoft.PowerShell.PSResourceGet
    if (Get-Command Compress-PSResource -ErrorAction SilentlyContinue) {
        Compress-PSResource -Path $staged -DestinationPath $destination
    }
    else {
        # PSResourceGet before 1.1 has no Compress-PSResource: publish through a repository registered for
        # this call only, under a name nobody else uses, and always unregistered.
        $name = 'MetaStudio.Build.' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Register-PSResourceRepository -Name $name -Uri $destination -Trusted
        try { Publish-PSResource -Path $staged -Repository $name }
        finally { Unregister-PSResourceRepository -Name $name }
    }
    if (-not (Test-Path -LiteralPath $nupkg)) { throw "No $nupkg was written." }
    Write-Host "Package: $nupkg"
    Write-Host "Install: Register-PSResourceRepository -Name MetaStudioLocal -Uri '$destination' -Trusted; Install-PSResource MetaStudio -Repository MetaStudioLocal"
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { if (-not $NoBuild) { Invoke-Build }; Invoke-Test }
    'Package' { if (-not $NoBuild) { Invoke-Build }; Invoke-Package }
}
