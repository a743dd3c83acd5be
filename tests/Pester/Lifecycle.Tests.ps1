#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# A live's day as an operator types it in pwsh: find rooms, start (-WhatIf first), wait until on air,
# stop, and read the service's refusals, against the emulator in a child process. Run through
# tests/Pester/Invoke-PesterSuites.ps1 (dotnet test or ./build.ps1 -Task Test).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module (Get-TestManifest) -Force
    # Five rooms without jobs: the first three NORMAL and ENABLE, then a TEMPLATE and a DISABLE room (by index).
    # A started job stays WAITING for 200 ms, then is on air.
    $script:Emulator = Start-TestEmulator -Arguments '--rooms', '5', '--jobs-per-room', '0', '--start-delay-ms', '200'
    Connect-TestEmulator $Emulator
    $script:Rooms = @(Get-MSSmartLiveRoom)
    $script:Enabled = @($Rooms | Where-Object { $_.RoomType -eq 'NORMAL' -and $_.RoomState -eq 'ENABLE' })
    $script:Disabled = @($Rooms | Where-Object RoomState -EQ 'DISABLE')

    # Jobs of a room still waiting or on air.
    function script:Get-RunningJob([string] $RoomId) { @(Get-MSSmartLiveJob -RoomId $RoomId -State WAITING, PROCESSING) }
}

AfterAll {
    Disconnect-MSAccount
    Stop-TestEmulator $Emulator
}

Describe 'Rooms' {
    It 'lists the project''s rooms, typed, and pages with -Skip, -First and -IncludeTotalCount' {
        $Rooms.Count | Should -Be 5
        $Rooms[0] | Should -BeOfType ([MetaStudio.Client.Models.SmartLiveRoom])
        $Enabled.Count | Should -Be 3
        $Disabled.Count | Should -Be 1
        $page = @(Get-MSSmartLiveRoom -Skip 1 -First 2 -IncludeTotalCount)
        [uint64] $page[0].PSObject.BaseObject | Should -Be 5
        $page[1..2].RoomId | Should -Be $Rooms.RoomId[1..2]
    }

    It 'gets a room''s full definition with -RoomId, and a room object piped in' {
        $room = Get-MSSmartLiveRoom -RoomId $Rooms[0].RoomId
        $room.RoomId | Should -Be $Rooms[0].RoomId
        $room.IsDetailed | Should -BeTrue
        $room.SceneScripts | Should -Not -BeNullOrEmpty
        ($Rooms[1] | Get-MSSmartLiveRoom).RoomId | Should -Be $Rooms[1].RoomId
    }

    It 'reports an unknown room as the service''s 404, with the room as target' {
        $out = Get-MSSmartLiveRoom -RoomId no-such-room -ErrorAction SilentlyContinue -ErrorVariable errs
        $out | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'MSS.10001004,MetaStudio.Commands.GetMSSmartLiveRoomCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be 'no-such-room'
    }
}

Describe 'A live from start to stop' {
    BeforeAll {
        $script:Room = $Enabled[0].RoomId
        $script:Live = @{}   # what one It leaves for the next: the started job
    }

    It 'sends nothing with -WhatIf' {
        $verbose = Join-Path $TestDrive 'whatif.txt'
        $out = & { Start-MSSmartLiveJob -RoomId $Room -WhatIf -Verbose; $Enabled[0] | Start-MSSmartLiveJob -Wait -WhatIf -Verbose } 4> $verbose
        $out | Should -BeNullOrEmpty
        Get-Content -LiteralPath $verbose | Where-Object { $_ -match '^POST ' } | Should -BeNullOrEmpty
        Get-RunningJob $Room | Should -BeNullOrEmpty
    }

    It 'starts with -Confirm:$false even when $ConfirmPreference asks for Medium, and writes the started job' {
        $ConfirmPreference = 'Medium'
        $Live.Started = $Started = Start-MSSmartLiveJob -RoomId $Room -Confirm:$false
        $Started | Should -BeOfType ([MetaStudio.Client.Models.StartedSmartLiveJob])
        $Started.RoomId | Should -Be $Room
        $Started.JobId | Should -Match '^[0-9a-f-]{36}$'
        $Started.RequestId | Should -Not -BeNullOrEmpty
        (Get-RunningJob $Room).JobId | Should -Be $Started.JobId
    }

    It 'waits until the started job is on air, piped by its RoomId and JobId' {
        $Started = $Live.Started
        $job = $Started | Wait-MSSmartLiveJob -State PROCESSING -PollIntervalSec 1 -TimeoutSec 30
        $job | Should -BeOfType ([MetaStudio.Client.Models.SmartLiveJob])
        $job.JobId | Should -Be $Started.JobId
        $job.State | Should -Be 'PROCESSING'
        $job.StartTime | Should -Not -BeNullOrEmpty
        ($Started | Get-MSSmartLiveJob).State | Should -Be 'PROCESSING'
    }

    It 'reports a job not in the state waited for in time as a non-terminating timeout error' {
        $Started = $Live.Started
        $out = $Started | Wait-MSSmartLiveJob -State SUCCEED -PollIntervalSec 1 -TimeoutSec 1 -ErrorAction SilentlyContinue -ErrorVariable errs
        $out | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'WaitTimeout,MetaStudio.Commands.WaitMSSmartLiveJobCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $errs[0].TargetObject.State | Should -Be 'PROCESSING'
        $errs[0].Exception.Message | Should -BeLike "*was not SUCCEED after 1 s; its last state was PROCESSING.*"
    }

    It 'leaves the live on air with Stop -WhatIf, even with -Force' {
        $Started = $Live.Started
        $Started | Stop-MSSmartLiveJob -Force -WhatIf -PassThru | Should -BeNullOrEmpty
        (Get-RunningJob $Room).JobId | Should -Be $Started.JobId
    }

    It 'stops with -Force -PassThru and writes the ended job' {
        $Started = $Live.Started
        $stopped = $Started | Stop-MSSmartLiveJob -Force -PassThru
        $stopped | Should -BeOfType ([MetaStudio.Client.Models.SmartLiveJob])
        $stopped.JobId | Should -Be $Started.JobId
        $stopped.State | Should -Be 'SUCCEED'
        $stopped.EndTime | Should -Not -BeNullOrEmpty
        Get-RunningJob $Room | Should -BeNullOrEmpty
    }

    It 'starts with -Wait and writes the job once on air; Stop -Wait -PassThru writes it ended' {
        $job = Start-MSSmartLiveJob -RoomId $Enabled[1].RoomId -Wait -Confirm:$false
        $job | Should -BeOfType ([MetaStudio.Client.Models.SmartLiveJob])
        $job.State | Should -Be 'PROCESSING'
        $job.RoomId | Should -Be $Enabled[1].RoomId

        $ended = $job | Stop-MSSmartLiveJob -Force -Wait -PassThru
        $ended.JobId | Should -Be $job.JobId
        $ended.State | Should -Be 'SUCCEED'
    }

    It 'in a non-interactive runbook, asks (and so fails) before it sends: Start under $ConfirmPreference Medium, Stop without -Force' {
        $running = Start-MSSmartLiveJob -RoomId $Room -Confirm:$false
        try {
            $runbook = Join-Path $TestDrive 'confirm.ps1'
            Set-Content -LiteralPath $runbook -Value @'
param($Manifest, $Room, $Job)
Import-Module $Manifest
$ConfirmPreference = 'Medium'
try { Start-MSSmartLiveJob -RoomId $Room -ErrorAction Stop; 'start: started' } catch { "start: $($_.FullyQualifiedErrorId)" }
$ConfirmPreference = 'High'
try { Stop-MSSmartLiveJob -RoomId $Room -JobId $Job -ErrorAction Stop; 'stop: stopped' } catch { "stop: $($_.FullyQualifiedErrorId)" }
'@
            $result = Invoke-ChildPwsh -File $runbook -ArgumentList (Get-TestManifest), $Room, $running.JobId -Environment @{
                HUAWEICLOUD_SDK_AK                           = $DemoAccessKey
                HUAWEICLOUD_SDK_SK                           = $DemoSecretText
                HUAWEICLOUD_SDK_PROJECT_ID                   = $DemoProjectId
                HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4 = $Emulator.Url
                HUAWEICLOUD_SDK_CREDENTIALS_FILE             = $null
            }
            $result.Output | Should -Be @(
                'start: InvalidOperation,MetaStudio.Commands.StartMSSmartLiveJobCommand'
                'stop: InvalidOperation,MetaStudio.Commands.StopMSSmartLiveJobCommand')
            (Get-RunningJob $Room).JobId | Should -Be $running.JobId   # nothing started, nothing stopped
        }
        finally {
            $running | Stop-MSSmartLiveJob -Force
        }
    }
}

Describe 'The service''s refusals' {
    It 'refuses a second live with -SingleJobInRoom: the service''s code, the room as target, and what to do' {
        $room = $Enabled[2].RoomId
        $first = Start-MSSmartLiveJob -RoomId $room -Confirm:$false
        try {
            $out = Start-MSSmartLiveJob -RoomId $room -SingleJobInRoom -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errs
            $out | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'MSS.10001003,MetaStudio.Commands.StartMSSmartLiveJobCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errs[0].TargetObject | Should -Be $room
            $errs[0].Exception | Should -BeOfType ([MetaStudio.Client.Errors.MetaStudioServiceException])
            $errs[0].Exception.StatusCode | Should -Be 400
            $errs[0].Exception.ErrorCode | Should -Be 'MSS.10001003'
            $errs[0].Exception.RequestId | Should -Match '^[0-9a-f]{32}$'
            $errs[0].Exception.OutcomeUnknown | Should -BeFalse
            $errs[0].Exception.Message | Should -Match $first.JobId   # the service names the live in the way
            $errs[0].ErrorDetails.RecommendedAction | Should -Match 'Stop-MSSmartLiveJob'
            (Get-RunningJob $room).JobId | Should -Be $first.JobId
        }
        finally {
            $first | Stop-MSSmartLiveJob -Force
        }
    }

    It 'stops a script under -ErrorAction Stop for a room that cannot start: <Case>' -ForEach @(
        @{ Case = 'unknown room'; Given = 'no-such-room'; Id = 'MSS.10001004'; Category = 'ObjectNotFound' }
        @{ Case = 'disabled room'; Given = $null; Id = 'MSS.10001005'; Category = 'InvalidArgument' }
    ) {
        $target = if ($Given) { $Given } else { $Disabled[0].RoomId }
        $caught = $null
        try { Start-MSSmartLiveJob -RoomId $target -Confirm:$false -ErrorAction Stop; 'not reached' } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -Be "$Id,MetaStudio.Commands.StartMSSmartLiveJobCommand"
        $caught.CategoryInfo.Category | Should -Be $Category
        $caught.TargetObject | Should -Be $target
        $caught.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }
}

Describe 'Rooms piped on' {
    It 'starts a live in every room Where-Object keeps, then stops every running live of the project' {
        $started = @(Get-MSSmartLiveRoom | Where-Object { $_.RoomType -eq 'NORMAL' -and $_.RoomState -eq 'ENABLE' } | Start-MSSmartLiveJob -Confirm:$false)
        $started.RoomId | Should -Be $Enabled.RoomId
        foreach ($live in $started) { (Get-RunningJob $live.RoomId).JobId | Should -Be $live.JobId }
        foreach ($room in $Rooms | Where-Object RoomId -NotIn $Enabled.RoomId) { Get-RunningJob $room.RoomId | Should -BeNullOrEmpty }

        # Jobs listed for piped rooms come grouped by room, in the order the rooms came.
        $listed = @($Rooms[2], $Rooms[0], $Rooms[1] | Get-MSSmartLiveJob -State WAITING, PROCESSING)
        $listed.RoomId | Should -Be @($Rooms[2].RoomId, $Rooms[0].RoomId, $Rooms[1].RoomId)

        Get-MSSmartLiveJob -State WAITING, PROCESSING | Stop-MSSmartLiveJob -Force
        Get-MSSmartLiveJob -State WAITING, PROCESSING | Should -BeNullOrEmpty
        (Get-MSSmartLiveJob -State SUCCEED | Where-Object JobId -In $started.JobId).Count | Should -Be 3
    }
}
