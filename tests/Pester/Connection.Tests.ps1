#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Connecting, as a user types it in pwsh. Run through tests/Pester/Invoke-PesterSuites.ps1 (dotnet test or
# ./build.ps1 -Task Test), which passes the staged module and the built emulator.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module (Get-TestManifest) -Force
    $script:SavedCredentials = Clear-AmbientCredentials (Join-Path $TestDrive 'empty-credentials')
    $script:ProjectId = $DemoProjectId
    $script:AccessKey = $DemoAccessKey
    $script:SecretKey = Get-DemoSecretKey
}

AfterAll {
    Restore-AmbientCredentials $SavedCredentials
}

Describe 'Connect-MSAccount' {
    AfterEach {
        Disconnect-MSAccount
    }

    It 'stores an access-key context with the key masked' {
        $ctx = Connect-MSAccount -AccessKey $AccessKey -SecretKey $SecretKey -ProjectId $ProjectId -Endpoint 'http://127.0.0.1:8787' -PassThru
        $ctx.AuthType | Should -Be 'AkSk'
        $ctx.AccessKeyId | Should -Be 'MSEM****************'
        $ctx.CredentialSource | Should -Be 'Parameter'
        $ctx.Endpoint | Should -Be 'http://127.0.0.1:8787/'
        (Get-MSContext).ProjectId | Should -Be $ProjectId
    }

    It 'accepts a PSCredential (user name = AK, password = SK)' {
        $cred = [pscredential]::new($AccessKey, $SecretKey)
        $ctx = Connect-MSAccount -Credential $cred -ProjectId $ProjectId -Region cn-east-3 -PassThru
        $ctx.Endpoint | Should -Be 'https://metastudio.cn-east-3.myhuaweicloud.com/'
        $ctx.Region | Should -Be 'cn-east-3'
        $ctx.AccessKeyId | Should -Be 'MSEM****************'
    }

    It 'accepts an IAM token' {
        $token = ConvertTo-SecureString 'a-token' -AsPlainText -Force
        (Connect-MSAccount -Token $token -ProjectId $ProjectId -PassThru).AuthType | Should -Be 'Token'
    }

    It 'writes nothing without -PassThru' {
        Connect-MSAccount -AccessKey $AccessKey -SecretKey $SecretKey -ProjectId $ProjectId | Should -BeNullOrEmpty
        (Get-MSContext).AuthType | Should -Be 'AkSk'
    }

    It 'refuses plain http to a non-loopback host' {
        { Connect-MSAccount -AccessKey $AccessKey -SecretKey $SecretKey -ProjectId $ProjectId -Endpoint 'http://metastudio.example.com' } |
            Should -Throw -ErrorId 'MetaStudio.InvalidEndpoint,MetaStudio.Commands.ConnectMSAccountCommand'
    }

    It 'refuses Chinese characters in -AppUserId' {
        { Connect-MSAccount -AccessKey $AccessKey -SecretKey $SecretKey -ProjectId $ProjectId -AppUserId '主播' } |
            Should -Throw -ErrorId 'MetaStudio.InvalidAppUserId,MetaStudio.Commands.ConnectMSAccountCommand'
    }

    It 'never shows the secret key, in any view or export' {
        $sk = 'PESTER-SECRET-KEY-VALUE'
        $ctx = Connect-MSAccount -AccessKey $AccessKey -SecretKey (ConvertTo-SecureString $sk -AsPlainText -Force) -ProjectId $ProjectId -PassThru
        $csv = Join-Path $TestDrive 'ctx.csv'
        $ctx | Export-Csv -LiteralPath $csv
        $views = @(
            ($ctx | Out-String)
            ($ctx | Format-List * | Out-String)
            ($ctx | Format-Table * | Out-String -Width 400)
            ($ctx | Select-Object * | Out-String)
            ($ctx | ConvertTo-Json -Depth 5)
            ($ctx | ConvertTo-Csv | Out-String)
            ($ctx | ConvertTo-Xml -As String -Depth 5)
            (Get-Content -LiteralPath $csv -Raw)
            "$ctx"
            (Get-MSContext | Format-List * | Out-String)
        )
        # The views really show the context: the masked key and the project are there.
        $views[1] | Should -Match ([regex]::Escape('MSEM****************'))
        $views[4] | Should -Match $ProjectId
        foreach ($text in $views) {
            $text | Should -Not -Match $sk
            $text | Should -Not -Match $AccessKey
        }
    }

    It 'completes -Region' {
        $line = 'Connect-MSAccount -Region cn-'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Be @('cn-east-3', 'cn-north-4')
    }
}

Describe 'Disconnect-MSAccount' {
    It 'forgets the context, so Get-MSContext falls back to the (empty) ambient sources' {
        Connect-MSAccount -AccessKey $AccessKey -SecretKey $SecretKey -ProjectId $ProjectId
        Disconnect-MSAccount
        { Get-MSContext } | Should -Throw -ErrorId 'MetaStudio.ProfileFileWithoutCredentials,MetaStudio.Commands.GetMSContextCommand'
    }
}

Describe 'A runbook with its credentials in the environment' {
    BeforeAll {
        $script:Emulator = Start-TestEmulator -Arguments '--rooms', '2', '--jobs-per-room', '30'
    }

    AfterAll {
        Stop-TestEmulator $Emulator
    }

    It 'lists without Connect-MSAccount, in a fresh pwsh' {
        $runbook = Join-Path $TestDrive 'runbook.ps1'
        Set-Content -LiteralPath $runbook -Value @'
param($Manifest)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
$ctx = Get-MSContext
"source=$($ctx.CredentialSource)"
"endpoint=$($ctx.EndpointSource)"
$roomId = (Get-MSSmartLiveJob -First 1).RoomId
$jobs = Get-MSSmartLiveJob -RoomId $roomId -ErrorAction Stop
"jobs=$($jobs.Count)"
foreach ($job in $jobs) { Write-Output "$($job.JobId) $($job.State)" }
'@
        $result = Invoke-ChildPwsh -File $runbook -ArgumentList (Get-TestManifest) -Environment @{
            HUAWEICLOUD_SDK_AK                          = $AccessKey
            HUAWEICLOUD_SDK_SK                          = $DemoSecretText
            HUAWEICLOUD_SDK_PROJECT_ID                  = $ProjectId
            HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4 = $Emulator.Url
            HUAWEICLOUD_SDK_CREDENTIALS_FILE            = $null
        }
        $result.Error | Should -BeNullOrEmpty
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Contain 'source=Environment'
        $result.Output | Should -Contain 'jobs=30'
        @($result.Output | Where-Object { $_ -match '^[0-9a-f-]{36} [A-Z]+$' }).Count | Should -Be 30
    }

    It 'stops with an error naming what to set when only the AK is there' {
        $runbook = Join-Path $TestDrive 'half.ps1'
        Set-Content -LiteralPath $runbook -Value @'
param($Manifest)
Import-Module $Manifest
try { Get-MSSmartLiveJob -RoomId r1 -ErrorAction Stop; 'listed' } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }
'@
        $result = Invoke-ChildPwsh -File $runbook -ArgumentList (Get-TestManifest) -Environment @{
            HUAWEICLOUD_SDK_AK               = $AccessKey
            HUAWEICLOUD_SDK_PROJECT_ID       = $ProjectId
            HUAWEICLOUD_SDK_CREDENTIALS_FILE = $null
        }
        $result.Output | Should -Not -Contain 'listed'
        $result.Output[0] | Should -BeLike 'MetaStudio.HalfKeyPair,*'
        ($result.Output -join "`n") | Should -Match 'HUAWEICLOUD_SDK_SK'
    }
}

Describe 'Contexts across runspaces' {
    BeforeAll {
        $script:Emulator = Start-TestEmulator -Arguments '--rooms', '3', '--jobs-per-room', '12'
        Connect-TestEmulator $Emulator
        $script:Context = Get-MSContext
        $script:Rooms = @(Get-MSSmartLiveJob | Select-Object -ExpandProperty RoomId -Unique)
        $script:Expected = @{}
        foreach ($r in $Rooms) { $Expected[$r] = @((Get-MSSmartLiveJob -RoomId $r).JobId) }
    }

    AfterAll {
        Disconnect-MSAccount
        Stop-TestEmulator $Emulator
    }

    It 'has three rooms to work with' {
        $Rooms.Count | Should -Be 3
        foreach ($r in $Rooms) { $Expected[$r].Count | Should -Be 12 }
    }

    It 'lists every room in ForEach-Object -Parallel with the context passed in' {
        $manifest = Get-TestManifest
        $ctx = $Context
        $got = $Rooms | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:manifest
            $using:ctx | Connect-MSAccount
            [pscustomobject]@{ Room = $_; Jobs = @((Get-MSSmartLiveJob -RoomId $_).JobId); Source = (Get-MSContext).CredentialSource }
        }
        @($got).Count | Should -Be 3
        foreach ($g in $got) {
            $g.Jobs | Should -Be $Expected[$g.Room]
            "$($g.Source)" | Should -Be 'Parameter'
        }
    }

    It 'has no context in a parallel runspace that was not given one' {
        $manifest = Get-TestManifest
        $ids = 1 | ForEach-Object -Parallel {
            Import-Module $using:manifest
            try { Get-MSContext -ErrorAction Stop | Out-Null; 'connected' } catch { $_.FullyQualifiedErrorId }
        }
        $ids | Should -BeLike 'MetaStudio.ProfileFileWithoutCredentials,*'
    }

    It 'lists in Start-ThreadJob with the context passed as an argument' {
        $job = Start-ThreadJob -ArgumentList (Get-TestManifest), $Context, $Rooms[1] -ScriptBlock {
            param($manifest, $ctx, $room)
            Import-Module $manifest
            Connect-MSAccount -Context $ctx
            Get-MSSmartLiveJob -RoomId $room -First 5
        }
        $jobs = $job | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop
        @($jobs).Count | Should -Be 5
        $jobs[0] | Should -BeOfType ([MetaStudio.Client.Models.SmartLiveJob])
        $jobs.JobId | Should -Be ($Expected[$Rooms[1]] | Select-Object -First 5)
    }
}
