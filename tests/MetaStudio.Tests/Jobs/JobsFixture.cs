using System.Threading.Tasks;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;

namespace MetaStudio.Tests.Jobs;

/// <summary>
/// An emulator with three generated rooms of 250 jobs (three pages of 100) and a room of
/// hand-written jobs: one with every documented field, one with only the required ones, and one
/// from the future (unknown fields and enum values).
/// </summary>
public sealed class JobsFixture : EmulatorFixture
{
    public const string FieldsRoom = "fields-room";
    public const string FullJobId = "full-job";
    public const string SparseJobId = "sparse-job";
    public const string FutureJobId = "future-job";

    public const string FullJobJson = """
        {"job_id":"full-job","room_id":"fields-room","room_name":"字段直播间","state":"FAILED","duration":3723.5,
         "start_time":"2026-03-01T08:00:05Z","end_time":"2026-03-01T09:02:08.500+08:00",
         "error_info":{"error_code":"MSS.42000007","error_msg":"Infer Error"},
         "create_time":"2026-03-01T08:00:00Z","lastupdate_time":"2026-03-01T09:02:09Z",
         "rtc_room_info":{"app_id":"rtc-app-1","room_id":"rtc-room-1","users":[
            {"user_type":"RENDER","user_id":"render-1","signature":"RTC-SIGNATURE-SECRET","ctime":1772352000},
            {"user_type":"PLAYER","user_id":"player-2","signature":"RTC-SIGNATURE-2","ctime":1772352000}]},
         "live_event_report_url":"https://report.example.com/e/full-job",
         "live_event_callback_config":{"live_event_type_callback_url":"https://cb.example.com/x","auth_type":"MSS_A","key":"CALLBACK-KEY-SECRET","callback_event_type":["SHOOT_SCRIPT_SWITCH","REPLY_COMMAND_FINISH"]},
         "rtc_callback_config":{"rtc_callback_event_type":["LIVE_PROGRESS","REPLY_COMMAND_FINISH"]},
         "stream_duration":3600.25,"block_reason":"none","cover_url":"https://obs.example.com/c.png",
         "co_streamer_config":{"voice_config":{"voice_asset_id":"voice-1","speed":120,"pitch":90,"volume":140},"streamer_action":"VOLUME_DOWN"},
         "live_job_log":{"interaction_records_url":"https://l/i","job_config_records_url":"https://l/j","scripts_records_url":"https://l/s","command_reviced_records_url":"https://l/r","command_exec_records_url":"https://l/e"},
         "relation_live_platform_info":{"platform_id":"pf-1","platform":"meituan","account":"opBiz1","live_id":"live-9"},
         "used_resource_type":"ONDEMAND","is_ai_mark_on":true}
        """;

    protected override EmulatorOptions CreateOptions() => new() { Port = 0, Seed = 5, Rooms = 3, JobsPerRoom = 250 };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Server.Store.AddRoom(FieldsRoom, "字段直播间");
        Server.Store.AddJobs(FieldsRoom, new[]
        {
            FullJobJson,
            """{"job_id":"sparse-job","state":"WAITING","create_time":"2026-03-02T00:00:00Z"}""",
            """{"job_id":"future-job","state":"PAUSED_BY_PLATFORM","create_time":"2026-03-03T00:00:00Z","used_resource_type":"SPOT","brand_new_field":{"nested":[1,2]},"another_new_field":"x"}""",
        });
    }
}
