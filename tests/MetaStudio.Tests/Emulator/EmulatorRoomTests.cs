using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using MetaStudio.Emulator;
using MetaStudio.Emulator.Data;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Emulator;

/// <summary>Nine generated rooms (every enumeration value) plus rooms given as JSON, for the room routes.</summary>
public sealed class RoomsFixture : EmulatorFixture
{
    public const string NoJobsRoom = "room-no-jobs";
    public const string CanceledRoom = "room-canceled";
    public const string StoredLastJobRoom = "room-stored-last-job";

    protected override EmulatorOptions CreateOptions() => new() { Port = 0, Seed = 7, Rooms = 9, JobsPerRoom = 4 };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var store = Server.Store;
        store.AddRoomJson("""
            {"room_id":"room-no-jobs","room_name":"Empty Room 空房间","room_type":"NORMAL","room_state":"ENABLE","confirm_state":"CONFIRMED",
             "model_infos":[{"model_asset_id":"model-quiet","asset_name":"Quiet Model"}],"future_field":{"x":1},"template_own_type":"SHARED_TO_OHTERS"}
            """);
        store.AddRoomJson("""{"room_id":"room-canceled","room_name":"Canceled Room","room_type":"TEMP"}""");
        store.AddJobs(CanceledRoom, new[]
        {
            """{"job_id":"c-1","state":"SUCCEED","create_time":"2026-03-01T00:00:00Z","start_time":"2026-03-01T00:00:05Z","end_time":"2026-03-01T01:00:00Z"}""",
            """{"job_id":"c-2","state":"CANCELED","create_time":"2026-03-02T00:00:00Z"}""",
        });
        store.AddRoomJson("""
            {"room_id":"room-stored-last-job","room_name":"Stored Last Job","update_time":"2026-02-01T00:00:00Z",
             "last_job_status":"FAILED","last_job_start_time":"2026-02-02T00:00:00Z","last_job_end_time":"2026-02-02T02:00:00Z"}
            """);
    }
}

/// <summary>ListSmartLiveRooms and ShowSmartLiveRoom (API reference §1.11–1.13).</summary>
public class EmulatorRoomTests : IClassFixture<RoomsFixture>, IDisposable
{
    // SmartLiveRoomBaseInfo (§1.12) and ShowSmartLiveRoom (§1.13), as the Python SDK models name them.
    private static readonly string[] BaseInfoFields =
    {
        "room_id", "project_id", "room_name", "room_type", "room_state", "view_mode", "error_info", "shared_config", "room_description",
        "cover_url", "thumbnail", "model_infos", "create_time", "update_time", "last_job_start_time", "last_job_end_time", "last_job_status",
        "priv_data", "confirm_state",
    };

    private static readonly string[] DetailFields =
    {
        "room_name", "room_description", "room_type", "scene_scripts", "interaction_config", "interaction_rules", "play_policy", "video_config",
        "output_urls", "stream_keys", "backup_model_asset_ids", "live_event_callback_config", "rtc_callback_config", "review_config", "shared_config",
        "view_mode", "co_streamer_config", "priv_data", "room_id", "relation_live_platform_info", "create_time", "update_time", "cover_url",
        "thumbnail", "room_state", "confirm_state", "script_version", "error_info",
    };

    private readonly RoomsFixture fixture;
    private readonly SignedHttp http;

    public EmulatorRoomTests(RoomsFixture fixture)
    {
        this.fixture = fixture;
        http = new SignedHttp(fixture.BaseAddress);
    }

    private JobStore Store => fixture.Server.Store;

    private string RoomsPath => $"/v1/{http.ProjectId}/smart-live-rooms";

    public void Dispose() => http.Dispose();

    private async Task<List<JsonElement>> ListAsync(params (string Key, string Value)[] query)
    {
        var page = await http.GetJsonAsync(RoomsPath, query.Append(("limit", "100")).ToArray());
        var rooms = page.GetProperty("smart_live_rooms").EnumerateArray().ToList();
        Assert.Equal(rooms.Count, page.GetProperty("count").GetInt32());
        return rooms;
    }

    private static List<string> Ids(IEnumerable<JsonElement> rooms) => rooms.Select(r => r.GetProperty("room_id").GetString()!).ToList();

    /// <summary>The room's last job computed independently: latest create time, the last added on a tie.</summary>
    private StoredJob? LastJob(string roomId) => Store.JobsOf(roomId).OrderBy(j => j.CreateTime).ThenBy(j => j.Sequence).LastOrDefault();

    [Fact]
    public async Task ListsEveryRoomInInsertionOrderWithTheCount()
    {
        var page = await http.GetJsonAsync(RoomsPath);
        Assert.Equal(Store.Rooms.Count, page.GetProperty("count").GetInt32());
        Assert.Equal(10, page.GetProperty("smart_live_rooms").GetArrayLength());
        Assert.Equal(Store.Rooms.Select(r => r.RoomId).ToList(), Ids(await ListAsync()));
    }

    [Fact]
    public async Task PagesCoverEveryRoomOnceInOrder()
    {
        var seen = new List<string>();
        for (int offset = 0; offset < Store.Rooms.Count; offset += 5)
        {
            var page = await http.GetJsonAsync(RoomsPath, ("offset", offset.ToString()), ("limit", "5"));
            seen.AddRange(Ids(page.GetProperty("smart_live_rooms").EnumerateArray()));
        }

        Assert.Equal(Store.Rooms.Select(r => r.RoomId).ToList(), seen);
        var beyond = await http.GetJsonAsync(RoomsPath, ("offset", "2147483647"));
        Assert.Equal(0, beyond.GetProperty("smart_live_rooms").GetArrayLength());
        Assert.Equal(Store.Rooms.Count, beyond.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task TheListingServesBaseInfoFieldsOnly()
    {
        var rooms = await ListAsync();

        foreach (var field in BaseInfoFields.Except(new[] { "priv_data", "shared_config", "error_info", "thumbnail", "room_description", "cover_url" }))
        {
            Assert.Contains(rooms, r => r.TryGetProperty(field, out _));
        }

        Assert.All(rooms, r =>
        {
            Assert.Equal(EmulatorOptionsProject, r.GetProperty("project_id").GetString());
            foreach (var detail in new[] { "scene_scripts", "stream_keys", "output_urls", "play_policy", "interaction_rules", "script_version" })
            {
                Assert.False(r.TryGetProperty(detail, out _), detail);
            }
        });
    }

    private static string EmulatorOptionsProject => EmulatorOptions.DemoProjectId;

    [Fact]
    public void FullyPopulatedRoomsCarryEveryDocumentedField()
    {
        var store = new JobStore();
        DemoDataGenerator.Populate(store, 5, 9, 2, fullyPopulated: true);

        Assert.All(store.Rooms, room =>
        {
            using var doc = JsonDocument.Parse(room.Json);
            var r = doc.RootElement;
            // Every field but those the server computes (project_id, last_job_*) is stored; error_info only on rooms that are not ENABLE.
            foreach (var field in BaseInfoFields.Concat(DetailFields).Distinct()
                         .Except(new[] { "project_id", "last_job_start_time", "last_job_end_time", "last_job_status", "error_info" }))
            {
                Assert.True(r.TryGetProperty(field, out _), $"{room.RoomId} lacks {field}");
            }

            Assert.Equal(room.RoomState != "ENABLE", r.TryGetProperty("error_info", out _));
            Assert.True(r.GetProperty("live_event_callback_config").TryGetProperty("is_inheritance_platform_callback", out _));
            Assert.All(r.GetProperty("scene_scripts").EnumerateArray(), s => Assert.InRange(s.GetProperty("shoot_scripts").GetArrayLength(), 1, 3));
            Assert.Equal(r.GetProperty("output_urls").GetArrayLength(), r.GetProperty("stream_keys").GetArrayLength());
        });
    }

    [Fact]
    public void NineGeneratedRoomsShowEveryEnumerationValueAndTheFirstThreeCanStartJobs()
    {
        var rooms = Store.Rooms.Take(9).ToList();

        Assert.Equal(new[] { "NORMAL", "TEMP", "TEMPLATE" }, rooms.Select(r => r.RoomType).Distinct().OrderBy(x => x));
        Assert.Equal(new[] { "BLOCKED", "DISABLE", "ENABLE" }, rooms.Select(r => r.RoomState).Distinct().OrderBy(x => x));
        Assert.Equal(new[] { "CONFIRMED", "REJECT", "UNCONFIRM" }, rooms.Select(r => r.ConfirmState).Distinct().OrderBy(x => x));
        Assert.Equal(new[] { "OWNED", "PUBLIC", "SHARED_FROM_OHTERS", "SHARED_TO_OHTERS" }, rooms.Select(r => r.TemplateOwnType).Distinct().OrderBy(x => x));
        Assert.All(rooms.Take(3), r => Assert.Equal(("NORMAL", "ENABLE"), (r.RoomType, r.RoomState)));
        Assert.Contains(rooms, r => r.RoomName.Any(c => c >= 0x4E00 && c <= 0x9FFF));
    }

    [Fact]
    public void RoomFieldsDoNotChangeTheJobsOfASeed()
    {
        // The playground's data (seed 2026, 3 rooms of 40 jobs), as the README's quick start shows it.
        var store = new JobStore();
        DemoDataGenerator.Populate(store, 2026, 3, 40);

        Assert.Equal("7d649d8b-8a6d-5e86-ce62-136384f56c11", store.Rooms[0].RoomId);
        var first = store.JobsOf(store.Rooms[0].RoomId).OrderBy(j => j.CreateTime).ThenBy(j => j.JobId, StringComparer.Ordinal).First();
        Assert.Equal("0fd57f96-b6bb-76b8-d28f-e61308a47899", first.JobId);
    }

    [Fact]
    public void TheSameSeedGivesTheSameRooms()
    {
        static string Dump(int seed)
        {
            var store = new JobStore();
            DemoDataGenerator.Populate(store, seed, 4, 1);
            return string.Join("\n", store.Rooms.Select(r => System.Text.Encoding.UTF8.GetString(r.Json)));
        }

        Assert.Equal(Dump(11), Dump(11));
        Assert.NotEqual(Dump(11), Dump(12));
    }

    [Fact]
    public async Task ShowServesTheDetailFieldsAndNotTheListingOnes()
    {
        foreach (var room in Store.Rooms.Take(9))
        {
            var shown = await http.GetJsonAsync($"{RoomsPath}/{room.RoomId}");
            Assert.Equal(room.RoomId, shown.GetProperty("room_id").GetString());
            Assert.True(shown.GetProperty("scene_scripts").GetArrayLength() >= 1);
            Assert.True(shown.TryGetProperty("script_version", out _));
            foreach (var name in DetailFields)
            {
                if (shown.TryGetProperty(name, out _))
                {
                    continue;
                }

                using var stored = JsonDocument.Parse(room.Json);
                Assert.False(stored.RootElement.TryGetProperty(name, out _), $"{name} is stored but not shown");
            }

            foreach (var listOnly in new[] { "project_id", "model_infos", "last_job_status", "last_job_start_time", "last_job_end_time" })
            {
                Assert.False(shown.TryGetProperty(listOnly, out _), listOnly);
            }
        }
    }

    [Fact]
    public async Task UnknownRoomIs404WithTheRoomCode()
    {
        using var response = await http.GetAsync($"{RoomsPath}/no-such-room");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var (code, message) = await SignedHttp.ErrorOf(response);
        Assert.Equal("MSS.10001004", code);
        Assert.Contains("no-such-room", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LastJobFieldsFollowTheRoomsJobs()
    {
        var rooms = await ListAsync();
        foreach (var room in rooms)
        {
            string id = room.GetProperty("room_id").GetString()!;
            var last = LastJob(id);
            if (last is null)
            {
                continue;
            }

            Assert.Equal(last.State, room.GetProperty("last_job_status").GetString());
            Assert.Equal(last.StartTime is { } s ? DemoDataGenerator.Format(s) : null,
                room.TryGetProperty("last_job_start_time", out var st) ? st.GetString() : null);
            Assert.Equal(last.EndTime is { } e ? DemoDataGenerator.Format(e) : null,
                room.TryGetProperty("last_job_end_time", out var et) ? et.GetString() : null);
        }

        var canceled = rooms.Single(r => r.GetProperty("room_id").GetString() == RoomsFixture.CanceledRoom);
        Assert.Equal("CANCELED", canceled.GetProperty("last_job_status").GetString());
        var none = rooms.Single(r => r.GetProperty("room_id").GetString() == RoomsFixture.NoJobsRoom);
        Assert.False(none.TryGetProperty("last_job_status", out _));
        var stored = rooms.Single(r => r.GetProperty("room_id").GetString() == RoomsFixture.StoredLastJobRoom);
        Assert.Equal("FAILED", stored.GetProperty("last_job_status").GetString());
        Assert.Equal("2026-02-02T02:00:00Z", stored.GetProperty("last_job_end_time").GetString());
    }

    [Fact]
    public async Task RoomsGivenAsJsonAreServedAsGivenWithoutTheEmulatorsOwnKeys()
    {
        var listed = (await ListAsync(("room_name", "空房间"))).Single();
        Assert.Equal(1, listed.GetProperty("future_field").GetProperty("x").GetInt32());
        Assert.False(listed.TryGetProperty("template_own_type", out _));
        var shown = await http.GetJsonAsync($"{RoomsPath}/{RoomsFixture.NoJobsRoom}");
        Assert.Equal(1, shown.GetProperty("future_field").GetProperty("x").GetInt32());
        Assert.False(shown.TryGetProperty("model_infos", out _));
    }

    [Theory]
    [InlineData("WAITING")]
    [InlineData("PROCESSING")]
    [InlineData("SUCCESS")]
    [InlineData("FAILED")]
    [InlineData("CANCELED")]
    [InlineData("NULL")]
    public async Task LiveStateMatchesTheLastJob(string liveState)
    {
        var expected = Store.Rooms.Where(r =>
        {
            string? status = LastJob(r.RoomId)?.State ?? (r.RoomId == RoomsFixture.StoredLastJobRoom ? "FAILED" : null);
            return (status switch { null => "NULL", "SUCCEED" => "SUCCESS", var s => s }) == liveState;
        }).Select(r => r.RoomId).ToList();

        Assert.Equal(expected, Ids(await ListAsync(("live_state", liveState))));
        if (liveState is "NULL" or "CANCELED")
        {
            Assert.NotEmpty(expected);
        }
    }

    [Fact]
    public async Task LiveStateTakesACommaListAndRepeats()
    {
        var both = Ids(await ListAsync(("live_state", "NULL,CANCELED")));
        Assert.Equal(new[] { RoomsFixture.NoJobsRoom, RoomsFixture.CanceledRoom }, both);

        var page = await http.GetJsonAsync(RoomsPath, ("live_state", "NULL"), ("live_state", "CANCELED"));
        Assert.Equal(2, page.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task RoomNameIsACaseInsensitiveSubstring()
    {
        Assert.Equal(new[] { RoomsFixture.NoJobsRoom }, Ids(await ListAsync(("room_name", "empty room"))));
        var chinese = Ids(await ListAsync(("room_name", "直播")));
        Assert.Equal(Store.Rooms.Where(r => r.RoomName.Contains("直播", StringComparison.Ordinal)).Select(r => r.RoomId), chinese);
        Assert.NotEmpty(chinese);
    }

    [Fact]
    public async Task ModelNameIsAFuzzyMatchOnModelInfos()
    {
        Assert.Equal(new[] { RoomsFixture.NoJobsRoom }, Ids(await ListAsync(("model_name", "QUIET"))));
        var hosts = Ids(await ListAsync(("model_name", "ethan")));
        Assert.Equal(Store.Rooms.Where(r => r.ModelNames.Any(n => n.Contains("Ethan", StringComparison.Ordinal))).Select(r => r.RoomId), hosts);
        Assert.NotEmpty(hosts);
    }

    [Fact]
    public async Task DhIdMatchesASceneScriptsDigitalHumanOrAModelAsset()
    {
        var room = Store.Rooms[4];
        Assert.Equal(new[] { room.RoomId }, Ids(await ListAsync(("dh_id", room.DhIds[0]))));
        Assert.Equal(new[] { RoomsFixture.NoJobsRoom }, Ids(await ListAsync(("dh_id", "model-quiet"))));
        Assert.Empty(await ListAsync(("dh_id", "nobody")));
    }

    [Theory]
    [InlineData("room_type", "TEMPLATE")]
    [InlineData("room_type", "TEMP")]
    [InlineData("room_type", "NORMAL")]
    [InlineData("template_own_type", "OWNED")]
    [InlineData("template_own_type", "SHARED_TO_OHTERS")]
    [InlineData("template_own_type", "SHARED_FROM_OHTERS")]
    [InlineData("template_own_type", "PUBLIC")]
    [InlineData("confirm_state", "unconfirm")]
    [InlineData("confirm_state", "confirmed")]
    [InlineData("confirm_state", "reject")]
    public async Task EnumerationFiltersMatchExactly(string name, string value)
    {
        Func<StoredRoom, string?> field = name switch
        {
            "room_type" => r => r.RoomType,
            "template_own_type" => r => r.TemplateOwnType,
            _ => r => r.ConfirmState?.ToLowerInvariant(),
        };
        var expected = Store.Rooms.Where(r => field(r) == value).Select(r => r.RoomId).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, Ids(await ListAsync((name, value))));
    }

    [Fact]
    public async Task StartAndEndTimeBoundTheLastJob()
    {
        var rooms = Store.Rooms.Select(r => (r.RoomId, Last: LastJob(r.RoomId))).Where(x => x.Last?.StartTime != null).ToList();
        var pivot = rooms.Select(x => x.Last!.StartTime!.Value).OrderBy(t => t).ElementAt(rooms.Count / 2);

        var since = Ids(await ListAsync(("start_time", DemoDataGenerator.Format(pivot))));
        Assert.Equal(rooms.Where(x => x.Last!.StartTime >= pivot).Select(x => x.RoomId).ToList(), since.Where(id => id != RoomsFixture.StoredLastJobRoom));
        Assert.Contains(pivot, rooms.Where(x => since.Contains(x.RoomId)).Select(x => x.Last!.StartTime!.Value)); // inclusive

        var ended = rooms.Where(x => x.Last!.EndTime != null).Select(x => x.Last!.EndTime!.Value).OrderBy(t => t).ToList();
        var until = ended[ended.Count / 2];
        var before = Ids(await ListAsync(("end_time", DemoDataGenerator.Format(until))));
        Assert.Equal(rooms.Where(x => x.Last!.EndTime <= until).Select(x => x.RoomId).ToList(), before.Where(id => id != RoomsFixture.StoredLastJobRoom));

        // Rooms without a last job (or one that has not ended) never match a time bound.
        Assert.DoesNotContain(RoomsFixture.NoJobsRoom, since);
        Assert.DoesNotContain(RoomsFixture.NoJobsRoom, before);
    }

    [Theory]
    [InlineData("offset", "-1")]
    [InlineData("offset", "2147483648")]
    [InlineData("limit", "0")]
    [InlineData("limit", "101")]
    [InlineData("live_state", "SUCCEED")]
    [InlineData("live_state", "waiting")]
    [InlineData("live_state", "BLOCKED")]
    [InlineData("start_time", "2026-01-01")]
    [InlineData("end_time", "2026-01-01T00:00:00")]
    [InlineData("room_type", "normal")]
    [InlineData("template_own_type", "SHARED_TO_OTHERS")]
    [InlineData("confirm_state", "CONFIRMED")]
    public async Task BadValuesAre400NamingTheParameter(string name, string value)
    {
        using var response = await http.GetAsync(RoomsPath, (name, value));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message) = await SignedHttp.ErrorOf(response);
        Assert.Equal("MSS.00000003", code);
        Assert.Contains(name, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedParametersOtherThanLiveStateAre400()
    {
        using var response = await http.GetAsync(RoomsPath, ("room_type", "NORMAL"), ("room_type", "TEMP"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("room_type", (await SignedHttp.ErrorOf(response)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataFileRoomsCarryTheirFieldsAndJobs()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                {"rooms":[{"room_id":"file-room","room_name":"文件直播间","room_type":"TEMPLATE","template_own_type":"PUBLIC","room_state":"BLOCKED",
                  "scene_scripts":[{"script_name":"s","shoot_scripts":[]}],"brand_new":"kept",
                  "jobs":[{"job_id":"j1","state":"PROCESSING","create_time":"2026-02-01T00:00:00Z","start_time":"2026-02-01T00:00:10Z"}]}]}
                """);
            await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, DataFile = path });
            using var client = new SignedHttp(server.BaseAddress);

            var page = await client.GetJsonAsync($"/v1/{client.ProjectId}/smart-live-rooms", ("template_own_type", "PUBLIC"), ("live_state", "PROCESSING"));
            var room = page.GetProperty("smart_live_rooms").EnumerateArray().Single();
            Assert.Equal("kept", room.GetProperty("brand_new").GetString());
            Assert.Equal("BLOCKED", room.GetProperty("room_state").GetString());
            Assert.Equal("2026-02-01T00:00:10Z", room.GetProperty("last_job_start_time").GetString());
            Assert.False(room.TryGetProperty("jobs", out _));
            Assert.False(room.TryGetProperty("scene_scripts", out _));

            var shown = await client.GetJsonAsync($"/v1/{client.ProjectId}/smart-live-rooms/file-room");
            Assert.Equal("s", shown.GetProperty("scene_scripts")[0].GetProperty("script_name").GetString());
            Assert.False(shown.TryGetProperty("jobs", out _));
            Assert.False(shown.TryGetProperty("template_own_type", out _));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
