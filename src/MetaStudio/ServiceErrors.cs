using System.Management.Automation;
using MetaStudio.Client.Errors;

namespace MetaStudio;

/// <summary>Turns a failed call into an ErrorRecord: id = the service's error code, category from the status.</summary>
internal static class ServiceErrors
{
    public static ErrorRecord ToErrorRecord(MetaStudioServiceException e, object? target)
    {
        var record = new ErrorRecord(e, e.ErrorId, CategoryOf(e), target)
        {
            ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = AdviceFor(e) },
        };
        return record;
    }

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

    private static string AdviceFor(MetaStudioServiceException e) => e.Kind switch
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
            404 => "Check the room id and the job id.",
            429 => "The service is throttling this project. Wait a little and retry, or send fewer requests at once.",
            _ => "The service failed. Retry later; if it persists, quote the request id to support.",
        },
    };
}
