#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Run through ./build.ps1 -Task Test, which builds and stages out/MetaStudio first.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/MetaStudio/MetaStudio.psd1') -Force
    . (Join-Path $PSScriptRoot 'TestEmulator.ps1')
    $script:Emulator = Start-TestEmulator -Arguments '--rooms', '2', '--jobs-per-room', '250'
    Connect-TestEmulator $Emulator
    $script:Room = (Get-MSSmartLiveJob -First 1).RoomId
}

AfterAll {
    Disconnect-MSAccount
    Stop-TestEmulator $Emulator
}

Describe 'Listing against the emulator' {
    It 'lists every job of a room across pages' {
        $jobs = Get-MSSmartLiveJob -RoomId $Room
        $jobs.Count | Should -Be 250
        ($jobs.JobId | Select-Object -Unique).Count | Should -Be 250
        $jobs[0] | Should -BeOfType ([MetaStudio.Client.Models.SmartLiveJob])
    }

    It 'stops fetching without an error under Select-Object -First' {
        $Error.Clear()
        $jobs = Get-MSSmartLiveJob -RoomId $Room -PageSize 10 | Select-Object -First 5
        $jobs.Count | Should -Be 5
        $Error.Count | Should -Be 0
    }

    It 'filters with Where-Object on typed properties' {
        $failed = Get-MSSmartLiveJob -RoomId $Room | Where-Object { $_.State -eq 'FAILED' -and $_.StartTime -lt [datetime]::UtcNow }
        $failed | ForEach-Object { $_.ErrorCode | Should -Match '^MSS\.' }
    }
}

Describe 'Formatting' {
    It 'shows a job table that fits 120 columns' {
        $text = Get-MSSmartLiveJob -RoomId $Room -First 10 | Out-String -Width 120
        $text | Should -Match 'JobId\s+State\s+Start \(UTC\)\s+Hours\s+Error\s+RoomName'
        ($text -split "`n" | Where-Object { $_.TrimEnd().Length -gt 120 }) | Should -BeNullOrEmpty
    }

    It 'has a list view with every part of a job' {
        $text = Get-MSSmartLiveJob -RoomId $Room -First 1 | Format-List | Out-String
        foreach ($name in 'JobId', 'RoomName', 'State', 'CreateTime', 'Duration', 'UsedResourceType') { $text | Should -Match "$name\s+:" }
    }

    It 'adds DurationSpan as a TimeSpan' {
        $job = Get-MSSmartLiveJob -RoomId $Room -State SUCCEED -First 1
        $job.DurationSpan | Should -BeOfType ([timespan])
    }

    It 'exports CSV cells as readable text, never type names' {
        Get-MSSmartLiveJob -RoomId $Room -First 50 | Export-Csv -Path TestDrive:/jobs.csv -NoTypeInformation
        $rows = Import-Csv TestDrive:/jobs.csv
        $rows.Count | Should -Be 50
        foreach ($row in $rows) {
            foreach ($p in $row.PSObject.Properties) {
                $p.Value | Should -Not -Match 'System\.|MetaStudio\.Client'
            }
        }
    }
}

Describe 'Help' {
    It '<_> has a synopsis, examples and described parameters' -ForEach @('Connect-MSAccount', 'Disconnect-MSAccount', 'Get-MSContext', 'Get-MSSmartLiveJob') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 3
        foreach ($p in @($help.Parameters.Parameter)) { $p.Description | Should -Not -BeNullOrEmpty }
    }

    It 'has an about topic' {
        Get-Help about_MetaStudio | Out-String | Should -Match 'PAGING'
    }
}
