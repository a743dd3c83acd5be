using System;
using System.Globalization;
using System.Linq;
using MetaStudio.Client.Text;

namespace MetaStudio.Client.Errors;

/// <summary>What went wrong with a call, broadly.</summary>
public enum ServiceErrorKind
{
    /// <summary>The service answered with an error status (4xx/5xx) and, usually, an error body.</summary>
    ServiceError,

    /// <summary>The service answered, but the body was not the JSON it should be.</summary>
    InvalidResponse,

    /// <summary>No answer: the connection failed or was reset.</summary>
    NetworkError,

    /// <summary>No answer within the request timeout.</summary>
    Timeout,

    /// <summary>The service answered with a redirect, which is never followed (the signature binds the host).</summary>
    Redirected,

    /// <summary>The response body was larger than the connection's limit.</summary>
    ResponseTooLarge,

    /// <summary>The client-side rate limit would have delayed the request beyond its timeout.</summary>
    RateLimited,

    /// <summary>The service's clock and the local clock are too far apart to sign by either.</summary>
    ClockSkew,

    /// <summary>The request could not be built (a header value that cannot be sent); nothing was sent.</summary>
    InvalidRequest,

    /// <summary>A listing made no progress: the service sent back only items already listed.</summary>
    PagingStalled,
}

/// <summary>
/// A MetaStudio call failed. Carries the HTTP status, the service's <c>error_code</c> and
/// <c>error_msg</c>, the <c>X-Request-Id</c> (quote it to support), and, for listings, how far the
/// work got before the failure. The message shows service text with control characters escaped;
/// the properties keep it as the service sent it (secrets removed).
/// </summary>
public sealed class MetaStudioServiceException : Exception
{
    public MetaStudioServiceException(ServiceErrorKind kind, int? statusCode, string? errorCode, string? errorMessage,
        string? requestId, string operation, Exception? innerException = null)
        : base(Compose(kind, statusCode, errorCode, errorMessage, requestId, operation), innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        RequestId = requestId;
        Operation = operation;
    }

    private MetaStudioServiceException(MetaStudioServiceException original, string message, long? jobsWritten, long? offset, long? total)
        : base(message, original.InnerException)
    {
        Kind = original.Kind;
        StatusCode = original.StatusCode;
        ErrorCode = original.ErrorCode;
        ErrorMessage = original.ErrorMessage;
        RequestId = original.RequestId;
        Operation = original.Operation;
        Attempts = original.Attempts;
        CodeFromStatus = original.CodeFromStatus;
        OutcomeUnknown = original.OutcomeUnknown;
        EncodedAuthorizationMessage = original.EncodedAuthorizationMessage;
        Details = original.Details;
        RedirectLocation = original.RedirectLocation;
        JobsWritten = jobsWritten;
        StoppedAtOffset = offset;
        TotalCount = total;
    }

    public ServiceErrorKind Kind { get; }

    /// <summary>HTTP status; null when no response arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>The service's error_code (e.g. MSS.00000003, APIGW.0301); the HTTP status when the body had none, as the SDKs do.</summary>
    public string? ErrorCode { get; }

    /// <summary>The service's error_msg, or the start of a body that was not JSON.</summary>
    public string? ErrorMessage { get; }

    /// <summary>The X-Request-Id of the failed response.</summary>
    public string? RequestId { get; }

    /// <summary>The API operation, e.g. ListSmartLive.</summary>
    public string Operation { get; }

    /// <summary>How many attempts were made (retries included).</summary>
    public int Attempts { get; internal set; } = 1;

    /// <summary>The body carried no error code, so <see cref="ErrorCode"/> is the HTTP status.</summary>
    public bool CodeFromStatus { get; internal set; }

    /// <summary>IAM's encoded explanation of a permission failure (decode it with IAM), when the body had one.</summary>
    public string? EncodedAuthorizationMessage { get; internal set; }

    /// <summary>The body's <c>details</c>, as JSON text, when it had them.</summary>
    public string? Details { get; internal set; }

    /// <summary>
    /// A write whose request may have reached the service (a timeout or reset after sending, a 5xx): it
    /// was not sent again, and whether it took effect is unknown.
    /// </summary>
    public bool OutcomeUnknown { get; private set; }

    /// <summary>For <see cref="ServiceErrorKind.Redirected"/>: where the service redirected to.</summary>
    public string? RedirectLocation { get; internal set; }

    /// <summary>For a listing that failed part way: jobs already written before the failure.</summary>
    public long? JobsWritten { get; }

    /// <summary>For a listing that failed part way: the offset of the page that failed.</summary>
    public long? StoppedAtOffset { get; }

    /// <summary>For a listing that failed part way: the total the service reported, when known.</summary>
    public long? TotalCount { get; }

    /// <summary>
    /// A stable identifier for error records: the service's error code, else HttpNNN, or the kind
    /// (InvalidResponse, NetworkError, Timeout, Redirected, ResponseTooLarge, RateLimited, ClockSkew, InvalidRequest).
    /// </summary>
    public string ErrorId => !string.IsNullOrEmpty(ErrorCode) && !CodeFromStatus && IsPlainCode(ErrorCode!) ? ErrorCode!
        : Kind == ServiceErrorKind.ServiceError ? "Http" + StatusCode?.ToString(CultureInfo.InvariantCulture)
        : Kind.ToString();

    /// <summary>A code fit for an error id (printed as is by PowerShell): letters, digits, '.', '_', '-', at most 64.</summary>
    private static bool IsPlainCode(string code) =>
        code.Length <= 64 && code.All(c => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-');

    /// <summary>The same failure, saying how far a listing got.</summary>
    /// <param name="noun">What was listed, plural: "jobs", "rooms".</param>
    public MetaStudioServiceException WithProgress(long jobsWritten, long offset, long? total, string noun = "jobs")
    {
        string progress = total is { } t
            ? string.Format(CultureInfo.InvariantCulture, "The listing stopped at offset {0:N0} of {1:N0}; {2:N0} {3} had been written.", offset, t, jobsWritten, noun)
            : string.Format(CultureInfo.InvariantCulture, "The listing stopped at offset {0:N0}; {1:N0} {2} had been written.", offset, jobsWritten, noun);
        return new MetaStudioServiceException(this, Sentence(Message) + " " + progress, jobsWritten, offset, total);
    }

    /// <summary>The same failure, its message replaced (the module fills the ids into the commands it suggests).</summary>
    public MetaStudioServiceException WithMessage(string message) =>
        new(this, message, JobsWritten, StoppedAtOffset, TotalCount) { OutcomeUnknown = OutcomeUnknown };

    /// <summary>The same failure, with one more sentence.</summary>
    public MetaStudioServiceException WithNote(string note) =>
        new(this, Sentence(Message) + " " + Sentence(note), JobsWritten, StoppedAtOffset, TotalCount) { OutcomeUnknown = OutcomeUnknown };

    /// <summary>The same failure of a write that may have arrived, saying so and how to check.</summary>
    public MetaStudioServiceException WithUnknownOutcome(string? howToCheck)
    {
        string message = Sentence(Message) + " The request may have reached the service, so it was not sent again: its outcome is unknown." +
                         (string.IsNullOrEmpty(howToCheck) ? string.Empty : " " + Sentence(howToCheck!));
        return new MetaStudioServiceException(this, message, JobsWritten, StoppedAtOffset, TotalCount) { OutcomeUnknown = true };
    }

    /// <summary>Ends text with a period, so the next sentence does not run into it.</summary>
    internal static string Sentence(string text) =>
        text.Length == 0 || text.EndsWith(".", StringComparison.Ordinal) || text.EndsWith("!", StringComparison.Ordinal) || text.EndsWith("?", StringComparison.Ordinal) ||
        text.EndsWith("…", StringComparison.Ordinal) ? text : text + ".";

    private static string Compose(ServiceErrorKind kind, int? status, string? code, string? message, string? requestId, string operation)
    {
        string shown = ConsoleText.Shorten(message?.TrimEnd(), 500);
        string detail = shown.Length == 0 ? string.Empty : $": {shown}";
        string what = kind switch
        {
            ServiceErrorKind.ServiceError => $"{operation} failed: HTTP {status}" + (code is null ? string.Empty : $" {ConsoleText.Shorten(code, 64)}") + detail,
            ServiceErrorKind.InvalidResponse => $"{operation} returned HTTP {status} with a body that is not the expected JSON" + detail,
            ServiceErrorKind.Timeout => $"{operation} timed out" + detail,
            _ => $"{operation} failed" + detail,
        };
        if (requestId is null)
        {
            return Sentence(what);
        }

        // The request id closes the sentence: "… not found: x (request id …).", not "… found. (request id …)".
        return (what.EndsWith(".", StringComparison.Ordinal) ? what.Substring(0, what.Length - 1) : what) + $" (request id {ConsoleText.Shorten(requestId, 64)}).";
    }
}
