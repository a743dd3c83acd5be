using System.Text.Json;

namespace MetaStudio.Emulator.Api;

/// <summary>Error codes and bodies as MetaStudio and its API gateway write them (API reference §5).</summary>
public static class ErrorBodies
{
    public const string InvalidParameter = "MSS.00000003";
    public const string Unauthorized = "MSS.00000001";
    public const string TenantMismatch = "MSS.00010009";
    public const string JobNotFound = "MSS.10001002";

    /// <summary>400 "Invalid body": valid JSON of the wrong shape (documented; the same code as the internal error below).</summary>
    public const string InvalidBody = "MSS.00000002";

    /// <summary>400 "Request JSON exception": the body is not JSON (documented).</summary>
    public const string RequestJsonException = "MSS.10000002";

    /// <summary>400 "Parameter validation abnormal": a body value out of range (documented).</summary>
    public const string ParameterValidation = "MSS.10000003";

    /// <summary>Chosen here (none is documented): StartSmartLive with single_job_in_room in a room that has a WAITING or PROCESSING job.</summary>
    public const string RoomBusy = "MSS.10001003";

    /// <summary>Chosen here (none is documented): StartSmartLive in a room whose room_state is DISABLE or BLOCKED.</summary>
    public const string RoomNotEnabled = "MSS.10001005";

    /// <summary>Chosen here (none is documented): ExecuteSmartLiveCommand to a job that is not PROCESSING.</summary>
    public const string JobNotProcessing = "MSS.10001006";

    /// <summary>The documented "concurrency exhausted" code, used for the emulator's running-jobs quota.</summary>
    public const string ConcurrencyExhausted = "MSS.20010135";

    /// <summary>Chosen here (none is documented): an unknown room on ShowSmartLiveRoom, StartSmartLive, StopSmartLive.</summary>
    public const string RoomNotFound = "MSS.10001004";
    public const string InternalError = "MSS.00000002";
    public const string GatewayAuth = "APIGW.0301";
    public const string GatewayThrottled = "APIGW.0308";
    public const string GatewayApiNotFound = "APIGW.0101";
    public const string GatewayTimeout = "APIGW.0201";

    public static byte[] Json(string code, string message) =>
        JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(code, message), EmulatorJsonContext.Default.ErrorBody);

    /// <summary>A plausible body for an injected status: gateway codes for 429/504, MSS codes otherwise.</summary>
    public static (string Code, string Message) ForStatus(int status) => status switch
    {
        400 => (InvalidParameter, "Invalid parameter"),
        401 => (Unauthorized, "Unauthorized"),
        403 => ("MSS.00000004", "Forbidden: the project has no access to this room"),
        404 => (JobNotFound, "Not found"),
        429 => (GatewayThrottled, "The throttling threshold has been reached: policy user over ratelimit,limit:20,time:1 second"),
        504 => (GatewayTimeout, "Backend timeout."),
        _ => (InternalError, "Internal error"),
    };
}

public sealed record ErrorBody(
    [property: System.Text.Json.Serialization.JsonPropertyName("error_code")] string ErrorCode,
    [property: System.Text.Json.Serialization.JsonPropertyName("error_msg")] string ErrorMsg);

[System.Text.Json.Serialization.JsonSerializable(typeof(ErrorBody))]
internal sealed partial class EmulatorJsonContext : System.Text.Json.Serialization.JsonSerializerContext
{
}
