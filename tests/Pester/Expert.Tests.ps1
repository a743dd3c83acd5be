#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# What a PowerShell user notices first, in real pwsh: the default views at the console widths people
# have, the help, the edges of paging and pipeline binding, the manifest a repository shows.
# Run through tests/Pester/Invoke-PesterSuites.ps1 (dotnet test or ./build.ps1 -Task Test).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Manifest = Get-TestManifest
    Import-Module $Manifest -Force
    $script:Emulator = Start-TestEmulator -Arguments '--rooms', '2', '--jobs-per-room', '150'
    Connect-TestEmulator $Emulator
    $script:Room = (Get-MSSmartLiveJob -First 1).RoomId

    function script:Get-Lines([string] $Text) {
        @($Text -split "`r?`n" | ForEach-Object { $_.TrimEnd() } | Where-Object { $_ })
    }
}

AfterAll {
    Disconnect-MSAccount
    Stop-TestEmulator $Emulator
}

Describe 'The job table' {
    BeforeAll {
        # Both rooms, so Chinese room names and every state (FAILED with its error code) are in the table.
        $script:Jobs = Get-MSSmartLiveJob -First 40
        $script:Jobs.RoomName | Where-Object { $_ -match '\p{IsCJKUnifiedIdeographs}' } | Should -Not -BeNullOrEmpty
    }

    It 'fits 80 columns with JobId, State, start, duration and error code: <_>' -ForEach @('Out-String', 'Format-Table') {
        $text = if ($_ -eq 'Out-String') { $Jobs | Out-String -Width 80 } else { $Jobs | Format-Table | Out-String -Width 80 }
        $lines = Get-Lines $text

        foreach ($line in $lines) { Get-DisplayCells $line | Should -BeLessOrEqual 79 -Because $line }
        $lines[0] | Should -Match '^JobId\s+State\s+Start \(UTC\)\s+Hours\s+Error$'   # one header line: nothing wraps
        $lines[1] | Should -Match '^-----\s+-----\s+-----------\s+-----\s+-----$'
        $rows = $lines | Select-Object -Skip 2
        $rows.Count | Should -Be $Jobs.Count
        foreach ($job in $Jobs) {
            $row = $rows | Where-Object { $_.StartsWith($job.JobId) }
            $row | Should -Not -BeNullOrEmpty -Because "$($job.JobId) is in the table"
            $row | Should -Match "^$($job.JobId) $($job.State)\b"
            if ($job.StartTime) { $row | Should -Match ([regex]::Escape($job.StartTime.ToString('MM-dd HH:mm'))) }
            if ($job.DurationSpan) { $row | Should -Match ("\s{0}:{1:00}\b" -f [math]::Floor($job.DurationSpan.TotalHours), $job.DurationSpan.Minutes) }
            if ($job.State -eq 'FAILED') { $row | Should -Match ([regex]::Escape($job.ErrorCode) + '$') }
        }
    }

    It 'adds RoomName at 120 columns and still fits' {
        $lines = Get-Lines ($Jobs | Out-String -Width 120)

        foreach ($line in $lines) { Get-DisplayCells $line | Should -BeLessOrEqual 119 -Because $line }
        $lines[0] | Should -Match '^JobId\s+State\s+Start \(UTC\)\s+Hours\s+Error\s+RoomName$'
        foreach ($job in $Jobs) { ($lines | Where-Object { $_.StartsWith($job.JobId) }) | Should -Match ([regex]::Escape($job.RoomName) + '$') }
    }

    It 'shows JobIds with Format-Wide' {
        $text = $Jobs | Format-Wide | Out-String -Width 80
        foreach ($job in $Jobs) { $text | Should -Match $job.JobId }
        $text | Should -Not -Match 'MetaStudio\.Client'
    }
}

Describe 'Paging edges' {
    It '-First 0 writes nothing' {
        @(Get-MSSmartLiveJob -RoomId $Room -First 0).Count | Should -Be 0
    }

    It '-IncludeTotalCount -First 0 writes the count and no job' {
        $out = @(Get-MSSmartLiveJob -RoomId $Room -IncludeTotalCount -First 0)
        $out.Count | Should -Be 1
        $out[0] | Should -Be 150
        $out[0] | Should -Not -BeOfType ([MetaStudio.Client.Models.SmartLiveJob])
    }

    It 'refuses <_> with -JobId' -ForEach @('First', 'Skip', 'IncludeTotalCount') {
        $job = Get-MSSmartLiveJob -RoomId $Room -First 1
        $paging = @{ $_ = if ($_ -eq 'IncludeTotalCount') { $true } else { 1 } }
        { Get-MSSmartLiveJob -RoomId $Room -JobId $job.JobId @paging } |
            Should -Throw -ErrorId 'PagingWithJobId,MetaStudio.Commands.GetMSSmartLiveJobCommand' -ExpectedMessage "*-$_*"
    }
}

Describe 'Pipeline input' {
    It 'lists each room once however many of its jobs are piped in' {
        $failed = Get-MSSmartLiveJob -RoomId $Room -State FAILED
        $piped = Get-MSSmartLiveJob -RoomId $Room -First 3 | Get-MSSmartLiveJob -State FAILED
        $piped.Count | Should -Be $failed.Count
        @($piped.JobId | Select-Object -Unique).Count | Should -Be $failed.Count
    }

    It 'still refreshes each piped job' {
        $jobs = Get-MSSmartLiveJob -RoomId $Room -First 3
        ($jobs | Get-MSSmartLiveJob).JobId | Should -Be $jobs.JobId
    }

    It 'refuses a piped <Name>, naming its type, and goes on' -ForEach @(
        @{ Name = 'hashtable'; Value = @{ RoomId = 'x' }; Type = 'System.Collections.Hashtable' }
        @{ Name = 'script block'; Value = { 'x' }; Type = 'System.Management.Automation.ScriptBlock' }
        @{ Name = 'number'; Value = 42; Type = 'System.Int32' }
        @{ Name = 'date'; Value = [datetime]'2026-01-05'; Type = 'System.DateTime' }
    ) {
        $jobs = $Value, $Room | Get-MSSmartLiveJob -First 1 -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].Exception.Message | Should -BeLike "*$Type*"
        $problems[0].Exception.Message | Should -BeLike '*RoomId*'
        $jobs.RoomId | Should -Be $Room
    }
}

Describe 'Get-MSContext when nothing is configured' {
    BeforeAll {
        $script:Saved = @{}
        foreach ($name in 'HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'CLOUD_SDK_AK', 'CLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HUAWEICLOUD_SDK_PROJECT_ID', 'HUAWEICLOUD_SDK_CREDENTIALS_FILE') {
            $Saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $null)
        }
        $env:HUAWEICLOUD_SDK_CREDENTIALS_FILE = Join-Path ([IO.Path]::GetTempPath()) "no-such-credentials-$PID"
        Disconnect-MSAccount
    }

    AfterAll {
        foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
        Connect-TestEmulator $Emulator
    }

    It 'answers nothing with -ErrorAction SilentlyContinue' {
        $answer = if (-not (Get-MSContext -ErrorAction SilentlyContinue)) { 'not configured' }
        $answer | Should -Be 'not configured'
    }

    It 'still stops with -ErrorAction Stop' {
        { Get-MSContext -ErrorAction Stop } | Should -Throw -ErrorId 'MetaStudio.*,MetaStudio.Commands.GetMSContextCommand'
    }
}

Describe 'Help' {
    It 'shows a default value for every parameter of <_>' -ForEach @('Connect-MSAccount', 'Get-MSSmartLiveJob') {
        foreach ($p in Get-Help $_ -Parameter *) {
            "$($p.defaultValue)".Trim() | Should -Not -BeNullOrEmpty -Because "-$($p.name) of $_ needs a default value"
        }
        (Get-Help Get-MSSmartLiveJob -Parameter PageSize).defaultValue | Should -Be '100'
        (Get-Help Get-MSSmartLiveJob -Parameter Descending).defaultValue | Should -Be 'False'
    }

    It 'has -Parallel examples that run with the module imported by path (<Name>)' -ForEach @(
        @{ Name = 'Connect-MSAccount' }
        @{ Name = 'Get-MSContext' }
    ) {
        (Get-Module MetaStudio -ListAvailable) | Should -BeNullOrEmpty -Because 'the module is not on PSModulePath here'
        $code = (Get-Help $Name).examples.example.code | Where-Object { $_ -match '-Parallel' }
        $code | Should -Not -BeNullOrEmpty
        $rooms = $roomIds = @($Room)
        $Error.Clear()
        $out = & ([scriptblock]::Create($code))
        $Error.Count | Should -Be 0 -Because ($Error | Out-String)
        $out | Should -Not -BeNullOrEmpty
    }

    It 'pages from the first job in the Get-MSContext -Parallel example' {
        $code = (Get-Help Get-MSContext).examples.example.code | Where-Object { $_ -match '-Skip' }
        $pages = & ([scriptblock]::Create($code))
        $total = Get-MSSmartLiveJob -IncludeTotalCount -First 0
        $pages.Count | Should -Be ([math]::Min(400, $total))   # four pages of 100, or all there are
        $first = Get-MSSmartLiveJob -First $pages.Count
        @($pages.JobId | Sort-Object) | Should -Be @($first.JobId | Sort-Object)
    }
}

Describe 'Messages' {
    It 'ends each sentence before the next' {
        Get-MSSmartLiveJob -RoomId $Room -JobId nope -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].Exception.Message | Should -Match '\(request id [0-9a-f]+\)\.$'
    }

    It 'prints a callback without event types without an empty list' {
        $callback = [MetaStudio.Client.Models.LiveEventCallbackConfig]@{ LiveEventTypeCallbackUrl = 'https://cb.example.com/x'; AuthType = 'MSS_A' }
        "$callback" | Should -Be 'https://cb.example.com/x (MSS_A)'
    }
}

Describe 'The manifest a repository shows' {
    It 'has a project, a licence, tags and current release notes' {
        $module = Test-ModuleManifest $Manifest
        $module.ProjectUri | Should -Be 'https://github.com/metastudio-powershell/MetaStudio'
        $module.LicenseUri | Should -Be 'https://github.com/metastudio-powershell/MetaStudio/blob/main/LICENSE'
        $module.Tags | Should -Contain 'MetaStudio'
        $module.Tags | Should -Contain 'PSEdition_Core'
        foreach ($cmdlet in $module.ExportedCmdlets.Keys) { $module.ReleaseNotes | Should -Match $cmdlet }
        Join-Path $PSScriptRoot '../../LICENSE' | Should -FileContentMatch '^MIT License'
        Join-Path (Split-Path $Manifest) 'LICENSE' | Should -Exist
    }
}
