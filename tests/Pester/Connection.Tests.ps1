#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Run through ./build.ps1 -Task Test, which builds and stages out/MetaStudio first.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/MetaStudio/MetaStudio.psd1') -Force
    $script:ProjectId = '9a8b7c6d5e4f30211203f4e5d6c7b8a9'
    $script:AccessKey = 'MSEMULATORDEMOAK0001'
    $script:SecretKey = ConvertTo-SecureString 'MSEmulatorDemoSecretKey00000000000000001' -AsPlainText -Force
}

AfterEach {
    Disconnect-MSAccount
}

Describe 'Connect-MSAccount' {
    It 'stores an access-key context with the key masked' {
        $ctx = Connect-MSAccount -AccessKey $AccessKey -SecretKey $SecretKey -ProjectId $ProjectId -Endpoint 'http://127.0.0.1:8787' -PassThru
        $ctx.AuthType | Should -Be 'AkSk'
        $ctx.AccessKeyId | Should -Be 'MSEM****************'
        $ctx.CredentialSource | Should -Be 'Parameter'
        (Get-MSContext).ProjectId | Should -Be $ProjectId
    }

    It 'accepts a PSCredential (user name = AK, password = SK)' {
        $cred = [pscredential]::new($AccessKey, $SecretKey)
        (Connect-MSAccount -Credential $cred -ProjectId $ProjectId -Region cn-east-3 -PassThru).Endpoint |
            Should -Be 'https://metastudio.cn-east-3.myhuaweicloud.com/'
    }

    It 'accepts an IAM token' {
        $token = ConvertTo-SecureString 'a-token' -AsPlainText -Force
        (Connect-MSAccount -Token $token -ProjectId $ProjectId -PassThru).AuthType | Should -Be 'Token'
    }

    It 'refuses plain http to a non-loopback host' {
        { Connect-MSAccount -AccessKey $AccessKey -SecretKey $SecretKey -ProjectId $ProjectId -Endpoint 'http://metastudio.example.com' } |
            Should -Throw -ErrorId 'MetaStudio.InvalidEndpoint,MetaStudio.Commands.ConnectMSAccountCommand'
    }

    It 'refuses Chinese characters in -AppUserId' {
        { Connect-MSAccount -AccessKey $AccessKey -SecretKey $SecretKey -ProjectId $ProjectId -AppUserId '主播' } |
            Should -Throw -ErrorId 'MetaStudio.InvalidAppUserId,MetaStudio.Commands.ConnectMSAccountCommand'
    }

    It 'never shows the secret key, in any view' {
        $sk = 'PESTER-SECRET-KEY-VALUE'
        $ctx = Connect-MSAccount -AccessKey $AccessKey -SecretKey (ConvertTo-SecureString $sk -AsPlainText -Force) -ProjectId $ProjectId -PassThru
        ($ctx | Format-List * | Out-String) | Should -Not -Match $sk
        ($ctx | ConvertTo-Json) | Should -Not -Match $sk
        ($ctx | Export-Csv -Path TestDrive:/ctx.csv; Get-Content TestDrive:/ctx.csv -Raw) | Should -Not -Match $sk
    }

    It 'completes -Region' {
        $line = 'Connect-MSAccount -Region cn-'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Be @('cn-east-3', 'cn-north-4')
    }
}

Describe 'Contexts across runspaces' {
    It 'passes into ForEach-Object -Parallel' {
        Connect-MSAccount -AccessKey $AccessKey -SecretKey $SecretKey -ProjectId $ProjectId
        $ctx = Get-MSContext
        $manifest = Join-Path $PSScriptRoot '../../out/MetaStudio/MetaStudio.psd1'
        $ids = 1..2 | ForEach-Object -Parallel {
            Import-Module $using:manifest
            $using:ctx | Connect-MSAccount
            (Get-MSContext).ProjectId
        }
        $ids | Should -Be @($ProjectId, $ProjectId)
    }
}
