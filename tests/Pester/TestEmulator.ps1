# Dot-source from a Pester BeforeAll: starts the built emulator on a free port and connects to it.
# build.ps1 -Task Test builds the solution (Release) first.

function Start-TestEmulator {
    param([string[]] $Arguments = @())
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $dll = Join-Path $root 'src/MetaStudio.Emulator/bin/Release/net10.0/MetaStudio.Emulator.dll'
    if (-not (Test-Path $dll)) { throw "Build first: $dll is missing (./build.ps1 -Task Build)." }
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, '--port', '0') + $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $line = $process.StandardOutput.ReadLine()
    if ($line -notmatch '^MetaStudio emulator on (\S+)') { $process.Kill(); throw "The emulator did not start: $line" }
    [pscustomobject]@{ Process = $process; Url = $Matches[1] }
}

function Connect-TestEmulator {
    param([Parameter(Mandatory)] $Emulator)
    $sk = ConvertTo-SecureString 'MSEmulatorDemoSecretKey00000000000000001' -AsPlainText -Force
    Connect-MSAccount -AccessKey 'MSEMULATORDEMOAK0001' -SecretKey $sk -ProjectId '9a8b7c6d5e4f30211203f4e5d6c7b8a9' -Endpoint $Emulator.Url
}

function Stop-TestEmulator {
    param($Emulator)
    if ($Emulator -and -not $Emulator.Process.HasExited) { $Emulator.Process.Kill($true) }
}
