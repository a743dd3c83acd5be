using System;
using System.Management.Automation;
using System.Security;
using MetaStudio.Client.Connection;
using MetaStudio.Completers;

namespace MetaStudio.Commands;

/// <summary>
/// <para type="synopsis">Sets the MetaStudio connection (credentials, project, region, endpoint) for this session.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "MSAccount", DefaultParameterSetName = EnvironmentSet)]
[OutputType(typeof(MetaStudioContext))]
public sealed class ConnectMSAccountCommand : MetaStudioCmdlet
{
    private const string AccessKeySet = "AccessKey";
    private const string CredentialSet = "Credential";
    private const string TokenSet = "Token";
    private const string EnvironmentSet = "Environment";
    private const string ContextSet = "Context";

    /// <summary>The access key id (AK).</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessKeySet)]
    [ValidateNotNullOrEmpty]
    public string AccessKey { get; set; } = null!;

    /// <summary>The secret access key (SK).</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessKeySet)]
    [ValidateNotNull]
    public SecureString SecretKey { get; set; } = null!;

    /// <summary>The security token of a temporary access key pair.</summary>
    [Parameter(ParameterSetName = AccessKeySet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [ValidateNotNull]
    public SecureString? SecurityToken { get; set; }

    /// <summary>An access key pair as a credential: user name = AK, password = SK.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [ValidateNotNull]
    [Credential]
    public PSCredential Credential { get; set; } = null!;

    /// <summary>An IAM token (sent as X-Auth-Token instead of signing).</summary>
    [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
    [ValidateNotNull]
    public SecureString Token { get; set; } = null!;

    /// <summary>A context from Get-MSContext in another runspace, to use here.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ContextSet)]
    [ValidateNotNull]
    public MetaStudioContext Context { get; set; } = null!;

    /// <summary>The project id (32 hex characters).</summary>
    [Parameter(ParameterSetName = AccessKeySet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = TokenSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateNotNullOrEmpty]
    public string? ProjectId { get; set; }

    /// <summary>The region, cn-north-4 by default.</summary>
    [Parameter(ParameterSetName = AccessKeySet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = TokenSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string? Region { get; set; }

    /// <summary>The endpoint; overrides the region's. Plain http only to a loopback address.</summary>
    [Parameter(ParameterSetName = AccessKeySet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = TokenSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateNotNull]
    public Uri? Endpoint { get; set; }

    /// <summary>Third-party user id sent as X-App-UserId (no Chinese characters).</summary>
    [Parameter(ParameterSetName = AccessKeySet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = TokenSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateNotNullOrEmpty]
    public string? AppUserId { get; set; }

    /// <summary>Retries after a failed attempt, for requests that are safe to repeat (default 3).</summary>
    [Parameter(ParameterSetName = AccessKeySet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = TokenSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateRange(0, 10)]
    public int MaxRetry { get; set; } = MetaStudioContext.DefaultMaxRetry;

    /// <summary>Seconds allowed for each attempt (default 30).</summary>
    [Parameter(ParameterSetName = AccessKeySet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = TokenSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = MetaStudioContext.DefaultTimeoutSec;

    /// <summary>Requests per second to this endpoint and project, shared by the process (default 20; 0 = no limit).</summary>
    [Parameter(ParameterSetName = AccessKeySet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = TokenSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateRange(0.0, 10000.0)]
    public double RateLimit { get; set; } = MetaStudio.Client.Http.RateLimiter.DefaultRate;

    /// <summary>Largest response body accepted, in bytes, counted after decompression (default 16MB; 64KB to 1GB).</summary>
    [Parameter(ParameterSetName = AccessKeySet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = TokenSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateRange(ContextResolver.MinResponseBytes, ContextResolver.MaxResponseBytesLimit)]
    public long MaxResponseSize { get; set; } = MetaStudioContext.DefaultMaxResponseBytes;

    /// <summary>Writes the new context to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        MetaStudioContext context;
        if (ParameterSetName == ContextSet)
        {
            context = Context;
        }
        else
        {
            var settings = new ConnectionSettings
            {
                ProjectId = ProjectId,
                Region = Region,
                Endpoint = Endpoint,
                AppUserId = AppUserId,
                SecurityToken = PlainText(SecurityToken),
                MaxRetry = MaxRetry,
                TimeoutSec = TimeoutSec,
                RateLimit = RateLimit,
                MaxResponseBytes = MaxResponseSize,
            };
            switch (ParameterSetName)
            {
                case AccessKeySet:
                    settings.AccessKey = AccessKey;
                    settings.SecretKey = PlainText(SecretKey);
                    break;
                case CredentialSet:
                    settings.AccessKey = Credential.UserName ?? string.Empty;
                    settings.SecretKey = Credential.GetNetworkCredential().Password;
                    break;
                case TokenSet:
                    settings.Token = PlainText(Token);
                    break;
            }

            var resolver = ContextResolver.FromProcess();
            try
            {
                context = resolver.Resolve(settings);
            }
            catch (MetaStudioConfigurationException e)
            {
                ThrowConfigurationError(e);
                return;
            }

            foreach (string warning in resolver.Warnings)
            {
                WriteWarning(warning);
            }
        }

        // A new connection starts from the local clock: an offset learnt before is learnt again if still needed.
        // A context passed in (-Context, as parallel runspaces do) is the same connection: nothing to forget.
        if (ParameterSetName != ContextSet)
        {
            foreach (var endpoint in context.Endpoints)
            {
                MetaStudio.Client.Http.ClockOffsets.Reset(endpoint);
            }
        }

        SessionContext.Set(context);
        WriteVerbose($"Connected: {context} (credentials from {context.CredentialSource}, project from {context.ProjectIdSource}, endpoint from {context.EndpointSource}).");
        if (PassThru)
        {
            WriteObject(context);
        }
    }
}
