using System;

namespace MetaStudio.Client.Connection;

/// <summary>
/// The connection cannot be set up: missing or half-given credentials, an unknown region, a bad
/// endpoint. The message says which source was tried and what to set.
/// </summary>
public sealed class MetaStudioConfigurationException : Exception
{
    public MetaStudioConfigurationException(string errorId, string message, string? parameterName = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        ParameterName = parameterName;
    }

    /// <summary>A stable identifier of the problem, e.g. <c>CredentialsNotFound</c> or <c>InvalidEndpoint</c>.</summary>
    public string ErrorId { get; }

    /// <summary>The cmdlet parameter at fault, when there is one.</summary>
    public string? ParameterName { get; }

    /// <summary>True when the problem is with the credentials themselves (missing, half a pair, unreadable).</summary>
    public bool IsCredentialProblem => ErrorId is "CredentialsNotFound" or "HalfKeyPair" or "ProfileFileUnreadable" or "ProfileFileInvalid" or "ProfileFileWithoutCredentials" or "SecurityTokenWithoutKeyPair";
}
