using System;
using System.Collections.Generic;
using System.Management.Automation;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Json;
using MetaStudio.Client.Models;
using MetaStudio.Client.SmartLive;
using MetaStudio.Client.Text;
using MetaStudio.Completers;

namespace MetaStudio.Commands;

/// <summary>
/// <para type="synopsis">Sends a command to a running live (ExecuteSmartLiveCommand): a script to speak, audio to play, or any documented command.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "MSSmartLiveCommand", DefaultParameterSetName = CommandSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SmartLiveCommandResult))]
public sealed class InvokeMSSmartLiveCommandCommand : ServiceCmdlet
{
    private const string CommandSet = "Command";
    private const string TextSet = "Text";
    private const string AudioSet = "Audio";
    private const string ScriptsSet = "CurrentPlayingScript";
    private const string ConfigSet = "LiveJobConfig";

    private string command = null!;
    private byte[] body = null!;

    /// <summary>The room of the live. Takes the RoomId of piped jobs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RoomIdCompleter))]
    public string RoomId { get; set; } = null!;

    /// <summary>The live (job) to command. Takes the JobId of piped jobs.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string JobId { get; set; } = null!;

    /// <summary>The command, one of the documented ones (INSERT_PLAY_SCRIPT, … RESET_EXIT_CONFIG).</summary>
    [Parameter(Mandatory = true, Position = 2, ParameterSetName = CommandSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SmartLiveCommandCompleter))]
    public string Command { get; set; } = null!;

    /// <summary>The command's params: a hashtable, an object or JSON text of an object.</summary>
    [Parameter(Position = 3, ParameterSetName = CommandSet)]
    [ValidateNotNull]
    public object? Parameters { get; set; }

    /// <summary>Words for the digital human to say (INSERT_PLAY_SCRIPT, PlayTextInfo {"text_config": {"text": …}}).</summary>
    [Parameter(Mandatory = true, ParameterSetName = TextSet)]
    [AllowEmptyString]
    public string Text { get; set; } = null!;

    /// <summary>An MP3 to play (INSERT_PLAY_AUDIO, PlayAudioInfo {"audio_url": …}).</summary>
    [Parameter(Mandatory = true, ParameterSetName = AudioSet)]
    [AllowEmptyString]
    public string AudioUrl { get; set; } = null!;

    /// <summary>When the text or audio plays: PLAY_NOW (the text default), INSERT (at the end of the sentence playing) or APPEND (the audio default).</summary>
    [Parameter(ParameterSetName = TextSet)]
    [Parameter(ParameterSetName = AudioSet)]
    [ArgumentCompleter(typeof(PlayTypeCompleter))]
    public string? PlayType { get; set; }

    /// <summary>Who says it: STREAMER (default) or CO_STREAMER.</summary>
    [Parameter(ParameterSetName = TextSet)]
    [Parameter(ParameterSetName = AudioSet)]
    [ArgumentCompleter(typeof(PlayRoleCompleter))]
    public string? PlayRole { get; set; }

    /// <summary>Reads the scripts of the live's current round (GET_CURRENT_PLAYING_SCRIPTS).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ScriptsSet)]
    public SwitchParameter CurrentPlayingScript { get; set; }

    /// <summary>Reads the room definition the live runs with (GET_LIVE_JOB_CONFIG_INFO).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConfigSet)]
    public SwitchParameter LiveJobConfig { get; set; }

    /// <summary>Asks the service to skip its content review (review_config.no_need_review; allowed for whitelisted accounts only).</summary>
    [Parameter(ParameterSetName = CommandSet)]
    [Parameter(ParameterSetName = TextSet)]
    [Parameter(ParameterSetName = AudioSet)]
    public SwitchParameter SkipReview { get; set; }

    /// <summary>Sends a command that changes the live without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

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
        try
        {
            object? parameters;
            switch (ParameterSetName)
            {
                case TextSet:
                    (command, parameters) = (SmartLiveCommands.InsertPlayScript, SmartLiveCommands.PlayTextInfo(Text, PlayType, PlayRole));
                    break;
                case AudioSet:
                    (command, parameters) = (SmartLiveCommands.InsertPlayAudio, SmartLiveCommands.PlayAudioInfo(AudioUrl, PlayType, PlayRole));
                    if (SmartLiveCommands.LooksLikeNonMp3(AudioUrl))
                    {
                        WriteWarning($"-AudioUrl '{ConsoleText.Shorten(AudioUrl, 80)}' does not name an .mp3 file; the service plays MP3 only. It is sent as given.");
                    }

                    break;
                case ScriptsSet:
                    (command, parameters) = (SmartLiveCommands.GetCurrentPlayingScripts, null);
                    break;
                case ConfigSet:
                    (command, parameters) = (SmartLiveCommands.GetLiveJobConfigInfo, null);
                    break;
                default:
                    command = SmartLiveCommands.Normalize(Command);
                    parameters = JsonTree.ObjectOf(Parameters, nameof(Parameters));
                    break;
            }

            var request = new Dictionary<string, object?> { ["command"] = command };
            if (parameters != null)
            {
                request["params"] = parameters;
            }

            if (SkipReview)
            {
                request["review_config"] = new Dictionary<string, object?> { ["no_need_review"] = true };
            }

            body = JsonTreeWriter.ToJson(request, ParameterSetName == CommandSet ? nameof(Parameters) : ParameterSetName);
        }
        catch (ArgumentException e)
        {
            throw Terminate(e, "Invalid" + e.ParamName);
        }

        ConnectWithCallOptions();
    }

    protected override void ProcessRecord()
    {
        if (!IsUsableJob(RoomId, JobId))
        {
            return;
        }

        // A read changes nothing on the live: it is neither confirmed nor held back by -WhatIf, as a Get- cmdlet is not.
        string target = $"job {ConsoleText.Shorten(JobId, 64)} in room {ConsoleText.Shorten(RoomId, 64)}";
        if (!SmartLiveCommands.IsReadOnly(command) && !(Force && !WhatIfRequested) && !ShouldProcess(target, $"Send {command}"))
        {
            return;
        }

        try
        {
            var result = Await(Client.ExecuteCommandAsync(RoomId, JobId, body, Cancellation));
            result.Result ??= JsonObjects.ToObject(result.ResultText);
            WriteObject(result);
        }
        catch (MetaStudioServiceException e)
        {
            WriteServiceError(e, $"{RoomId}/{JobId}", RoomId, JobId);
        }
        catch (Exception e) when (IsStop(e))
        {
        }
    }

    /// <summary>-WhatIf, or $WhatIfPreference: -Force never skips a what-if.</summary>
    private bool WhatIfRequested =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) ? ((SwitchParameter)whatIf).IsPresent
            : SessionState.PSVariable.GetValue("WhatIfPreference") is { } preference && LanguagePrimitives.IsTrue(preference);
}
