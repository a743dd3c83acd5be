using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Http;
using MetaStudio.Client.SmartLive;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Lifecycle;

/// <summary>
/// Writes are not reads: a start or stop that may have reached the service is never sent again, and its
/// error says the outcome is unknown and how to check; what surely never arrived (refused, a 429) is
/// retried. The request body is checked key by key and sent as the SDKs send it.
/// </summary>
public sealed class WriteSafetyTests
{
    private static MetaStudioContext Context(Uri endpoint, int maxRetry = 3) => new ContextResolver(_ => null, null).Resolve(new ConnectionSettings
    {
        AccessKey = "AK", SecretKey = "SK", ProjectId = "p", Endpoint = endpoint, RateLimit = 0, MaxRetry = maxRetry, TimeoutSec = 2,
    });

    private static HttpResponseMessage Json(HttpStatusCode status, string json) => new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static SmartLiveClient Client(HttpMessageHandler handler, int maxRetry = 3) =>
        new(Context(new Uri("http://127.0.0.1:1"), maxRetry), transport: new MetaStudioTransport(new HttpClient(handler)));

    private static StartSmartLiveBody Body() => StartSmartLiveBody.From(null);

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task AStartAnswered5xxIsNotRetriedAndItsOutcomeIsUnknown(int status)
    {
        var handler = new ScriptedHandler((n, _) => Task.FromResult(Json((HttpStatusCode)status, "{\"error_code\":\"MSS.00000002\",\"error_msg\":\"Internal error\"}")));

        var e = await Assert.ThrowsAsync<MetaStudioServiceException>(() => Client(handler).StartAsync("room-1", Body(), CancellationToken.None));

        Assert.Equal(1, handler.Requests);
        Assert.True(e.OutcomeUnknown);
        Assert.Contains("outcome is unknown", e.Message, StringComparison.Ordinal);
        Assert.Contains("Get-MSSmartLiveJob -RoomId <room> -State WAITING,PROCESSING", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStartWhoseAnswerNeverCameIsNotRetried()
    {
        var handler = new ScriptedHandler(async (n, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
            return Json(HttpStatusCode.Accepted, "{\"job_id\":\"j\"}");
        });

        var e = await Assert.ThrowsAsync<MetaStudioServiceException>(() => Client(handler).StartAsync("room-1", Body(), CancellationToken.None));

        Assert.Equal(ServiceErrorKind.Timeout, e.Kind);
        Assert.Equal(1, handler.Requests);
        Assert.True(e.OutcomeUnknown);
    }

    [Fact]
    public async Task AStartRefusedWith429IsRetried()
    {
        var handler = new ScriptedHandler((n, _) => Task.FromResult(n == 1
            ? Json((HttpStatusCode)429, "{\"error_code\":\"APIGW.0308\",\"error_msg\":\"throttled\"}")
            : Json(HttpStatusCode.Accepted, "{\"job_id\":\"job-1\",\"limit_duration\":4,\"live_warning_info\":[{\"warning_type\":\"TOO_LESSS_SCRIPT_ITEMS\"}]}")));

        var started = await Client(handler).StartAsync("room-1", Body(), CancellationToken.None);

        Assert.Equal(("room-1", "job-1", 4), (started.RoomId, started.JobId, started.LimitDuration));
        Assert.Equal(new[] { "TOO_LESSS_SCRIPT_ITEMS" }, started.Warnings);
        Assert.Equal(2, handler.Requests);
    }

    [Fact]
    public async Task AStartThatCannotConnectIsRetriedAndNeverReachesAnything()
    {
        // A port nothing listens on: every attempt is refused before a byte is sent, so retrying is safe.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var traces = new ConcurrentQueue<RequestTrace>();
        var client = new SmartLiveClient(Context(new Uri($"http://127.0.0.1:{port}"), maxRetry: 2)) { Observer = traces.Enqueue };

        var e = await Assert.ThrowsAsync<MetaStudioServiceException>(() => client.StartAsync("room-1", Body(), CancellationToken.None));

        Assert.Equal(ServiceErrorKind.NetworkError, e.Kind);
        Assert.Equal(3, e.Attempts);
        Assert.False(e.OutcomeUnknown);
        Assert.Contains($"could not connect to http://127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStopAnsweredWithAnyTwoHundredIsDone()
    {
        foreach (var status in new[] { HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.NoContent })
        {
            var handler = new ScriptedHandler((n, _) => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent("") }));

            Assert.True(await Client(handler).StopAsync("room-1", "job-1", CancellationToken.None));
            var (method, path, _, body) = Assert.Single(handler.Received);
            Assert.Equal(("POST", "/v1/p/smart-live-rooms/room-1/smart-live-jobs/job-1/stop", ""), (method, path, body));
        }
    }

    [Fact]
    public async Task TheBodyIsJsonSentAsTheSdksSendIt()
    {
        var handler = new ScriptedHandler((n, _) => Task.FromResult(Json(HttpStatusCode.Accepted, "{\"job_id\":\"j\"}")));
        var options = new StartSmartLiveOptions
        {
            OutputUrls = new[] { "rtmp://push.example.com/live" }, StreamKeys = new[] { "stream-key-secret-0001" }, MaxLiveDurationHours = 4,
            RepeatCount = -1, PlayMode = "text", SingleJobInRoom = true, CallbackUrl = "https://hooks.example.com/x", CallbackAuthType = "MSS_A",
            CallbackKey = "callback-key-0001", CallbackEvents = new[] { "SHOOT_SCRIPT_SWITCH" },
        };
        var tree = new Dictionary<string, object?>
        {
            ["PlayPolicy"] = new Dictionary<string, object?> { ["auto_play_script"] = true, ["repeat_count"] = 3 },
            ["video_config"] = new Dictionary<string, object?> { ["width"] = 1080, ["height"] = 1920, ["bitrate"] = 4000 },
        };

        await Client(handler).StartAsync("room-1", options.ApplyTo(StartSmartLiveBody.From(tree)), CancellationToken.None);

        var (method, path, contentType, body) = Assert.Single(handler.Received);
        Assert.Equal(("POST", "/v1/p/smart-live-rooms/room-1/smart-live-jobs", "application/json"), (method, path, contentType));
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(-1, root.GetProperty("play_policy").GetProperty("repeat_count").GetInt32()); // typed over -Body
        Assert.True(root.GetProperty("play_policy").GetProperty("auto_play_script").GetBoolean());
        Assert.Equal("TEXT", root.GetProperty("play_policy").GetProperty("play_mode").GetString());
        Assert.Equal(4, root.GetProperty("play_policy").GetProperty("live_exit_config").GetProperty("max_live_duration").GetInt32());
        Assert.Equal(1920, root.GetProperty("video_config").GetProperty("height").GetInt32());
        Assert.Equal("stream-key-secret-0001", root.GetProperty("stream_keys")[0].GetString());
        Assert.True(root.GetProperty("job_run_config").GetProperty("single_job_in_room").GetBoolean());
        Assert.Equal("MSS_A", root.GetProperty("live_event_callback_config").GetProperty("auth_type").GetString());
    }

    [Fact]
    public async Task SecretsOfTheBodyAreMaskedInAnErrorThatEchoesThem()
    {
        var handler = new ScriptedHandler((n, request) => Task.FromResult(Json(HttpStatusCode.BadRequest,
            "{\"error_code\":\"MSS.00000002\",\"error_msg\":\"bad stream key stream-key-secret-0001 for callback-key-0001\"}")));
        var options = new StartSmartLiveOptions { OutputUrls = new[] { "rtmp://push.example.com/live" }, StreamKeys = new[] { "stream-key-secret-0001" }, CallbackKey = "callback-key-0001" };

        var e = await Assert.ThrowsAsync<MetaStudioServiceException>(() => Client(handler).StartAsync("room-1", options.ApplyTo(Body()), CancellationToken.None));

        Assert.DoesNotContain("stream-key-secret", e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("callback-key-0001", e.ToString(), StringComparison.Ordinal);
        Assert.False(e.OutcomeUnknown); // a 400 was refused: nothing started
    }

    [Theory]
    [InlineData("{\"play_polcy\":{}}", "'play_polcy', which StartSmartLive does not take. Known keys: video_config, play_policy")]
    [InlineData("{\"play_policy\":{\"live_exit_config\":{\"max_hours\":3}}}", "'max_hours' in play_policy.live_exit_config")]
    [InlineData("{\"play_policy\":5}", "where StartSmartLive takes an object")]
    [InlineData("{\"output_urls\":{\"a\":1}}", "an object at output_urls")]
    [InlineData("{\"PlayPolicy\":{},\"play_policy\":{}}", "gives play_policy twice")]
    public void AnUnknownOrMisshapenKeyIsRefusedWithTheKnownOnes(string json, string expected)
    {
        var tree = (Dictionary<string, object?>)ToTree(JsonDocument.Parse(json).RootElement)!;

        var e = Assert.Throws<ArgumentException>(() => StartSmartLiveBody.From(tree));

        Assert.Equal("Body", e.ParamName);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OutputUrl", "https://not-rtmp.example.com/live")]
    [InlineData("CallbackUrl", "http://hooks.example.com/plain-http")]
    [InlineData("StreamKey", "two keys for one url")]
    [InlineData("CallbackKey", "a key longer than thirty-two characters")]
    [InlineData("PlayMode", "not a token!")]
    public void ABadTypedValueIsRefusedNamingTheParameter(string parameter, string value)
    {
        var options = parameter switch
        {
            "OutputUrl" => new StartSmartLiveOptions { OutputUrls = new[] { value } },
            "CallbackUrl" => new StartSmartLiveOptions { CallbackUrl = value },
            "StreamKey" => new StartSmartLiveOptions { OutputUrls = new[] { "rtmp://a.example.com/x" }, StreamKeys = new[] { "k1", "k2" } },
            "CallbackKey" => new StartSmartLiveOptions { CallbackKey = value },
            _ => new StartSmartLiveOptions { PlayMode = value },
        };

        var e = Assert.Throws<ArgumentException>(() => options.ApplyTo(Body()));

        Assert.Equal(parameter, e.ParamName);
        Assert.Contains("-" + parameter, e.Message, StringComparison.Ordinal);
    }

    private static object? ToTree(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => ToTree(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().Select(ToTree).ToList(),
        JsonValueKind.Number => e.GetInt64(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
