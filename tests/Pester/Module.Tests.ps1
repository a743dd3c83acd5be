#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Run through ./build.ps1 -Task Test, which builds and stages out/MetaStudio first.

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '../../out/MetaStudio/MetaStudio.psd1'
    $module = Import-Module $manifest -PassThru -Force
}

Describe 'The staged MetaStudio module' {
    It 'imports as a binary module for both editions' {
        $module.ModuleType | Should -Be 'Binary'
        $module.CompatiblePSEditions | Should -Contain 'Core'
        $module.CompatiblePSEditions | Should -Contain 'Desktop'
        $module.PowerShellVersion | Should -Be ([version]'5.1')
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $data = Import-PowerShellDataFile $manifest
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($data.CmdletsToExport | Sort-Object)
        $module.ExportedFunctions.Count | Should -Be 0
    }

    It 'keeps dependencies out of the module root' {
        Get-ChildItem (Split-Path $manifest) -Filter *.dll | ForEach-Object { $_.Name | Should -BeLike 'MetaStudio*' }
        Join-Path (Split-Path $manifest) 'Dependencies/System.Text.Json.dll' | Should -Exist
    }
}
