#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Steering a live as an operator types it in pwsh: say something, play audio, read the scripts and the
# live's config, list what was inserted, and what is refused before anything is sent, against the
# emulator in a child process. Run through tests/Pester/Invoke-PesterSuites.ps1.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module (Get-TestManifest) -Force
    # Three rooms without jobs; a started job is on air at once.
    $script:Emulator = Start-TestEmulator -Arguments '--rooms', '3', '--jobs-per-room', '0', '--start-delay-ms', '0'
    Connect-TestEmulator $Emulator
    $script:Room = @(Get-MSSmartLiveRoom | Where-Object { $_.RoomType -eq 'NORMAL' -and $_.RoomState -eq 'ENABLE' })[0]
    $script:Live = Start-MSSmartLiveJob -RoomId $Room.RoomId -Wait -Confirm:$false
}

AfterAll {
    Disconnect-MSAccount
    Stop-TestEmulator $Emulator
}

Describe 'Commands' {
    It 'says a text and plays audio on a live piped in, and lists both as sent from outside' {
        $said = $Live | Invoke-MSSmartLiveCommand -Text '感谢关注，新品马上开始' -Confirm:$false
        $played = $Live | Invoke-MSSmartLiveCommand -AudioUrl 'https://obs.example.com/replies/thanks.mp3' -Force
        $said | Should -BeOfType ([MetaStudio.Client.Models.SmartLiveCommandResult])
        $said.Command | Should -Be 'INSERT_PLAY_SCRIPT'
        $played.Command | Should -Be 'INSERT_PLAY_AUDIO'
        $listed = @($Live | Get-MSSmartLiveCommand)
        $listed.CommandId | Should -Be @($said.CommandId, $played.CommandId)
        $listed.Source | Should -Be @('EXTERNAL', 'EXTERNAL')
        $listed[0].Parameters.text_config.text | Should -Be '感谢关注，新品马上开始'
        $listed[1].Parameters.audio_url | Should -Be 'https://obs.example.com/replies/thanks.mp3'
    }

    It 'reads the current scripts into objects and the live''s config as a room, without asking' {
        $ConfirmPreference = 'Low'
        $scripts = $Live | Invoke-MSSmartLiveCommand -CurrentPlayingScript
        $config = $Live | Invoke-MSSmartLiveCommand -LiveJobConfig
        @($scripts.Result.scene_scripts).Count | Should -BeGreaterThan 0
        $scripts.Result.scene_scripts[0].shoot_scripts[0].text | Should -Not -BeNullOrEmpty
        $config.Result | Should -BeOfType ([MetaStudio.Client.Models.SmartLiveRoom])
        $config.Result.RoomId | Should -Be $Room.RoomId
    }

    It 'sends nothing with -WhatIf' {
        $before = @($Live | Get-MSSmartLiveCommand).Count
        $Live | Invoke-MSSmartLiveCommand -Command RESET_EXIT_CONFIG -Parameters @{ max_live_duration = 2 } -WhatIf | Should -BeNullOrEmpty
        $Live | Invoke-MSSmartLiveCommand -Text 'not said' -WhatIf | Should -BeNullOrEmpty
        @($Live | Get-MSSmartLiveCommand).Count | Should -Be $before
    }

    It 'refuses an unknown command, naming the known ones, before sending anything' {
        { Invoke-MSSmartLiveCommand -RoomId $Room.RoomId -JobId $Live.JobId -Command SAY_HELLO -Force -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*Use one of: INSERT_PLAY_SCRIPT, INSERT_PLAY_AUDIO*, CLEAN_UP_INSERT_COMMAND, RESET_EXIT_CONFIG.*'
    }

    It 'pages the inserted commands with -First and -IncludeTotalCount, and formats them as a table' {
        1..3 | ForEach-Object { $Live | Invoke-MSSmartLiveCommand -Text "reply $_" -Force | Out-Null }
        $page = @($Live | Get-MSSmartLiveCommand -First 2 -IncludeTotalCount -PageSize 1)
        [uint64] $page[0].PSObject.BaseObject | Should -BeGreaterOrEqual 5
        $page.Count | Should -Be 3
        # What was said is what an operator looks for, so it keeps its room in an 80-column console (the ids are in Format-List).
        $table = $Live | Get-MSSmartLiveCommand | Format-Table | Out-String -Width 80
        $table | Should -Match 'INSERT_PLAY_SCRIPT\s+EXTERNAL\s+\{"text_config":\{"text":"reply 3"\}\}'
    }

    It 'completes -Command with every documented command, and -PlayType and -PlayRole with theirs' {
        function Complete([string] $line) { (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText }
        Complete 'Invoke-MSSmartLiveCommand -Command GET_' | Should -Be @('GET_CURRENT_PLAYING_SCRIPTS', 'GET_LIVE_JOB_CONFIG_INFO')
        @(Complete 'Invoke-MSSmartLiveCommand -Command ').Count | Should -Be 10
        Complete 'Invoke-MSSmartLiveCommand -Command show' | Should -Be @('SHOW_LAYER')
        Complete 'Invoke-MSSmartLiveCommand -Text hi -PlayType ' | Should -Be @('APPEND', 'INSERT', 'PLAY_NOW')
        Complete 'Invoke-MSSmartLiveCommand -AudioUrl x -PlayRole co' | Should -Be @('CO_STREAMER')
    }

    It 'documents itself in Get-Help' {
        (Get-Help Invoke-MSSmartLiveCommand).Synopsis | Should -Match 'running live'
        @((Get-Help Get-MSSmartLiveCommand -Examples).examples.example).Count | Should -BeGreaterOrEqual 3
    }
}
