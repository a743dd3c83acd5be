using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Models;
using MetaStudio.Playground;
using MetaStudio.Tests.Jobs;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Experience;

/// <summary>What a user sees: the engine's own formatting of jobs and contexts, and what Export-Csv writes.</summary>
public class FormattingTests : IClassFixture<JobsFixture>, IDisposable
{
    private readonly JobsFixture fixture;
    private readonly StringWriter screen = new();
    private readonly PlaygroundSession session;

    public FormattingTests(JobsFixture fixture)
    {
        this.fixture = fixture;
        session = new PlaygroundSession(screen, RepoPaths.StagedManifest);
        Assert.True(session.Run($"$sk = ConvertTo-SecureString '{MetaStudio.Emulator.EmulatorOptions.DemoSecretKey}' -AsPlainText -Force; " +
                                $"Connect-MSAccount -AccessKey {MetaStudio.Emulator.EmulatorOptions.DemoAccessKey} -SecretKey $sk -ProjectId {MetaStudio.Emulator.EmulatorOptions.DemoProjectId} -Endpoint {fixture.BaseAddress}"));
        screen.GetStringBuilder().Clear();
    }

    public void Dispose() => session.Dispose();

    private string[] Show(string command)
    {
        Assert.True(session.Run(command), screen.ToString());
        return screen.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
    }

    /// <summary>Terminal cells: East Asian wide characters take two.</summary>
    private static int Cells(string line) => line.Sum(c => c >= 0x1100 && (c <= 0x115F || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6)) ? 2 : 1);

    [Fact]
    public void JobsShowAsATableThatFits120Columns()
    {
        var lines = Show($"Get-MSSmartLiveJob -RoomId {JobsFixture.FieldsRoom}; Get-MSSmartLiveJob -RoomId {fixture.Server.Store.Rooms[0].RoomId} -First 20");

        Assert.Matches(@"^JobId\s+State\s+Start \(UTC\)\s+Hours\s+Error\s+RoomName$", lines[0]);
        Assert.All(lines, l => Assert.True(Cells(l) <= 120, $"{Cells(l)} cells: {l}"));
        string full = lines.Single(l => l.StartsWith("full-job", StringComparison.Ordinal));
        Assert.Matches(@"^full-job\s+FAILED\s+03-01 08:00\s+1:02 MSS\.42000007 字段直播间$", full);
        string sparse = lines.Single(l => l.StartsWith("sparse-job", StringComparison.Ordinal));
        Assert.Matches(@"^sparse-job\s+WAITING\s+字段直播间$", sparse);
        Assert.DoesNotContain(lines, l => l.Contains("MetaStudio.Client", StringComparison.Ordinal));
    }

    [Fact]
    public void JobsShowAsATableThatFits80ColumnsWithEveryKeyColumn()
    {
        // The non-interactive default width: 79 usable cells, separators included.
        using var narrow = new StringWriter();
        using (var session = new PlaygroundSession(narrow, RepoPaths.StagedManifest, width: 80))
        {
            Assert.True(session.Run($"$sk = [securestring]::new(); '{MetaStudio.Emulator.EmulatorOptions.DemoSecretKey}'.ToCharArray() | ForEach-Object {{ $sk.AppendChar($_) }}; " +
                                    $"Connect-MSAccount -AccessKey {MetaStudio.Emulator.EmulatorOptions.DemoAccessKey} -SecretKey $sk -ProjectId {MetaStudio.Emulator.EmulatorOptions.DemoProjectId} -Endpoint {fixture.BaseAddress}"));
            Assert.True(session.Run($"Get-MSSmartLiveJob -RoomId {JobsFixture.FieldsRoom}; Get-MSSmartLiveJob -RoomId {fixture.Server.Store.Rooms[0].RoomId} -First 20"), narrow.ToString());
        }

        var lines = narrow.ToString().Split('\n').Select(l => l.TrimEnd('\r', ' ')).Where(l => l.Length > 0).ToArray();
        Assert.All(lines, l => Assert.True(Cells(l) <= 79, $"{Cells(l)} cells: {l}"));
        Assert.Matches(@"^JobId\s+State\s+Start \(UTC\)\s+Hours\s+Error$", lines[0]); // one header line: nothing wraps
        Assert.Matches(@"^-----\s+-----\s+-----------\s+-----\s+-----$", lines[1]);
        Assert.Matches(@"^full-job\s+FAILED\s+03-01 08:00\s+1:02 MSS\.42000007$", lines.Single(l => l.StartsWith("full-job", StringComparison.Ordinal)));
        Assert.Matches(@"^sparse-job\s+WAITING$", lines.Single(l => l.StartsWith("sparse-job", StringComparison.Ordinal)));
        var rows = lines.Where(l => Regex.IsMatch(l, "^[0-9a-f]{8}-")).ToList();
        Assert.Equal(20, rows.Count);
        Assert.All(rows, r => Assert.Matches(@"^[0-9a-f-]{36} (WAITING|PROCESSING|SUCCEED|FAILED|BLOCKED)( +\d\d-\d\d \d\d:\d\d)?( +\d+:\d\d)?( +MSS\.\d{8})?$", r));
    }

    [Fact]
    public void FormatWideShowsJobIds()
    {
        var ids = fixture.Server.DefaultOrder(fixture.Server.Store.Rooms[0].RoomId).Take(4).ToList();

        string text = string.Join("\n", Show($"Get-MSSmartLiveJob -RoomId {fixture.Server.Store.Rooms[0].RoomId} -First 4 | Format-Wide"));

        Assert.All(ids, id => Assert.Contains(id, text, StringComparison.Ordinal));
    }

    [Fact]
    public void ViewsShowControlCharactersFromTheServiceAsVisibleEscapes()
    {
        const string Hostile = "Room \u001b]0;pwned\u0007\u001b[2J\u009b31m\u202Eend";
        string room = fixture.Server.Store.AddRoom("view-escape-room", Hostile).RoomId;
        fixture.Server.Store.AddJobs(room, new[]
        {
            "{\"job_id\":\"view-esc\\u001b[31m\",\"room_id\":\"" + room + "\",\"room_name\":" + System.Text.Json.JsonSerializer.Serialize(Hostile) +
            ",\"state\":\"FAILED\",\"create_time\":\"2026-01-01T00:00:00Z\",\"block_reason\":" + System.Text.Json.JsonSerializer.Serialize(Hostile) +
            ",\"error_info\":{\"error_code\":\"MSS.\\u001b[5m\",\"error_msg\":" + System.Text.Json.JsonSerializer.Serialize(Hostile) + "}}",
        });

        foreach (string view in new[] { "Format-Table", "Format-List", "Format-Wide", "Out-String -Width 200" })
        {
            screen.GetStringBuilder().Clear();
            string text = string.Join("\n", Show($"Get-MSSmartLiveJob -RoomId {room} | {view}"));

            Assert.Contains("view-esc`e[31m", text, StringComparison.Ordinal);
            Assert.DoesNotContain(text, c => c is '\u001b' or '\u0007' or '\u009b' or '\u202E');
        }
    }

    [Fact]
    public void TheLiveEventReportKeyIsMaskedInViewsButKeptOnTheObject()
    {
        // The report URL's auth_key lets anyone who has it put events (comments, questions) into the live.
        const string Key = "c0ffee0123456789abcdef0123456789";
        const string Url = "https://live.example.com/v1/p/smart-live-rooms/r/smart-live-jobs/j/live-event-report?Auth_Key=" + Key + "&expires_time=1796139658";
        string room = fixture.Server.Store.AddRoom("report-key-room", "report key room").RoomId;
        fixture.Server.Store.AddJobs(room, new[]
        {
            "{\"job_id\":\"report-key-job\",\"state\":\"PROCESSING\",\"create_time\":\"2026-01-01T00:00:00Z\",\"live_event_report_url\":\"" + Url + "\"}",
        });

        string text = string.Join("\n", Show($"Get-MSSmartLiveJob -RoomId {room} | Format-List | Out-String -Width 400"));
        Assert.Contains("live-event-report?Auth_Key=***&expires_time=1796139658", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Key[..12], text, StringComparison.Ordinal);

        screen.GetStringBuilder().Clear();
        Assert.Equal(Url, Show($"(Get-MSSmartLiveJob -RoomId {room}).LiveEventReportUrl").Single());
    }

    [Fact]
    public void OnlyFailedJobsShowAnErrorCodeInTheTable()
    {
        var rows = Show($"Get-MSSmartLiveJob -RoomId {fixture.Server.Store.Rooms[0].RoomId}").Skip(2).ToList();

        Assert.Contains(rows, r => r.Contains(" FAILED ", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Equal(r.Contains(" FAILED ", StringComparison.Ordinal), r.Contains(" MSS.", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheContextShowsAsAListWithoutSecrets()
    {
        var lines = Show("Get-MSContext");

        Assert.Equal("AuthType    : AkSk", lines[0]);
        Assert.Equal("AccessKeyId : MSEM****************", lines[1]);
        Assert.Contains(lines, l => l == "Sources     : credentials: Parameter, project: Parameter");
        Assert.Contains(lines, l => l == "              region: Default, endpoint: Parameter");
        Assert.Contains(lines, l => l.StartsWith("Endpoints   : http://127.0.0.1:", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length <= 79, l)); // reads well at 80 columns
        Assert.DoesNotContain(lines, l => l.Contains(MetaStudio.Emulator.EmulatorOptions.DemoSecretKey, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryPropertyAViewNamesExists()
    {
        var doc = XDocument.Load(Path.Combine(RepoPaths.StagedModuleDirectory, "MetaStudio.Format.ps1xml"));
        static Type TypeOf(string typeName) => typeName switch
        {
            "MetaStudio.Client.Models.SmartLiveJob" => typeof(SmartLiveJob),
            "MetaStudio.Client.Connection.MetaStudioContext" => typeof(MetaStudioContext),
            "MetaStudio.Client.Models.SmartLiveRoom" => typeof(SmartLiveRoom),
            "MetaStudio.Client.Models.StartedSmartLiveJob" => typeof(StartedSmartLiveJob),
            "MetaStudio.Client.Models.SmartLiveCommandResult" => typeof(SmartLiveCommandResult),
            "MetaStudio.Client.Models.InsertCommand" => typeof(InsertCommand),
            _ when typeName.StartsWith("MetaStudio.Client.LiveEvents.", StringComparison.Ordinal) =>
                typeof(MetaStudio.Client.LiveEvents.LiveEvent).Assembly.GetType(typeName) ?? throw new InvalidOperationException($"A view for an unknown type: {typeName}"),
            _ => throw new InvalidOperationException($"A view for an unknown type: {typeName}"),
        };

        foreach (var view in doc.Descendants("View"))
        {
            string viewType = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value;
            // An entry selected by a derived type (the live events' list view) may name that type's own properties.
            var entries = view.Descendants().Where(e => e.Name == "ListEntry" || e.Name == "TableRowEntry" || e.Name == "WideEntry").ToList();
            foreach (var entry in entries)
            {
                string typeName = entry.Element("EntrySelectedBy")?.Element("TypeName")?.Value ?? viewType;
                var type = TypeOf(typeName);
                foreach (var name in entry.Descendants("PropertyName").Select(p => p.Value))
                {
                    Assert.True(type.GetProperty(name) != null, $"{typeName} has no property {name}");
                }

                foreach (var script in entry.Descendants("ScriptBlock").Select(s => s.Value))
                {
                    foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(script, @"\$_\.(\w+)"))
                    {
                        string member = m.Groups[1].Value;
                        Assert.True(type.GetProperty(member) != null || member.EndsWith("Span", StringComparison.Ordinal), $"{typeName} view uses $_.{member}");
                    }
                }
            }
        }

        Assert.Equal(3, doc.Descendants("View").Count(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == "MetaStudio.Client.Models.SmartLiveJob"));
        Assert.Equal(3, doc.Descendants("View").Count(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == "MetaStudio.Client.Models.SmartLiveRoom"));
    }

    [Fact]
    public void DurationSpansAreTimeSpansFromTheTypesFile()
    {
        var lines = Show($"Get-MSSmartLiveJob -RoomId {JobsFixture.FieldsRoom} -JobId {JobsFixture.FullJobId} | ForEach-Object {{ $_.DurationSpan.GetType().Name; $_.DurationSpan.ToString(); $_.StreamDurationSpan.ToString() }}");
        Assert.Equal(new[] { "TimeSpan", "01:02:04", "01:00:00" }, lines);
    }

    [Fact]
    public void ExportCsvCellsAreReadableTextNotTypeNames()
    {
        // The real Export-Csv, every property (the types file's included), read back with Import-Csv.
        string csv = Path.Combine(Path.GetTempPath(), $"metastudio-{Guid.NewGuid():N}.csv");
        try
        {
            var cells = Show($"Get-MSSmartLiveJob -RoomId {JobsFixture.FieldsRoom} | Export-Csv -LiteralPath '{csv}' -NoTypeInformation; " +
                             $"Import-Csv -LiteralPath '{csv}' | ForEach-Object {{ foreach ($p in $_.PSObject.Properties) {{ '{{0}}={{1}}' -f $p.Name, $p.Value }} }}");
            string text = File.ReadAllText(csv);

            Assert.Contains("DurationSpan=01:02:04", cells);
            Assert.Contains("ErrorInfo=MSS.42000007: Infer Error", cells);
            Assert.Contains("LiveEventCallbackConfig=https://cb.example.com/x (MSS_A; SHOOT_SCRIPT_SWITCH,REPLY_COMMAND_FINISH)", cells);
            Assert.Contains("JobId=full-job", cells);
            Assert.Contains("JobId=sparse-job", cells);
            Assert.All(new[] { "System.", "MetaStudio.Client", "CALLBACK-KEY-SECRET", "RTC-SIGNATURE-SECRET" }, bad =>
            {
                Assert.DoesNotContain(bad, text, StringComparison.Ordinal);
                Assert.All(cells, c => Assert.DoesNotContain(bad, c, StringComparison.Ordinal));
            });
        }
        finally
        {
            File.Delete(csv);
        }
    }
}
