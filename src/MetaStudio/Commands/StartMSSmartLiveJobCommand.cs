using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Models;
using MetaStudio.Client.SmartLive;
using MetaStudio.Client.Text;
using MetaStudio.Completers;

namespace MetaStudio.Commands;

/// <summary>
/// <para type="synopsis">Starts a live in a smart live room (StartSmartLive); with -Wait, waits until it is on air.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "MSSmartLiveJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StartedSmartLiveJob), typeof(SmartLiveJob))]
public sealed class StartMSSmartLiveJobCommand : ServiceCmdlet
{
    private StartSmartLiveOptions options = null!;
    private System.Collections.IDictionary? bodyTree;

    /// <summary>The room to start a live in. Takes strings and objects with a RoomId property (rooms) from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [RoomIdTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RoomIdCompleter))]
    public string RoomId { get; set; } = null!;

    /// <summary>RTMP push addresses of the platform to stream to (output_urls; the service takes one).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? OutputUrl { get; set; }

    /// <summary>The stream key of each -OutputUrl, in the same order (stream_keys; secret).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public SecureString[]? StreamKey { get; set; }

    /// <summary>The longest the live may run, in hours, 0 (no limit) to 168.</summary>
    [Parameter]
    [ValidateRange(0, 168)]
    public int MaxLiveDurationHours { get; set; }

    /// <summary>How often the script repeats: -1 until stopped, 0 once, n more times.</summary>
    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int RepeatCount { get; set; }

    /// <summary>TEXT, AUDIO or NO_PRESET.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PlayModeCompleter))]
    public string? PlayMode { get; set; }

    /// <summary>Refuse to start when the room already has a waiting or running live.</summary>
    [Parameter]
    public SwitchParameter SingleJobInRoom { get; set; }

    /// <summary>Where the service sends live events (https; http only to a loopback address).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CallbackUrl { get; set; }

    /// <summary>How callbacks are signed: NONE, MSS_A, MSS_A_HEAD or MEITUAN_DEFAULT.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CallbackAuthTypeCompleter))]
    public string? CallbackAuthType { get; set; }

    /// <summary>The key callbacks are signed with (at most 32 characters; secret).</summary>
    [Parameter]
    [ValidateNotNull]
    public SecureString? CallbackKey { get; set; }

    /// <summary>The events to send: SHOOT_SCRIPT_SWITCH, RTMP_STREAM_STATE_CHANGE, REPLY_COMMAND_FINISH.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CallbackEventTypeCompleter))]
    public string[]? CallbackEventType { get; set; }

    /// <summary>The whole StartSmartLive request (a hashtable, an object or JSON text); the typed parameters are set over it.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Body { get; set; }

    /// <summary>Waits until the live is on air (PROCESSING) and writes the job; a live that fails first is an error.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Retries after a failed attempt, only for what surely never reached the service (default: the connection's, 3).</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int MaxRetry { get; set; }

    /// <summary>Seconds allowed for each attempt (default: the connection's, 30).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; }

    protected override void BeginProcessing()
    {
        var bound = MyInvocation.BoundParameters;
        options = new StartSmartLiveOptions
        {
            OutputUrls = OutputUrl,
            StreamKeys = StreamKey?.Select(k => PlainText(k) ?? string.Empty).ToList(),
            MaxLiveDurationHours = bound.ContainsKey(nameof(MaxLiveDurationHours)) ? MaxLiveDurationHours : null,
            RepeatCount = bound.ContainsKey(nameof(RepeatCount)) ? RepeatCount : null,
            PlayMode = PlayMode,
            SingleJobInRoom = SingleJobInRoom.IsPresent,
            CallbackUrl = CallbackUrl,
            CallbackAuthType = CallbackAuthType,
            CallbackKey = PlainText(CallbackKey),
            CallbackEvents = CallbackEventType,
        };
        StartSmartLiveBody checkedBody;
        try
        {
            bodyTree = JsonTree.ObjectOf(Body, nameof(Body));
            checkedBody = options.ApplyTo(StartSmartLiveBody.From(bodyTree));
            checkedBody.ToJson(out _); // checked once now, down to each value, so -WhatIf reports bad input too
        }
        catch (ArgumentException e)
        {
            throw Terminate(e, "Invalid" + e.ParamName);
        }

        foreach (string warning in StartSmartLiveOptions.CallbackWarnings(checkedBody))
        {
            WriteWarning(warning);
        }

        WarnUnknown(PlayMode, StartSmartLiveOptions.PlayModes, "play mode");
        WarnUnknown(CallbackAuthType, StartSmartLiveOptions.CallbackAuthTypes, "callback authentication type");
        foreach (string type in CallbackEventType ?? Array.Empty<string>())
        {
            WarnUnknown(type, StartSmartLiveOptions.CallbackEventTypes, "callback event type");
        }

        ConnectWithCallOptions();
    }

    protected override void ProcessRecord()
    {
        try
        {
            SmartLiveJobQuery.ValidatePathSegment(RoomId, nameof(RoomId));
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "InvalidRoomId", ErrorCategory.InvalidArgument, RoomId));
            return;
        }

        if (!ShouldProcess($"room {ConsoleText.Shorten(RoomId, 80)}", "Start a live"))
        {
            return;
        }

        StartedSmartLiveJob started;
        try
        {
            started = Await(Client.StartAsync(RoomId, options.ApplyTo(StartSmartLiveBody.From(bodyTree)), Cancellation));
        }
        catch (MetaStudioServiceException e)
        {
            WriteServiceError(e, RoomId, RoomId);
            return;
        }
        catch (Exception e) when (IsStop(e))
        {
            return;
        }

        SessionRooms.Remember(RoomId, null);
        foreach (string warning in started.Warnings)
        {
            WriteWarning($"Room {ConsoleText.Shorten(RoomId, 80)}: the service warns {ConsoleText.Shorten(warning, 64)} (the live started anyway).");
        }

        if (!Wait)
        {
            WriteObject(started);
            return;
        }

        try
        {
            JobWaiting.Run(this, Client, new[] { (RoomId, started.JobId!) }, new[] { "PROCESSING", "SUCCEED" }, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10),
                writeReached: true, endedIsError: true, Cancellation, started);
        }
        catch (Exception e) when (IsStop(e))
        {
        }
    }

    private void WarnUnknown(string? value, IReadOnlyList<string> known, string what)
    {
        if (value != null && !known.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            WriteWarning($"'{ConsoleText.Shorten(value, 64)}' is not a documented {what} ({string.Join(", ", known)}); it is sent as given.");
        }
    }
}
