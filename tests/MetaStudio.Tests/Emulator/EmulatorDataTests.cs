using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using MetaStudio.Emulator;
using MetaStudio.Emulator.Data;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Emulator;

/// <summary>The data the emulator serves, and how it is started.</summary>
public class EmulatorDataTests
{
    // Every documented SmartLiveJob field (API reference §1.5) and its nested objects' fields (§1.6).
    private static readonly string[] JobFields =
    {
        "job_id", "room_id", "room_name", "state", "duration", "start_time", "end_time", "error_info", "create_time",
        "lastupdate_time", "rtc_room_info", "live_event_report_url", "live_event_callback_config", "rtc_callback_config",
        "stream_duration", "block_reason", "cover_url", "co_streamer_config", "live_job_log", "relation_live_platform_info",
        "used_resource_type", "is_ai_mark_on",
    };

    private static List<JsonElement> Generate(int seed, int rooms, int jobs, bool full = false)
    {
        var store = new JobStore();
        DemoDataGenerator.Populate(store, seed, rooms, jobs, full);
        return store.Rooms.SelectMany(r => store.JobsOf(r.RoomId)).Select(j => JsonDocument.Parse(j.Json).RootElement).ToList();
    }

    [Fact]
    public void GeneratedJobsUseEveryDocumentedFieldAndState()
    {
        var jobs = Generate(1, 3, 200);

        foreach (var field in JobFields)
        {
            Assert.Contains(jobs, j => j.TryGetProperty(field, out _));
        }

        foreach (var state in DemoDataGenerator.States)
        {
            Assert.Contains(jobs, j => j.GetProperty("state").GetString() == state);
        }

        Assert.Contains(jobs, j => j.TryGetProperty("rtc_room_info", out var r) && r.GetProperty("users")[0].TryGetProperty("ctime", out _));
        Assert.Contains(jobs, j => j.TryGetProperty("live_job_log", out var l) && l.TryGetProperty("command_reviced_records_url", out _));
        Assert.Contains(jobs, j => j.TryGetProperty("co_streamer_config", out var c) && c.GetProperty("voice_config").TryGetProperty("voice_asset_id", out _));
        Assert.All(jobs.Where(j => j.GetProperty("state").GetString() == "FAILED"), j => Assert.StartsWith("MSS.", j.GetProperty("error_info").GetProperty("error_code").GetString(), StringComparison.Ordinal));
        Assert.All(jobs.Where(j => j.GetProperty("state").GetString() == "WAITING"), j => Assert.False(j.TryGetProperty("start_time", out _)));
    }

    [Fact]
    public void SomeOptionalFieldsAreAbsentUnlessFullyPopulated()
    {
        Assert.Contains(Generate(1, 2, 100), j => !j.TryGetProperty("cover_url", out _));
        Assert.All(Generate(1, 2, 100, full: true), j =>
        {
            foreach (var field in new[] { "cover_url", "live_event_callback_config", "rtc_callback_config", "co_streamer_config", "relation_live_platform_info", "live_job_log" })
            {
                Assert.True(j.TryGetProperty(field, out _), field);
            }
        });
    }

    [Fact]
    public void CreateTimesRepeatInRunsAndRoomNamesIncludeChinese()
    {
        var store = new JobStore();
        DemoDataGenerator.Populate(store, 3, 3, 200);

        var jobs = store.JobsOf(store.Rooms[0].RoomId);
        Assert.True(jobs.GroupBy(j => j.CreateTime).Max(g => g.Count()) >= 3, "expected runs of identical create times");
        Assert.Contains(store.Rooms, r => r.RoomName.Any(c => c >= 0x4E00 && c <= 0x9FFF));
        // Served as UTF-8, not \\u escapes.
        Assert.Contains("直播间", Encoding.UTF8.GetString(jobs[0].Json), StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameSeedGivesTheSameData()
    {
        static string Dump(int seed) => string.Join("\n", Generate(seed, 2, 50).Select(j => j.GetRawText()));

        Assert.Equal(Dump(11), Dump(11));
        Assert.NotEqual(Dump(11), Dump(12));
    }

    [Fact]
    public async Task DataFileIsServedVerbatimIncludingUnknownFields()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                {"rooms":[{"room_id":"room-a","room_name":"文件直播间","jobs":[
                  {"job_id":"j1","state":"SUCCEED","create_time":"2026-02-01T00:00:00Z","future_field":{"x":1},"used_resource_type":"BRAND_NEW"},
                  {"job_id":"j2","state":"PAUSED","create_time":"2026-02-02T00:00:00Z"}]}]}
                """);
            var options = new EmulatorOptions { Port = 0, DataFile = path };
            await using var server = await EmulatorServer.StartAsync(options);
            using var http = new SignedHttp(server.BaseAddress);

            var page = await http.GetJsonAsync(http.RoomJobs("room-a"));
            var jobs = page.GetProperty("smart_live_jobs").EnumerateArray().ToList();

            Assert.Equal(2, page.GetProperty("count").GetInt32());
            Assert.Equal(1, jobs[0].GetProperty("future_field").GetProperty("x").GetInt32());
            Assert.Equal("BRAND_NEW", jobs[0].GetProperty("used_resource_type").GetString());
            Assert.Equal("文件直播间", jobs[1].GetProperty("room_name").GetString());
            Assert.Equal("room-a", jobs[1].GetProperty("room_id").GetString());
            Assert.Equal(1, (await http.GetJsonAsync(http.RoomJobs("room-a"), ("state", "PAUSED"))).GetProperty("count").GetInt32());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task CommandLineStartsAndNamesUrlProjectAndCredentials()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "MetaStudio.Emulator.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--port", "0", "--rooms", "2", "--jobs-per-room", "4", "--rate-limit", "20" })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        try
        {
            var lineTask = process.StandardOutput.ReadLineAsync();
            Assert.True(await Task.WhenAny(lineTask, Task.Delay(TimeSpan.FromSeconds(30))) == lineTask, "the emulator printed nothing within 30 s");
            string line = (await lineTask)!;

            Assert.Matches(@"^MetaStudio emulator on http://127\.0\.0\.1:\d+ ", line);
            Assert.Contains(EmulatorOptions.DemoProjectId, line, StringComparison.Ordinal);
            Assert.Contains(EmulatorOptions.DemoAccessKey, line, StringComparison.Ordinal);
            Assert.Contains(EmulatorOptions.DemoSecretKey, line, StringComparison.Ordinal);
            Assert.Contains("2 rooms, 8 jobs", line, StringComparison.Ordinal);

            var url = new Uri(line.Split(' ')[3]);
            using var http = new SignedHttp(url);
            var page = await http.GetJsonAsync(http.AllJobs);
            Assert.Equal(8, page.GetProperty("count").GetInt32());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task BadCommandLinesExitWithUsage()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "MetaStudio.Emulator.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--fault", "explode" })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Unknown fault kind 'explode'", error, StringComparison.Ordinal);
    }
}
