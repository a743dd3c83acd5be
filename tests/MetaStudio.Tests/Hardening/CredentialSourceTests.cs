using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Hardening;

/// <summary>
/// One rule for every credential, token, project id and app user id, whatever the source; nothing
/// invalid reaches the wire, nothing is retried, and the error names the source. The profile file is
/// read only when it is a small regular file, never mixed from duplicate lines, and guarded like an ssh key.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class CredentialSourceTests : IAsyncLifetime, IDisposable
{
    private readonly EnvironmentScope env = new();
    private EmulatorServer server = null!;
    private HostedPowerShell pwsh = null!;

    public async Task InitializeAsync()
    {
        server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 5 });
        pwsh = new HostedPowerShell();
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose()
    {
        pwsh.Dispose();
        env.Dispose();
    }

    private void UseEnvironment(string? securityToken = null, string ak = EmulatorOptions.DemoAccessKey)
    {
        env.Set("HUAWEICLOUD_SDK_AK", ak).Set("HUAWEICLOUD_SDK_SK", EmulatorOptions.DemoSecretKey)
           .Set("HUAWEICLOUD_SDK_PROJECT_ID", EmulatorOptions.DemoProjectId)
           .Set("HUAWEICLOUD_SDK_SECURITY_TOKEN", securityToken)
           .Set("HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4", server.BaseAddress.ToString());
    }

    public static TheoryData<string, string, string> InjectedEnvironment() => new()
    {
        // variable, value, error id
        { "HUAWEICLOUD_SDK_SECURITY_TOKEN", "token-part\r\nX-Injected: yes", "MetaStudio.InvalidSecurityToken" },
        { "HUAWEICLOUD_SDK_SECURITY_TOKEN", "tökén-ünicode", "MetaStudio.InvalidSecurityToken" },
        { "HUAWEICLOUD_SDK_AK", "MSEMULATORDEMOAK0001\r\nX-Injected: yes", "MetaStudio.InvalidAccessKey" },
        { "HUAWEICLOUD_SDK_PROJECT_ID", "9a8b7c6d5e4f30211203f4e5d6c7b8a9\nX-Injected: yes", "MetaStudio.InvalidProjectId" },
    };

    [Theory]
    [MemberData(nameof(InjectedEnvironment))]
    public void AnInvalidEnvironmentValueNeverReachesTheWireAndTheErrorNamesTheVariable(string variable, string value, string errorId)
    {
        UseEnvironment();
        env.Set(variable, value);

        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0]", server.Store.Rooms[0].RoomId);

        Assert.NotNull(result.FirstError);
        Assert.Equal(errorId + ",MetaStudio.Commands.GetMSSmartLiveJobCommand", result.FirstError!.FullyQualifiedErrorId);
        Assert.Contains(variable, result.FirstError.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("X-Injected", result.FirstError.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.ReceivedCount); // nothing sent, nothing retried
    }

    [Fact]
    public void AnInvalidProfileFileValueNamesTheFileTheKeyAndTheLine()
    {
        string path = env.WriteProfile($"[basic]\nproject_id = {EmulatorOptions.DemoProjectId}\nak = {EmulatorOptions.DemoAccessKey}\rX-Injected: yes\nsk = {EmulatorOptions.DemoSecretKey}\n");
        env.Set("HUAWEICLOUD_SDK_REGION_METASTUDIO_CN_NORTH_4", server.BaseAddress.ToString());

        var result = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0]", server.Store.Rooms[0].RoomId);

        Assert.Equal("MetaStudio.InvalidAccessKey,MetaStudio.Commands.GetMSSmartLiveJobCommand", result.FirstError!.FullyQualifiedErrorId);
        Assert.Contains($"the profile file {path} (key ak, line 3)", result.FirstError.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, server.ReceivedCount);
    }

    [Fact]
    public void AParameterValueIsCheckedByTheSameRule()
    {
        var result = pwsh.Run("Connect-MSAccount -AccessKey $args[0] -SecretKey $args[1] -SecurityToken $args[2] -ProjectId $args[3] -Endpoint $args[4]",
            EmulatorOptions.DemoAccessKey, HostedPowerShell.Secure(EmulatorOptions.DemoSecretKey), HostedPowerShell.Secure("ok\nX-Injected: yes"),
            EmulatorOptions.DemoProjectId, server.BaseAddress.ToString());

        Assert.Equal("MetaStudio.InvalidSecurityToken,MetaStudio.Commands.ConnectMSAccountCommand", result.FirstError!.FullyQualifiedErrorId);
        Assert.Contains("-SecurityToken", result.FirstError.ToString(), StringComparison.Ordinal);
        Assert.Contains("U+000A", result.FirstError.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("fifo")]
    [InlineData("link to fifo")]
    [InlineData("link to /dev/zero")]
    public async Task AProfileFileThatIsNotARegularFileNeitherHangsNorExhaustsMemory(string kind)
    {
        string path = kind.Replace("link to ", string.Empty, StringComparison.Ordinal);
        if (path == "fifo")
        {
            Assert.False(OperatingSystem.IsWindows(), "FIFOs are a Unix thing; this suite runs on Linux");
            path = Path.Combine(env.Home, "credentials.fifo");
            using var mkfifo = Process.Start("mkfifo", path)!;
            mkfifo.WaitForExit();
            Assert.True(File.Exists(path), "mkfifo made no FIFO");
        }

        if (kind.StartsWith("link to ", StringComparison.Ordinal))
        {
            string link = Path.Combine(env.Home, "credentials.link");
            File.CreateSymbolicLink(link, path); // the link's own size is not its target's
            path = link;
        }

        env.Set("HUAWEICLOUD_SDK_CREDENTIALS_FILE", path);
        var run = Task.Run(() => pwsh.Run("Get-MSContext"));

        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20))) == run, "Get-MSContext hung on " + path);
        var result = await run;
        Assert.Matches("^MetaStudio.ProfileFile(WithoutCredentials|Unreadable),MetaStudio.Commands.GetMSContextCommand$", result.FirstError!.FullyQualifiedErrorId);
        Assert.Contains("not a regular file", result.FirstError.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AProfileFileLargerThan64KiBIsRefusedUnread()
    {
        string path = env.WriteProfile("[basic]\n" + new string('#', 70 * 1024) + "\n");
        env.Set("HUAWEICLOUD_SDK_CREDENTIALS_FILE", path);

        var result = pwsh.Run("Get-MSContext");

        Assert.Equal("MetaStudio.ProfileFileUnreadable,MetaStudio.Commands.GetMSContextCommand", result.FirstError!.FullyQualifiedErrorId);
        Assert.Contains("64 KiB", result.FirstError.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[basic]\nak = AKFIRST000000000001\nsk = secret-one\n[basic]\nproject_id = 0123456789abcdef0123456789abcdef\n", "second [basic] section at line 4 (the first is at line 1)")]
    [InlineData("[basic]\nak = AKFIRST000000000001\nsk = secret-one\nAK = AKSECOND00000000002\n", "sets AK twice in [basic], at lines 2 and 4")]
    public void DuplicateSectionsAndKeysAreErrorsNamingTheLines(string text, string expected)
    {
        env.WriteProfile(text);

        var result = pwsh.Run("Get-MSContext");

        Assert.Equal("MetaStudio.ProfileFileInvalid,MetaStudio.Commands.GetMSContextCommand", result.FirstError!.FullyQualifiedErrorId);
        Assert.Contains(expected, result.FirstError.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void AProfileFileOthersMayReadIsWarnedAbout()
    {
        Assert.False(OperatingSystem.IsWindows(), "Unix permissions; this suite runs on Linux");
        string path = env.WriteProfile($"[basic]\nak = {EmulatorOptions.DemoAccessKey}\nsk = {EmulatorOptions.DemoSecretKey}\nproject_id = {EmulatorOptions.DemoProjectId}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var loose = pwsh.Run("Get-MSContext");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var tight = pwsh.Run("Get-MSContext");

        Assert.Empty(loose.Errors);
        string warning = Assert.Single(loose.Warnings);
        Assert.Contains("0644", warning, StringComparison.Ordinal);
        Assert.Contains("chmod 600 " + path, warning, StringComparison.Ordinal);
        Assert.Empty(tight.Warnings);
    }
}
