#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Live events end to end, as an operator builds a receiver: an HttpListener on 127.0.0.1 in this pwsh,
# a live started with its callback pointing there (MSS_A and MSS_A_HEAD), every event checked with
# Test-MSLiveEventSignature and typed with ConvertFrom-MSLiveEvent, then the stop and its END. The
# emulator (a child process, --events) sends the events. Run through tests/Pester/Invoke-PesterSuites.ps1.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module (Get-TestManifest) -Force
    $script:Emulator = Start-TestEmulator -Arguments '--rooms', '3', '--jobs-per-room', '0', '--start-delay-ms', '200', '--events'
    Connect-TestEmulator $Emulator
    $script:Rooms = @(Get-MSSmartLiveRoom)

    # A free loopback port for the receiver.
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
    $script:Listener = [System.Net.HttpListener]::new()
    $Listener.Prefixes.Add("http://127.0.0.1:$port/")
    $Listener.Start()
    $script:Base = "http://127.0.0.1:$port"

    # Receives callbacks until -Until holds for the events so far, or -TimeoutSec passes (then it throws).
    # Each request's body is read up to 64 KiB, answered 204, and returned with its URL and headers.
    function script:Receive-Callback {
        param([scriptblock] $Until, [int] $TimeoutSec = 20)
        $received = [System.Collections.Generic.List[object]]::new()
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while (-not (& $Until $received)) {
            $left = ($deadline - [DateTime]::UtcNow).TotalMilliseconds
            if ($left -le 0) { throw "Only $($received.Count) callbacks within $TimeoutSec s." }
            $pending = if ($script:Pending) { $script:Pending } else { $Listener.GetContextAsync() }
            if (-not $pending.Wait([int] $left)) { $script:Pending = $pending; continue }
            $script:Pending = $null
            $context = $pending.Result
            $request = $context.Request
            if ($request.ContentLength64 -gt 64KB) { $body = $null }
            else { $body = [System.IO.StreamReader]::new($request.InputStream, [System.Text.Encoding]::UTF8).ReadToEnd() }
            $context.Response.StatusCode = 204
            $context.Response.Close()
            $received.Add([pscustomobject]@{ Url = $request.Url; Headers = $request.Headers; Body = $body; Request = $request })
        }
        $received
    }

    function script:Start-LiveWithCallback([string] $RoomId, [string] $Url, [string] $AuthType, [securestring] $Key, [string[]] $EventType) {
        $extra = @{}
        if ($EventType) { $extra.CallbackEventType = $EventType }
        Start-MSSmartLiveJob -RoomId $RoomId -CallbackUrl $Url -CallbackAuthType $AuthType -CallbackKey $Key -Wait -WarningAction SilentlyContinue @extra
    }
}

AfterAll {
    if ($Listener) { $Listener.Close() }
    Disconnect-MSAccount
    Stop-TestEmulator $Emulator
}

Describe 'A live''s events, received, verified and typed (<AuthType>)' -ForEach @(
    @{ AuthType = 'MSS_A'; Path = 'a' }
    @{ AuthType = 'MSS_A_HEAD'; Path = 'head' }
) {
    BeforeAll {
        $script:Key = ConvertTo-SecureString "key-$AuthType" -AsPlainText -Force
        # A query in the configured URL: the signature covers it with its parameters in name order.
        $script:Url = "$Base/metastudio/$($Path)?tenant=t1&app=demo"
        $script:RoomId = $Rooms[$(if ($AuthType -eq 'MSS_A') { 0 } else { 1 })].RoomId
        $script:Job = Start-LiveWithCallback -RoomId $RoomId -Url $Url -AuthType $AuthType -Key $Key
        $script:OnAir = Receive-Callback -Until { param($r) @($r | Where-Object Body -Match 'SHOOT_SCRIPT_SWITCH').Count -ge 1 }
    }

    It 'signs every callback where the auth type says, with the key over the callback URL' {
        foreach ($callback in $OnAir) {
            if ($AuthType -eq 'MSS_A') {
                $callback.Url.Query | Should -Match 'hwSecret=[0-9a-f]{64}&hwTime=[0-9a-f]+$'
                $callback.Headers['x-hw-mss-secret'] | Should -BeNullOrEmpty
            }
            else {
                $callback.Headers['X-HW-MSS-SECRET'] | Should -Match '^[0-9a-f]{64}$'
                $callback.Url.Query | Should -Not -Match 'hwSecret'
            }
            $callback.Request | Test-MSLiveEventSignature -CallbackUrl $Url -Key $Key | Should -BeTrue
            $result = $callback.Request | Test-MSLiveEventSignature -CallbackUrl $Url -Key $Key -Detailed
            $result.Reason | Should -Be 'Valid'
            $result.AuthType | Should -Be $AuthType
            [math]::Abs($result.Age.TotalSeconds) | Should -BeLessThan 300
        }
    }

    It 'refuses the same callbacks under another key, another callback URL, or a narrow time window' {
        $other = ConvertTo-SecureString 'not-the-key' -AsPlainText -Force
        $callback = $OnAir[0]
        $callback.Request | Test-MSLiveEventSignature -CallbackUrl $Url -Key $other | Should -BeFalse
        ($callback.Request | Test-MSLiveEventSignature -CallbackUrl "$Base/metastudio/other" -Key $Key -Detailed).Reason | Should -Be 'BadSignature'
        ($callback.Request | Test-MSLiveEventSignature -CallbackUrl $Url -Key $Key -AuthType $(if ($AuthType -eq 'MSS_A') { 'MSS_A_HEAD' } else { 'MSS_A' }) -Detailed).Reason |
            Should -Be 'MissingField'
    }

    It 'types the events: the stream connecting, connected, then the script''s first paragraph' {
        $events = $OnAir.Body | ConvertFrom-MSLiveEvent
        $events.EventType | Should -Be @('RTMP_STREAM_STATE_CHANGE', 'RTMP_STREAM_STATE_CHANGE', 'SHOOT_SCRIPT_SWITCH')
        $events[0] | Should -BeOfType ([MetaStudio.Client.LiveEvents.RtmpStreamStateChangeEvent])
        $events[0..1].State | Should -Be @('CONNECTING', 'CONNECTED')
        $events.JobId | Sort-Object -Unique | Should -Be $Job.JobId
        $events.RoomId | Sort-Object -Unique | Should -Be $RoomId
        $switch = $events[2]
        $switch | Should -BeOfType ([MetaStudio.Client.LiveEvents.ShootScriptSwitchEvent])
        $switch.ShootScriptSequenceNo | Should -Be 1
        $switch.SceneScriptName | Should -Not -BeNullOrEmpty
        $switch.ShootScriptTitle | Should -Not -BeNullOrEmpty
    }

    It 'sends END when the live is stopped' {
        $Job | Stop-MSSmartLiveJob -Force
        $after = Receive-Callback -Until { param($r) @($r.Body | ConvertFrom-MSLiveEvent | Where-Object State -EQ 'END').Count -ge 1 }
        $after | ForEach-Object { $_.Request | Test-MSLiveEventSignature -CallbackUrl $Url -Key $Key | Should -BeTrue }
        $last = $after[-1].Body | ConvertFrom-MSLiveEvent
        $last.State | Should -Be 'END'
        $last.JobId | Should -Be $Job.JobId
    }
}

Describe 'Only the event types the live asked for' {
    It 'sends RTMP state changes only, when only they are listed' {
        $key = ConvertTo-SecureString 'rtmp-only' -AsPlainText -Force
        $url = "$Base/metastudio/rtmp-only"
        $job = Start-LiveWithCallback -RoomId $Rooms[2].RoomId -Url $url -AuthType MSS_A_HEAD -Key $key -EventType RTMP_STREAM_STATE_CHANGE
        $job | Stop-MSSmartLiveJob -Force
        $all = Receive-Callback -Until { param($r) @($r.Body | ConvertFrom-MSLiveEvent | Where-Object State -EQ 'END').Count -ge 1 }
        $events = $all.Body | ConvertFrom-MSLiveEvent
        $events.EventType | Sort-Object -Unique | Should -Be 'RTMP_STREAM_STATE_CHANGE'
        $events.State | Should -Be @('CONNECTING', 'CONNECTED', 'END')
    }
}

Describe 'Formatting' {
    It 'shows an RTMP event without its stream key, in the table, the list and ToString' {
        $body = '{"event_type":"RTMP_STREAM_STATE_CHANGE","message":"{\"room_id\":\"r1\",\"job_id\":\"j1\",\"output_url\":\"rtmp://push.example.com/live/r1\",\"stream_key\":\"sk-SECRET-123\",\"state\":\"CONNECTED\"}"}'
        $event = ConvertFrom-MSLiveEvent $body
        $event.StreamKey | Should -Be 'sk-SECRET-123'
        $text = ($event | Format-Table | Out-String -Width 120) + ($event | Format-List | Out-String -Width 120) + $event.ToString()
        $text | Should -Not -Match 'SECRET'
        $text | Should -Match 'CONNECTED'
        $text | Should -Match 'rtmp://push\.example\.com/live/r1'
    }
}
