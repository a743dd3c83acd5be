using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MetaStudio.Client.SmartLive;

namespace MetaStudio.Completers;

/// <summary>Completes a parameter with a fixed list of the API's values (others are still accepted: the service adds values).</summary>
public abstract class ValuesCompleter : IArgumentCompleter
{
    protected abstract IEnumerable<string> Values { get; }

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Values.Select(v => (v, v)), wordToComplete);
}

/// <summary>-LiveState of Get-MSSmartLiveRoom (SUCCESS, where jobs say SUCCEED).</summary>
public sealed class LiveStateCompleter : ValuesCompleter
{
    protected override IEnumerable<string> Values => SmartLiveRoomQuery.KnownLiveStates;
}

/// <summary>-RoomType.</summary>
public sealed class RoomTypeCompleter : ValuesCompleter
{
    protected override IEnumerable<string> Values => SmartLiveRoomQuery.KnownRoomTypes;
}

/// <summary>-TemplateOwnType.</summary>
public sealed class TemplateOwnTypeCompleter : ValuesCompleter
{
    protected override IEnumerable<string> Values => SmartLiveRoomQuery.KnownTemplateOwnTypes;
}

/// <summary>-ConfirmState.</summary>
public sealed class ConfirmStateCompleter : ValuesCompleter
{
    protected override IEnumerable<string> Values => SmartLiveRoomQuery.KnownConfirmStates;
}

/// <summary>-PlayMode of Start-MSSmartLiveJob.</summary>
public sealed class PlayModeCompleter : ValuesCompleter
{
    protected override IEnumerable<string> Values => StartSmartLiveOptions.PlayModes;
}

/// <summary>-CallbackAuthType of Start-MSSmartLiveJob.</summary>
public sealed class CallbackAuthTypeCompleter : ValuesCompleter
{
    protected override IEnumerable<string> Values => StartSmartLiveOptions.CallbackAuthTypes;
}

/// <summary>-PlayType of Invoke-MSSmartLiveCommand.</summary>
public sealed class PlayTypeCompleter : ValuesCompleter
{
    protected override IEnumerable<string> Values => SmartLiveCommands.PlayTypes;
}

/// <summary>-PlayRole of Invoke-MSSmartLiveCommand.</summary>
public sealed class PlayRoleCompleter : ValuesCompleter
{
    protected override IEnumerable<string> Values => SmartLiveCommands.PlayRoles;
}

/// <summary>-CallbackEventType of Start-MSSmartLiveJob.</summary>
public sealed class CallbackEventTypeCompleter : ValuesCompleter
{
    protected override IEnumerable<string> Values => StartSmartLiveOptions.CallbackEventTypes;
}

/// <summary>-Command of Invoke-MSSmartLiveCommand: every documented command, with what it does as the tooltip.</summary>
public sealed class SmartLiveCommandCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(SmartLiveCommands.Known.Select(k => (k.Name, k.Meaning)), wordToComplete);
}
