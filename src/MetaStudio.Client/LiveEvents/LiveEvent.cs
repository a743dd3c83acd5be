using System;
using MetaStudio.Client.Text;

namespace MetaStudio.Client.LiveEvents;

/// <summary>
/// A live event MetaStudio posted to a callback URL (LiveEventCallBackConfig): the body
/// <c>{"event_type": …, "message": "&lt;JSON text&gt;"}</c>, its message's room and job. An event type
/// this module does not know yet comes as this class with the message's JSON text in <see cref="Message"/>.
/// </summary>
public class LiveEvent
{
    public string EventType { get; internal set; } = string.Empty;

    public string? RoomId { get; internal set; }

    public string? JobId { get; internal set; }

    /// <summary>The message as JSON text, for event types this module does not know (null for the known ones, whose fields are typed).</summary>
    public string? Message { get; internal set; }

    /// <summary>A short, escaped description of what happened, for tables and logs (an unknown type's message with secret-named members as ***).</summary>
    public virtual string Details => Json.JsonSummary.OneLine(Message, 120);

    public override string ToString() => ConsoleText.Escape($"{EventType} job {JobId}: ") + Details;
}

/// <summary>SHOOT_SCRIPT_SWITCH: the live moved to another paragraph (shoot script) of a scene script.</summary>
public sealed class ShootScriptSwitchEvent : LiveEvent
{
    public string? SceneScriptName { get; internal set; }

    /// <summary>The paragraph's sequence_no (the service sends it as a string, "2"; null when it is not a whole number).</summary>
    public int? ShootScriptSequenceNo { get; internal set; }

    public string? ShootScriptTitle { get; internal set; }

    public override string Details => ConsoleText.Shorten($"{SceneScriptName} #{ShootScriptSequenceNo} {ShootScriptTitle}", 120);
}

/// <summary>RTMP_STREAM_STATE_CHANGE: the push to an output URL is CONNECTING, CONNECTED, DISCONNECTED, RECONNECTING or END.</summary>
public sealed class RtmpStreamStateChangeEvent : LiveEvent
{
    public string? OutputUrl { get; internal set; }

    /// <summary>CONNECTING, CONNECTED, DISCONNECTED, RECONNECTING, END (kept as sent: the service may add values).</summary>
    public string? State { get; internal set; }

    /// <summary>The stream key of the output URL: secret, so no default view and no ToString shows it.</summary>
    public string? StreamKey { get; internal set; }

    public override string Details => ConsoleText.Shorten(State, 16) + " " + ConsoleText.Shorten(ConsoleText.EscapeUrl(OutputUrl), 100);
}

/// <summary>REPLY_COMMAND_FINISH: a reply (an inserted script or audio) finished playing.</summary>
public sealed class ReplyCommandFinishEvent : LiveEvent
{
    public string? ReplyId { get; internal set; }

    public override string Details => "reply " + ConsoleText.Shorten(ReplyId, 100);
}
