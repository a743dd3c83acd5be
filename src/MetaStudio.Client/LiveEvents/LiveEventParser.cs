using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using MetaStudio.Client.Json;

namespace MetaStudio.Client.LiveEvents;

/// <summary>A callback body that is not a live event; the message says what is wrong with it.</summary>
public sealed class LiveEventFormatException : FormatException
{
    public LiveEventFormatException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Turns a callback body into a typed <see cref="LiveEvent"/>. The body is untrusted: at most
/// <see cref="MaxBodyChars"/> characters, nested at most <see cref="MaxDepth"/> levels, and the message
/// may be JSON text (as documented) or an object already in place (a body some framework parsed twice).
/// </summary>
public static class LiveEventParser
{
    /// <summary>The longest body read: 64 KiB of text, far above a real event (a few hundred bytes).</summary>
    public const int MaxBodyChars = 64 * 1024;

    public const int MaxDepth = 16;

    /// <exception cref="LiveEventFormatException">Not a live event.</exception>
    public static LiveEvent Parse(string body)
    {
        if (body.Length > MaxBodyChars)
        {
            throw new LiveEventFormatException($"The body is {body.Length:N0} characters; a live event is read up to {MaxBodyChars:N0}.");
        }

        if (body.Trim().Length == 0)
        {
            throw new LiveEventFormatException("The body is empty.");
        }

        var tree = JsonText.TryParseObject(body, MaxDepth, out string? error)
                   ?? throw new LiveEventFormatException($"The body is not a live event: {error}.");
        return Parse(tree);
    }

    /// <summary>The live event in a file: a regular file of at most <see cref="MaxBodyChars"/> bytes (a FIFO or a device is never opened).</summary>
    /// <exception cref="LiveEventFormatException">Not a live event, or not a readable regular file of that size.</exception>
    public static LiveEvent ParseFile(string path)
    {
        string text;
        try
        {
            text = Connection.SmallFile.Read(path, MaxBodyChars, "live event files");
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
        {
            throw new LiveEventFormatException($"The file cannot be read: {MetaStudio.Client.Text.ConsoleText.Shorten(e.Message, 200)}.");
        }

        if (text.Length == 0)
        {
            throw new LiveEventFormatException("The file is empty or not a regular file.");
        }

        return Parse(text);
    }

    /// <summary>A body already parsed into dictionaries (JSON text parsed by the caller, a hashtable, ConvertFrom-Json output turned into a tree).</summary>
    /// <exception cref="LiveEventFormatException">Not a live event.</exception>
    public static LiveEvent Parse(IDictionary body)
    {
        if (Value(body, "event_type") is not string type || type.Trim().Length == 0)
        {
            throw new LiveEventFormatException("The body has no event_type (a live event is {\"event_type\": …, \"message\": \"…\"}).");
        }

        if (type.Length > 64)
        {
            throw new LiveEventFormatException($"The event_type is {type.Length} characters; event types are short names such as SHOOT_SCRIPT_SWITCH.");
        }

        IDictionary message = Value(body, "message") switch
        {
            null => throw new LiveEventFormatException($"The {MetaStudio.Client.Text.ConsoleText.Shorten(type, 64)} event has no message."),
            IDictionary embedded => embedded,
            string text when text.Length <= MaxBodyChars => JsonText.TryParseObject(text, MaxDepth, out string? error)
                ?? throw new LiveEventFormatException($"The {MetaStudio.Client.Text.ConsoleText.Shorten(type, 64)} event's message is not a JSON object: {error}."),
            string => throw new LiveEventFormatException($"The message is longer than {MaxBodyChars:N0} characters."),
            var other => throw new LiveEventFormatException($"The {MetaStudio.Client.Text.ConsoleText.Shorten(type, 64)} event's message is a {Kind(other)}; it must be JSON text of an object."),
        };

        LiveEvent parsed = type switch
        {
            "SHOOT_SCRIPT_SWITCH" => new ShootScriptSwitchEvent
            {
                SceneScriptName = Field(message, "scene_script_name"),
                ShootScriptSequenceNo = int.TryParse(Field(message, "shoot_script_sequence_no"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : null,
                ShootScriptTitle = Field(message, "shoot_script_title"),
            },
            "RTMP_STREAM_STATE_CHANGE" => new RtmpStreamStateChangeEvent
            {
                OutputUrl = Field(message, "output_url"),
                State = Field(message, "state"),
                StreamKey = Field(message, "stream_key"),
            },
            "REPLY_COMMAND_FINISH" => new ReplyCommandFinishEvent { ReplyId = Field(message, "reply_id") },
            _ => new LiveEvent { Message = Value(body, "message") as string ?? JsonText.Serialize(message) },
        };
        parsed.EventType = type;
        parsed.RoomId = Field(message, "room_id");
        parsed.JobId = Field(message, "job_id");
        return parsed;
    }

    /// <summary>The member of that name; failing an exact match, one that differs only in case (a hashtable typed as @{ Event_Type = … }).</summary>
    private static object? Value(IDictionary map, string name)
    {
        if (map.Contains(name))
        {
            return map[name];
        }

        foreach (DictionaryEntry entry in map)
        {
            if (entry.Key is string key && string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value;
            }
        }

        return null;
    }

    /// <summary>A field as text: strings as they are, numbers and booleans in invariant form; anything else (an object, a list) null.</summary>
    private static string? Field(IDictionary map, string name) => Value(map, name) switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        IConvertible c and not char => Convert.ToString(c, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string Kind(object value) => value is IList ? "list" : value is bool ? "boolean" : value is IConvertible ? "number" : value.GetType().Name;
}
