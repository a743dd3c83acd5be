using System;
using System.Globalization;

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
}

/// <summary>
/// A MetaStudio call failed. Carries the HTTP status, the service's <c>error_code</c> and
/// <c>error_msg</c>, the <c>X-Request-Id</c> (quote it to support), and, for listings, how far the
/// work got before the failure.
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

    private MetaStudioServiceException(MetaStudioServiceException original, string message, long jobsWritten, long offset, long? total)
        : base(message, original.InnerException)
    {
        Kind = original.Kind;
        StatusCode = original.StatusCode;
        ErrorCode = original.ErrorCode;
        ErrorMessage = original.ErrorMessage;
        RequestId = original.RequestId;
        Operation = original.Operation;
        Attempts = original.Attempts;
        JobsWritten = jobsWritten;
        StoppedAtOffset = offset;
        TotalCount = total;
    }

    public ServiceErrorKind Kind { get; }

    /// <summary>HTTP status; null when no response arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>The service's error_code (e.g. MSS.00000003, APIGW.0301); null when there was none.</summary>
    public string? ErrorCode { get; }

    /// <summary>The service's error_msg, or the start of a body that was not JSON.</summary>
    public string? ErrorMessage { get; }

    /// <summary>The X-Request-Id of the failed response.</summary>
    public string? RequestId { get; }

    /// <summary>The API operation, e.g. ListSmartLive.</summary>
    public string Operation { get; }

    /// <summary>How many attempts were made (retries included).</summary>
    public int Attempts { get; internal set; } = 1;

    /// <summary>For a listing that failed part way: jobs already written before the failure.</summary>
    public long? JobsWritten { get; }

    /// <summary>For a listing that failed part way: the offset of the page that failed.</summary>
    public long? StoppedAtOffset { get; }

    /// <summary>For a listing that failed part way: the total the service reported, when known.</summary>
    public long? TotalCount { get; }

    /// <summary>
    /// A stable identifier for error records: the service's error code, else HttpNNN,
    /// InvalidResponse, NetworkError or Timeout.
    /// </summary>
    public string ErrorId => !string.IsNullOrEmpty(ErrorCode) ? ErrorCode!
        : Kind == ServiceErrorKind.ServiceError ? "Http" + StatusCode?.ToString(CultureInfo.InvariantCulture)
        : Kind.ToString();

    /// <summary>The same failure, saying how far a listing got.</summary>
    public MetaStudioServiceException WithProgress(long jobsWritten, long offset, long? total)
    {
        string progress = total is { } t
            ? string.Format(CultureInfo.InvariantCulture, " The listing stopped at offset {0:N0} of {1:N0}; {2:N0} jobs had been written.", offset, t, jobsWritten)
            : string.Format(CultureInfo.InvariantCulture, " The listing stopped at offset {0:N0}; {1:N0} jobs had been written.", offset, jobsWritten);
        return new MetaStudioServiceException(this, Sentence(Message) + progress, jobsWritten, offset, total);
    }

    /// <summary>One sentence, ending with its period: "ListSmartLive failed: HTTP 404 MSS.10001002: … (request id …)."</summary>
    private static string Compose(ServiceErrorKind kind, int? status, string? code, string? message, string? requestId, string operation)
    {
        string detail = string.IsNullOrEmpty(message) ? string.Empty : $": {message!.TrimEnd()}";
        string what = kind switch
        {
            ServiceErrorKind.ServiceError => $"{operation} failed: HTTP {status}" + (code is null ? string.Empty : $" {code}") + detail,
            ServiceErrorKind.InvalidResponse => $"{operation} returned HTTP {status} with a body that is not the expected JSON" + detail,
            ServiceErrorKind.Timeout => $"{operation} timed out" + detail,
            _ => $"{operation} failed" + detail,
        };
        if (requestId != null)
        {
            // The request id closes the sentence: "… not found: x (request id …).", not "… found. (request id …)".
            what = (what.EndsWith(".", StringComparison.Ordinal) ? what.Substring(0, what.Length - 1) : what) + $" (request id {requestId})";
        }

        return Sentence(what);
    }

    private static string Sentence(string text) =>
        text.EndsWith(".", StringComparison.Ordinal) || text.EndsWith("!", StringComparison.Ordinal) || text.EndsWith("?", StringComparison.Ordinal) ? text : text + ".";
}
