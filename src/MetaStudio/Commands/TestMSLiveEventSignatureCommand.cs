using System;
using System.Management.Automation;
using System.Security;
using MetaStudio.Client.LiveEvents;

namespace MetaStudio.Commands;

/// <summary>
/// <para type="synopsis">Checks that a live event callback was signed with the callback key (auth_type MSS_A or MSS_A_HEAD) and is recent.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MSLiveEventSignature")]
[OutputType(typeof(bool), typeof(LiveEventSignatureResult))]
public sealed class TestMSLiveEventSignatureCommand : MetaStudioCmdlet
{
    private string key = string.Empty;

    /// <summary>The URL the callback arrived at (MSS_A: hwSecret and hwTime in its query); a string or a Uri (HttpListenerRequest.Url).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public object? Url { get; set; }

    /// <summary>The callback's headers (MSS_A_HEAD: x-hw-mss-secret, x-hw-mss-time): a hashtable or dictionary, or a NameValueCollection.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public object? Headers { get; set; }

    /// <summary>The callback URL as configured when the live was started (live_event_type_callback_url).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string CallbackUrl { get; set; } = null!;

    /// <summary>The callback key (0 to 32 characters).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public SecureString Key { get; set; } = null!;

    /// <summary>Where the signature must be: MSS_A (the URL's query) or MSS_A_HEAD (headers); by default, wherever it is found.</summary>
    [Parameter]
    [ValidateSet("MSS_A", "MSS_A_HEAD", IgnoreCase = true)]
    public string? AuthType { get; set; }

    /// <summary>How far the signed time may be from this computer's clock, either way, in seconds (1 to 86400).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int MaxAgeSec { get; set; } = 300;

    /// <summary>Writes an object saying why (Valid, Reason, AuthType, Timestamp, Age, Message) instead of $true or $false.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void BeginProcessing()
    {
        key = PlainText(Key) ?? string.Empty;
        try
        {
            LiveEventSignature.CheckCallbackUrl(CallbackUrl);
            LiveEventSignature.CheckKey(key);
        }
        catch (ArgumentException e)
        {
            throw Terminate(e, "Invalid" + e.ParamName);
        }
    }

    protected override void ProcessRecord()
    {
        SignatureFields fields;
        try
        {
            fields = FieldsOfRequest();
        }
        catch (ArgumentException e)
        {
            throw Terminate(e, "Invalid" + e.ParamName);
        }

        var result = LiveEventSignature.Verify(fields.AuthType, fields.Secrets, fields.Times, CallbackUrl, key, TimeSpan.FromSeconds(MaxAgeSec), DateTimeOffset.UtcNow);
        WriteVerbose(result.ToString());
        WriteObject(Detailed ? result : result.Valid);
    }

    private SignatureFields FieldsOfRequest()
    {
        string? authType = AuthType?.ToUpperInvariant();
        string? url = Bare(Url) switch
        {
            null => null,
            Uri uri => uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.OriginalString,
            string text => text,
            var other => throw new ArgumentException($"-Url is a {other.GetType().Name}; give the request's URL as a string or a Uri (HttpListenerRequest.Url).", nameof(Url)),
        };
        object? headers = Bare(Headers);
        if (authType == "MSS_A" || (authType is null && url != null && headers is null))
        {
            return SignatureFields.FromUrl(url ?? throw new ArgumentException("-AuthType MSS_A needs -Url: the URL the callback arrived at, with hwSecret and hwTime in its query.", nameof(Url)));
        }

        if (headers is null)
        {
            throw new ArgumentException(
                authType == "MSS_A_HEAD"
                    ? "-AuthType MSS_A_HEAD needs -Headers: the callback's headers (a hashtable, or HttpListenerRequest.Headers), with x-hw-mss-secret and x-hw-mss-time."
                    : "Give the callback's -Url (MSS_A: hwSecret and hwTime in its query) or its -Headers (MSS_A_HEAD: x-hw-mss-secret and x-hw-mss-time), or pipe the request in (HttpListenerRequest has both).",
                nameof(Headers));
        }

        var inHeaders = SignatureFields.FromHeaders(headers, Bare);
        bool signedInHeaders = inHeaders.Secrets.Count > 0 || inHeaders.Times.Count > 0;
        return authType == "MSS_A_HEAD" || signedInHeaders || url is null ? inHeaders : SignatureFields.FromUrl(url);
    }

    private static object? Bare(object? value) => value is PSObject ps ? ps.BaseObject : value;
}
