#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# What users type in pwsh, against the emulator in a child process. Run through
# tests/Pester/Invoke-PesterSuites.ps1 (dotnet test or ./build.ps1 -Task Test).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module (Get-TestManifest) -Force
    # --full fills every optional field, so nested objects (callback configs, RTC rooms...) are exported too.
    $script:Emulator = Start-TestEmulator -Arguments '--rooms', '2', '--jobs-per-room', '250', '--full'
    Connect-TestEmulator $Emulator
    $script:Rooms = @(Get-MSSmartLiveJob | Select-Object -ExpandProperty RoomId -Unique)
    $script:Room = $Rooms[0]
    # The whole room, read once one page at a time: what every other listing is compared with.
    $script:All = @(Get-MSSmartLiveJob -RoomId $Room -ThrottleLimit 1)
}

AfterAll {
    Disconnect-MSAccount
    Stop-TestEmulator $Emulator
}

Describe 'Listing against the emulator' {
    It 'lists every job of a room across pages, typed, in the service''s order' {
        $All.Count | Should -Be 250
        ($All.JobId | Select-Object -Unique).Count | Should -Be 250
        $All[0] | Should -BeOfType ([MetaStudio.Client.Models.SmartLiveJob])
        # Pages requested ahead (the default) give the same jobs in the same order.
        (Get-MSSmartLiveJob -RoomId $Room -PageSize 20).JobId | Should -Be $All.JobId
    }

    It 'stops the listing early under Select-Object -First, without an error' {
        $Error.Clear()
        $verbose = Join-Path $TestDrive 'verbose.txt'
        $jobs = & { Get-MSSmartLiveJob -RoomId $Room -PageSize 10 -Verbose | Select-Object -First 5 } 4> $verbose
        $jobs.JobId | Should -Be ($All.JobId | Select-Object -First 5)
        $Error.Count | Should -Be 0
        # One request line per HTTP request: only the first page of 25 was asked for.
        $requests = @(Get-Content -LiteralPath $verbose | Where-Object { $_ -match '^GET /v1/' })
        $requests.Count | Should -Be 1
        $requests[0] | Should -Match 'offset=0'
    }

    It 'pages with -Skip and -First' {
        (Get-MSSmartLiveJob -RoomId $Room -Skip 10 -First 5 -PageSize 3).JobId | Should -Be $All.JobId[10..14]
    }

    It 'writes the total count first with -IncludeTotalCount' {
        $out = @(Get-MSSmartLiveJob -RoomId $Room -First 3 -IncludeTotalCount)
        $out.Count | Should -Be 4
        ($out[0] | Out-String).Trim() | Should -Be 'Total count: 250'
        [uint64] $out[0].PSObject.BaseObject | Should -Be 250
        $out[1..3].JobId | Should -Be $All.JobId[0..2]
    }

    It 'filters with Where-Object on typed properties as the service filters by -State' {
        $local = @(Get-MSSmartLiveJob -RoomId $Room | Where-Object { $_.State -eq 'FAILED' -and $_.StartTime -lt [datetime]::UtcNow })
        $local.Count | Should -BeGreaterThan 0
        $local.JobId | Should -Be @(Get-MSSmartLiveJob -RoomId $Room -State FAILED).JobId
        foreach ($job in $local) { $job.ErrorCode | Should -Match '^MSS\.' }
    }

    It 'filters long lives with Where-Object on Duration' {
        $long = @(Get-MSSmartLiveJob -RoomId $Room -State SUCCEED | Where-Object { $_.Duration -gt 3600 })
        $long.Count | Should -BeGreaterThan 0
        $long.Count | Should -BeLessThan @($All | Where-Object State -eq 'SUCCEED').Count
        foreach ($job in $long) { $job.DurationSpan.TotalSeconds | Should -BeGreaterThan 3600 }
    }

    It 'sorts with -SortKey UpdateTime -Descending' {
        $times = @(Get-MSSmartLiveJob -RoomId $Room -SortKey UpdateTime -Descending -First 60).LastUpdateTime
        $times.Count | Should -Be 60
        $times | Should -Be ($times | Sort-Object -Descending)
        $times[0] | Should -BeGreaterThan $times[-1]
    }

    It 'binds room ids from the pipeline, -First applying per room' {
        $jobs = @($Rooms | Get-MSSmartLiveJob -First 2)
        $jobs.Count | Should -Be 4
        ($jobs.RoomId | Select-Object -Unique) | Should -Be $Rooms
    }

    It 'refreshes jobs piped back into Get-MSSmartLiveJob' {
        $again = @($All | Select-Object -First 3 | Get-MSSmartLiveJob)
        $again.JobId | Should -Be $All.JobId[0..2]
        $again[0] | Should -BeOfType ([MetaStudio.Client.Models.SmartLiveJob])
    }

    It 'reports an unknown job as the service''s 404, with the room as target' {
        $errs = $null
        $out = Get-MSSmartLiveJob -RoomId $Room -JobId nope -ErrorAction SilentlyContinue -ErrorVariable errs
        $out | Should -BeNullOrEmpty
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'MSS.10001002,*'
        "$($errs[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        "$($errs[0].TargetObject)" | Should -Match ([regex]::Escape($Room))
        try { Get-MSSmartLiveJob -RoomId $Room -JobId nope -ErrorAction Stop; throw 'no error' }
        catch {
            $_.Exception | Should -BeOfType ([MetaStudio.Client.Errors.MetaStudioServiceException])
            $_.Exception.StatusCode | Should -Be 404
            $_.Exception.RequestId | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'CSV round trips' {
    It 'writes the README''s report as plain text cells' {
        $csv = Join-Path $TestDrive 'long-lives.csv'
        $props = 'JobId', 'RoomName', 'StartTime', 'EndTime', 'DurationSpan', 'UsedResourceType', 'LiveEventCallbackConfig'
        $jobs = @(Get-MSSmartLiveJob -RoomId $Room -State SUCCEED | Where-Object { $_.Duration -gt 3600 })
        $jobs.Count | Should -BeGreaterThan 0
        $jobs | Select-Object $props | Export-Csv -LiteralPath $csv -NoTypeInformation

        (Get-Content -LiteralPath $csv -TotalCount 1) | Should -Be (($props | ForEach-Object { '"{0}"' -f $_ }) -join ',')
        $rows = @(Import-Csv -LiteralPath $csv)
        $rows.Count | Should -Be $jobs.Count
        for ($i = 0; $i -lt $rows.Count; $i++) {
            foreach ($p in $props) { $rows[$i].$p | Should -Be "$($jobs[$i].$p)" -Because "$p of row $i" }
            $rows[$i].DurationSpan | Should -Match '^(\d+\.)?\d\d:\d\d:\d\d$'
            $rows[$i].LiveEventCallbackConfig | Should -Match '^https?://\S+ \(.+\)$'
            [datetime]::Parse($rows[$i].StartTime, [cultureinfo]::CurrentCulture) | Should -Be $jobs[$i].StartTime
        }
        Get-Content -LiteralPath $csv -Raw | Should -Not -Match 'System\.|MetaStudio\.Client'
    }

    It 'exports whole jobs without type names or callback keys, and reads them back' {
        $csv = Join-Path $TestDrive 'jobs.csv'
        $jobs = $All | Select-Object -First 50
        $jobs | Export-Csv -LiteralPath $csv -NoTypeInformation
        $rows = @(Import-Csv -LiteralPath $csv)
        $rows.Count | Should -Be 50
        $rows.JobId | Should -Be $jobs.JobId
        $rows.RoomName | Should -Be $jobs.RoomName
        $rows.State | Should -Be $jobs.State
        foreach ($row in $rows) {
            foreach ($p in $row.PSObject.Properties) {
                $p.Value | Should -Not -Match 'System\.|MetaStudio\.Client' -Because "$($p.Name) of $($row.JobId)"
            }
        }
        $text = Get-Content -LiteralPath $csv -Raw
        $keys = @($jobs.LiveEventCallbackConfig.Key | Where-Object { $_ })
        $keys.Count | Should -BeGreaterThan 0
        foreach ($k in $keys) { $text | Should -Not -Match ([regex]::Escape($k)) }
    }

    It 'lists the jobs of a CSV again by piping its rows into Get-MSSmartLiveJob' {
        $csv = Join-Path $TestDrive 'to-refresh.csv'
        $All | Select-Object -Skip 20 -First 4 | Export-Csv -LiteralPath $csv -NoTypeInformation
        $refreshed = @(Import-Csv -LiteralPath $csv | Get-MSSmartLiveJob)
        $refreshed.JobId | Should -Be $All.JobId[20..23]
        $refreshed[0] | Should -BeOfType ([MetaStudio.Client.Models.SmartLiveJob])
    }
}

Describe 'Formatting at <_> columns' -ForEach 80, 120 {
    BeforeAll {
        $script:Width = $_
        $script:Shown = @($All | Select-Object -First 30)
        function script:Lines([string] $text) { @($text -split '\r?\n' | Where-Object { $_.Trim() }) }
    }

    It 'fits the default job table, with JobId and State of every job on its row' {
        $lines = Lines ($Shown | Out-String -Width $Width)
        foreach ($l in $lines) { Get-DisplayCells $l | Should -BeLessOrEqual $Width -Because $l }
        $lines[0] | Should -Match '\bJobId\b'
        $lines[0] | Should -Match '\bState\b'
        foreach ($job in $Shown) {
            $row = @($lines | Where-Object { $_.Contains($job.JobId) })
            $row.Count | Should -Be 1 -Because "$($job.JobId) is shown in full once"
            $row[0] | Should -Match "\b$($job.State)\b"
        }
    }

    It 'fits Format-Table with the README''s columns' {
        $lines = Lines ($Shown | Format-Table JobId, StartTime, ErrorCode, ErrorMessage | Out-String -Width $Width)
        foreach ($l in $lines) { Get-DisplayCells $l | Should -BeLessOrEqual $Width -Because $l }
        $lines[0] | Should -Match '^JobId\s+StartTime'
        foreach ($job in $Shown) { ($lines -match [regex]::Escape($job.JobId)).Count | Should -Be 1 }
    }

    It 'fits the list view, every job with its JobId, State and error' {
        $failed = @($All | Where-Object State -eq 'FAILED' | Select-Object -First 3)
        $failed.Count | Should -Be 3
        $lines = Lines ($failed + $Shown[0..2] | Format-List | Out-String -Width $Width)
        foreach ($l in $lines) { Get-DisplayCells $l | Should -BeLessOrEqual $Width -Because $l }
        foreach ($job in $failed + $Shown[0..2]) {
            @($lines -match "^JobId\s+: $([regex]::Escape($job.JobId))$").Count | Should -Be 1
        }
        @($lines -match '^State\s+: FAILED$').Count | Should -BeGreaterOrEqual 3
        foreach ($job in $failed) { ($lines -join "`n") | Should -Match ([regex]::Escape($job.ErrorCode)) }
    }

    It 'fits the context list' {
        $lines = Lines (Get-MSContext | Out-String -Width $Width)
        foreach ($l in $lines) { Get-DisplayCells $l | Should -BeLessOrEqual $Width -Because $l }
        $lines | Should -Contain 'AccessKeyId : MSEM****************'
        ($lines -join "`n") | Should -Not -Match $DemoSecretText
    }
}

Describe 'The job table at 120 columns' {
    It 'shows the error code of failed jobs, and only of those' {
        $jobs = @($All | Select-Object -First 60)
        $lines = @(($jobs | Out-String -Width 120) -split '\r?\n')
        @($jobs | Where-Object State -eq 'FAILED').Count | Should -BeGreaterThan 0
        foreach ($job in $jobs) {
            $row = @($lines | Where-Object { $_.Contains($job.JobId) })[0]
            if ($job.State -eq 'FAILED') { $row | Should -Match ([regex]::Escape($job.ErrorCode)) }
            else { $row | Should -Not -Match 'MSS\.' }
        }
    }
}

Describe 'Tab completion' {
    BeforeAll {
        function script:Complete([string] $line) {
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
        }
    }

    It 'completes -State values' {
        Complete 'Get-MSSmartLiveJob -State F' | Should -Be @('FAILED')
        $all = Complete 'Get-MSSmartLiveJob -State '
        foreach ($s in 'WAITING', 'PROCESSING', 'SUCCEED', 'FAILED', 'BLOCKED') { $all | Should -Contain $s }
    }

    It 'completes -SortKey values' {
        Complete 'Get-MSSmartLiveJob -SortKey U' | Should -Be @('UpdateTime')
        $all = Complete 'Get-MSSmartLiveJob -SortKey '
        foreach ($k in 'CreateTime', 'UpdateTime', 'AssetOrder') { $all | Should -Contain $k }
    }

    It 'completes -RoomId with rooms seen in this session, by id or by name' {
        Complete "Get-MSSmartLiveJob -RoomId $($Room.Substring(0, 6))" | Should -Contain $Room
        $name = $All[0].RoomName
        # Typed with an opening quote, the completion keeps the quotes, as PowerShell's own completers do.
        Complete "Get-MSSmartLiveJob -RoomId '$($name.Substring(0, 3))" | Should -Contain "'$Room'"
        Complete 'Get-MSSmartLiveJob -RoomId zzzz-no-such-room' | Should -BeNullOrEmpty
    }

    It 'completes the cmdlet names and parameters' {
        Complete 'Get-MSSmart' | Should -Be @('Get-MSSmartLiveCommand', 'Get-MSSmartLiveJob', 'Get-MSSmartLiveRoom')
        Complete 'Start-MSSmart' | Should -Be @('Start-MSSmartLiveJob')
        Complete 'Get-MSSmartLiveJob -Thrott' | Should -Be @('-ThrottleLimit')
    }
}

Describe 'Help' {
    BeforeDiscovery {
        $script:Cmdlets = 'Connect-MSAccount', 'Disconnect-MSAccount', 'Get-MSContext', 'Get-MSSmartLiveJob'
    }

    It 'Get-Help <_> -Full has a synopsis, a description, three examples and every parameter' -ForEach $Cmdlets {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*\w+-\w+ \[' -Because 'a written synopsis, not the generated syntax'
        ($help.Description.Text -join ' ') | Should -Not -BeNullOrEmpty
        $examples = @($help.Examples.Example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($e in $examples) { $e.Code | Should -Not -BeNullOrEmpty }

        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $declared = @((Get-Command $_).Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
        $documented = @($help.Parameters.Parameter | Where-Object { $_ -and $_.Name } )
        @($documented.Name | Sort-Object) | Should -Be $declared
        foreach ($p in $documented) { ($p.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($p.Name) is described" }
        @($help.ReturnValues.ReturnValue).Count | Should -BeGreaterThan 0
    }

    It 'has an about topic on connecting, paging, errors and the emulator' {
        $text = Get-Help about_MetaStudio | Out-String
        foreach ($topic in 'CONNECTING', 'PAGING', 'ERRORS', 'THE EMULATOR') { $text | Should -Match $topic }
    }
}
