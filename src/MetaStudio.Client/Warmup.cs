using System;
using System.Text;
using MetaStudio.Client.Http;
using MetaStudio.Client.Signing;
using MetaStudio.Client.SmartLive;

namespace MetaStudio.Client;

/// <summary>
/// Runs, once and off the caller's thread, the code a first listing needs: the JSON metadata and
/// converters of every model (most of the just-in-time compilation of a first request), the shared
/// HttpClient, and one HMAC-SHA256 signature (the crypto library's start-up). Nothing goes over the
/// network and nothing is kept but what the first real request would create anyway. A PowerShell
/// module imported by a fresh process (a runbook) starts it at import, so the work overlaps with
/// PowerShell's own until the first command needs it.
/// </summary>
public static class Warmup
{
    private const string SamplePage = """
        {"count":1,"smart_live_jobs":[{"job_id":"j","room_id":"r","room_name":"n","state":"FAILED","duration":1.5,
         "start_time":"2026-01-01T00:00:00Z","end_time":"2026-01-01T01:00:00.5+08:00",
         "error_info":{"error_code":"MSS.0","error_msg":"m"},"create_time":"2026-01-01T00:00:00Z","lastupdate_time":"2026-01-01T00:00:00Z",
         "rtc_room_info":{"app_id":"a","room_id":"r","users":[{"user_type":"RENDER","user_id":"u","signature":"s","ctime":1}]},
         "live_event_report_url":"u","live_event_callback_config":{"live_event_type_callback_url":"u","auth_type":"MSS_A","key":"k","callback_event_type":["A"]},
         "rtc_callback_config":{"rtc_callback_event_type":["A"]},"stream_duration":1.5,"block_reason":"b","cover_url":"u",
         "co_streamer_config":{"voice_config":{"voice_asset_id":"v","speed":100,"pitch":100,"volume":100},"streamer_action":"A"},
         "live_job_log":{"interaction_records_url":"u","job_config_records_url":"u","scripts_records_url":"u","command_reviced_records_url":"u","command_exec_records_url":"u"},
         "relation_live_platform_info":{"platform_id":"p","platform":"p","account":"a","live_id":"l"},
         "used_resource_type":"ONDEMAND","is_ai_mark_on":true,"unknown_field":{"x":[1]}}]}
        """;

    private static int started;

    /// <summary>Starts the warm-up on a background thread, the first time only.</summary>
    public static void Start()
    {
        if (System.Threading.Interlocked.Exchange(ref started, 1) == 1)
        {
            return;
        }

        var thread = new System.Threading.Thread(() => RunOnce()) { IsBackground = true, Name = "MetaStudio warm-up" };
        thread.Start();
    }

    /// <summary>The warm-up itself, on the calling thread; never throws.</summary>
    public static void Run() => RunOnce();

    /// <summary>The warm-up; the exception that cut it short, if any (tests check there is none).</summary>
    internal static Exception? RunOnce()
    {
        try
        {
            var page = SmartLiveClient.ParsePage(Encoding.UTF8.GetBytes(SamplePage));
            if (page.Items.Count != 1 || page.Items[0].LiveJobLog is null || page.Issues.Count != 0)
            {
                throw new InvalidOperationException("The warm-up page did not parse into one fully populated job.");
            }

            _ = MetaStudioTransport.Shared;
            var request = new ApigRequest("GET", "warm-up.invalid", "/v1/p/smart-live-jobs");
            request.Query.Add(new System.Collections.Generic.KeyValuePair<string, string>("limit", "1"));
            ApigSigner.Sign(request, new AkSkCredential("WARMUPACCESSKEY", "warm-up-secret"), DateTime.UtcNow);
            return null;
        }
        catch (Exception e)
        {
            // Only ever an optimisation: the first real request does the same work and reports any problem.
            return e;
        }
    }
}
