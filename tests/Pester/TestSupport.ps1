# Dot-source from a Pester BeforeAll. Helpers shared by the suites: the module under test, the emulator as a
# child process, fresh pwsh processes, terminal cells. Paths come from the environment variables that
# Invoke-PesterSuites.ps1 sets (METASTUDIO_TEST_*); nothing here looks under bin/ or on PSModulePath.

$script:DemoAccessKey = 'MSEMULATORDEMOAK0001'
$script:DemoSecretText = 'MSEmulatorDemoSecretKey00000000000000001'
$script:DemoProjectId = '9a8b7c6d5e4f30211203f4e5d6c7b8a9'

function Get-TestSetting([string] $Name) {
    $value = [Environment]::GetEnvironmentVariable("METASTUDIO_TEST_$Name")
    if (-not $value) { throw "METASTUDIO_TEST_$Name is not set: run the suites through tests/Pester/Invoke-PesterSuites.ps1 (dotnet test or ./build.ps1 -Task Test)." }
    $value
}

# The staged module's manifest (out/MetaStudio/MetaStudio.psd1 of the build under test).
function Get-TestManifest { Get-TestSetting MANIFEST }

# The dotnet host that runs this pwsh when pwsh is the .NET tool, else the one on PATH.
function Get-DotnetHost {
    $self = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { return $self }
    $found = Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $found) { throw 'dotnet is not on PATH.' }
    $found.Source
}

# How to start a pwsh like this one, from $PSHOME: its own executable, or `dotnet $PSHOME/pwsh.dll` for the
# .NET tool (whose process is dotnet itself).
function Get-PwshCommand {
    $self = [Environment]::ProcessPath
    $apphost = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if ([IO.Path]::GetFileNameWithoutExtension($self) -ne 'dotnet' -and (Test-Path -LiteralPath $apphost)) {
        return , @($apphost)
    }
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if (-not (Test-Path -LiteralPath $dll)) { throw "No pwsh.dll in $PSHOME." }
    return , @((Get-DotnetHost), $dll)
}

<#
Runs a script file in a fresh pwsh (-NoProfile -NonInteractive) and waits at most -TimeoutSec for it (then
kills it and everything it started). -Environment sets variables for the child; a $null value removes one.
PSModulePath is always removed, so the child computes its own from its HOME and $PSHOME.
#>
function Invoke-ChildPwsh {
    param(
        [Parameter(Mandatory)] [string] $File,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = (Get-Location -PSProvider FileSystem).ProviderPath,
        [int] $TimeoutSec = 300
    )
    $command = Get-PwshCommand
    $psi = [Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($a in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $File) + $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $psi.WorkingDirectory = $WorkingDirectory
    $null = $psi.Environment.Remove('PSModulePath')
    foreach ($k in $Environment.Keys) {
        if ($null -eq $Environment[$k]) { $null = $psi.Environment.Remove($k) } else { $psi.Environment[$k] = [string] $Environment[$k] }
    }
    $process = [Diagnostics.Process]::Start($psi)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSec * 1000)) {
            throw "pwsh -File $File did not finish within $TimeoutSec s."
        }
        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Output   = @($stdout.Result -split '\r?\n' | Where-Object { $_ -ne '' })
            Error    = $stderr.Result
        }
    }
    finally {
        if (-not $process.HasExited) { $process.Kill($true) }
        $process.Dispose()
    }
}

<#
Starts the built emulator (METASTUDIO_TEST_EMULATOR) on 127.0.0.1 with a free port; returns its process and
URL. Stop it with Stop-TestEmulator in AfterAll.
#>
function Start-TestEmulator {
    param([string[]] $Arguments = @())
    $dll = Get-TestSetting EMULATOR
    $psi = [Diagnostics.ProcessStartInfo]::new((Get-DotnetHost))
    foreach ($a in @($dll, '--port', '0') + $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardInput = $true
    $process = [Diagnostics.Process]::Start($psi)
    try {
        $read = $process.StandardOutput.ReadLineAsync()
        if (-not $read.Wait(120000)) { throw 'The emulator printed nothing within 120 s.' }
        $line = $read.Result
        if ($line -notmatch '^MetaStudio emulator on (http://127\.0\.0\.1:\d+)') { throw "The emulator did not start: $line" }
        $url = $Matches[1]
        # Keep reading, so the emulator can never block on a full pipe.
        $null = $process.StandardOutput.ReadToEndAsync()
        [pscustomobject]@{ Process = $process; Url = $url }
    }
    catch {
        if (-not $process.HasExited) { $process.Kill($true) }
        throw
    }
}

function Stop-TestEmulator {
    param($Emulator)
    if ($Emulator -and $Emulator.Process -and -not $Emulator.Process.HasExited) {
        $Emulator.Process.Kill($true)
        $null = $Emulator.Process.WaitForExit(10000)
    }
}

function Get-DemoSecretKey { ConvertTo-SecureString $script:DemoSecretText -AsPlainText -Force }

function Connect-TestEmulator {
    param([Parameter(Mandatory)] $Emulator, [switch] $PassThru)
    Connect-MSAccount -AccessKey $script:DemoAccessKey -SecretKey (Get-DemoSecretKey) -ProjectId $script:DemoProjectId -Endpoint $Emulator.Url -PassThru:$PassThru
}

# Terminal cells a line takes: East Asian wide characters take two (room names are Chinese).
function Get-DisplayCells([string] $Line) {
    $cells = 0
    foreach ($c in $Line.ToCharArray()) {
        $n = [int] $c
        $wide = $n -ge 0x1100 -and ($n -le 0x115F -or ($n -ge 0x2E80 -and $n -le 0xA4CF) -or ($n -ge 0xAC00 -and $n -le 0xD7A3) -or
            ($n -ge 0xF900 -and $n -le 0xFAFF) -or ($n -ge 0xFE30 -and $n -le 0xFE4F) -or ($n -ge 0xFF00 -and $n -le 0xFF60) -or ($n -ge 0xFFE0 -and $n -le 0xFFE6))
        $cells += $wide ? 2 : 1
    }
    $cells
}

# The environment variables through which credentials reach the module (README, Connecting).
$script:CredentialVariables = @(
    'HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'CLOUD_SDK_AK', 'CLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN',
    'HUAWEICLOUD_SDK_PROJECT_ID', 'HUAWEICLOUD_SDK_REGION', 'HUAWEICLOUD_SDK_CREDENTIALS_FILE', 'HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4')

<#
Makes the ambient sources (environment and profile file) predictable for this process: the credential
variables are removed and the profile file is an empty one, so a runspace without a context has none.
Returns what to hand to Restore-AmbientCredentials.
#>
function Clear-AmbientCredentials([string] $EmptyProfileFile) {
    $saved = @{}
    foreach ($name in $script:CredentialVariables) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    Set-Content -LiteralPath $EmptyProfileFile -Value '' -NoNewline
    [Environment]::SetEnvironmentVariable('HUAWEICLOUD_SDK_CREDENTIALS_FILE', $EmptyProfileFile)
    $saved
}

function Restore-AmbientCredentials([hashtable] $Saved) {
    if (-not $Saved) { return }
    foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
}
