using System.Management.Automation;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Text;
using MetaStudio.Completers;

namespace MetaStudio;

/// <summary>Turns a failed call into an ErrorRecord: id = the service's error code, category from the status.</summary>
internal static class ServiceErrors
{
    /// <param name="roomId">The room the call was about, filled into the commands the message and advice suggest.</param>
    /// <param name="jobId">The job the call was about, likewise.</param>
    public static ErrorRecord ToErrorRecord(MetaStudioServiceException e, object? target, string? roomId = null, string? jobId = null)
    {
        string message = FillIn(e.Message, roomId, jobId);
        if (message != e.Message)
        {
            e = e.WithMessage(message); // scripts that log $_.Exception.Message get the ids too
        }

        return new ErrorRecord(e, e.ErrorId, CategoryOf(e), target)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = FillIn(AdviceFor(e), roomId, jobId) },
        };
    }

    /// <summary>
    /// The text with its &lt;room&gt; and &lt;job&gt; placeholders replaced by the ids, as PowerShell
    /// arguments that read back as exactly those ids (quoted where needed), so the suggested command can
    /// be pasted; an id that cannot be written so keeps its placeholder.
    /// </summary>
    public static string FillIn(string text, string? roomId, string? jobId)
    {
        if (Argument(roomId) is { } room)
        {
            text = text.Replace("<room>", room);
        }

        return Argument(jobId) is { } job ? text.Replace("<job>", job) : text;
    }

    private static string? Argument(string? id) =>
        id is { Length: > 0 and <= 256 } && Completions.ArgumentText(id) is { } text && ConsoleText.Escape(text) == text ? text : null;

    public static ErrorCategory CategoryOf(MetaStudioServiceException e) => e.Kind switch
    {
        ServiceErrorKind.Timeout => ErrorCategory.OperationTimeout,
        ServiceErrorKind.NetworkError => ErrorCategory.ConnectionError,
        ServiceErrorKind.InvalidResponse or ServiceErrorKind.PagingStalled => ErrorCategory.InvalidResult,
        ServiceErrorKind.Redirected => ErrorCategory.ConnectionError,
        ServiceErrorKind.ResponseTooLarge or ServiceErrorKind.RateLimited => ErrorCategory.LimitsExceeded,
        ServiceErrorKind.ClockSkew => ErrorCategory.AuthenticationError,
        ServiceErrorKind.InvalidRequest => ErrorCategory.InvalidArgument,
        _ => e.StatusCode switch
        {
            400 => ErrorCategory.InvalidArgument,
            401 => ErrorCategory.AuthenticationError,
            403 => ErrorCategory.PermissionDenied,
            404 => ErrorCategory.ObjectNotFound,
            429 => ErrorCategory.LimitsExceeded,
            >= 500 => ErrorCategory.ConnectionError,
            _ => ErrorCategory.NotSpecified,
        },
    };

    private static string AdviceFor(MetaStudioServiceException e) => e.OutcomeUnknown
        ? "Do not simply run it again: first find out whether it took effect, as the message says."
        : BusinessAdvice(e) ?? e.Kind switch
    {
        ServiceErrorKind.Timeout => "The service did not answer in time. Retry later, or raise the timeout.",
        ServiceErrorKind.NetworkError => "The connection failed. Check the endpoint (Get-MSContext) and the network, then retry.",
        ServiceErrorKind.InvalidResponse => "The service sent a response that could not be read. Retry; if it persists, quote the request id to support.",
        ServiceErrorKind.PagingStalled => "The service kept sending what was already listed. Narrow the listing (filters, -First) or retry later; if it persists, report it with the request ids (-Verbose).",
        ServiceErrorKind.Redirected => "Check the endpoint (Get-MSContext): the service answered with a redirect, which is never followed.",
        ServiceErrorKind.ResponseTooLarge => "Raise the limit with Connect-MSAccount -MaxResponseSize if such a response is expected; otherwise check the endpoint.",
        ServiceErrorKind.RateLimited => "Run fewer commands at once, raise -TimeoutSec, or raise the connection's -RateLimit.",
        ServiceErrorKind.ClockSkew => "Set this computer's clock (NTP), then Connect-MSAccount again.",
        ServiceErrorKind.InvalidRequest => "Check the connection's credentials and settings (Get-MSContext); nothing was sent.",
        _ => e.StatusCode switch
        {
            400 => "Check the parameters against the message above.",
            401 => "Check the credentials (Get-MSContext shows which are used and where they came from) and that this computer's clock is right.",
            403 => "The account may not use MetaStudio in this project: check its IAM permissions and the project id.",
            404 => e.Operation is "ShowSmartLiveRoom" or "StartSmartLive" ? "Check the room id (Get-MSSmartLiveRoom lists the project's rooms)." : "Check the room id and the job id.",
            429 => "The service is throttling this project. Wait a little and retry, or send fewer requests at once.",
            _ => "The service failed. Retry later; if it persists, quote the request id to support.",
        },
    };

    /// <summary>What to do about the service's business errors when a live is started, stopped or commanded.</summary>
    private static string? BusinessAdvice(MetaStudioServiceException e)
    {
        string message = e.ErrorMessage ?? string.Empty;
        bool Says(string text) => message.IndexOf(text, System.StringComparison.OrdinalIgnoreCase) >= 0;
        if (e.ErrorCode is "MSS.20010135" || Says("concurrency") || Says("quota") || Says("limit reached"))
        {
            return "The project has as many lives running as it may: stop one (Get-MSSmartLiveJob -State PROCESSING | Stop-MSSmartLiveJob) or raise the quota, then start again.";
        }

        if (e.Operation == "ExecuteSmartLiveCommand" && (Says("not processing") || Says("not running") || Says("not on air")))
        {
            return "Commands reach only a live on air (PROCESSING): check the job's state with Get-MSSmartLiveJob -RoomId <room> -JobId <job>, or wait for it with Wait-MSSmartLiveJob.";
        }

        if (e.Operation == "StartSmartLive" && (Says("running job") || Says("already has") || Says("single job")))
        {
            return "The room already has a waiting or running live and one live per room is set: stop it first (Get-MSSmartLiveJob -RoomId <room> -State WAITING,PROCESSING | Stop-MSSmartLiveJob), or start without -SingleJobInRoom.";
        }

        if (e.Operation == "StartSmartLive" && (Says("stream") || Says("output_url") || Says("rtmp")))
        {
            return "Check -OutputUrl and -StreamKey (one stream key per push address, as the platform gave them).";
        }

        if (e.Operation == "StartSmartLive" && e.StatusCode == 400)
        {
            return "Check -Body and the typed parameters against the message above, and that the room is enabled (Get-MSSmartLiveRoom -RoomId <room>).";
        }

        return null;
    }
}
