using System;
using System.Collections.Generic;
using System.Linq;

namespace MetaStudio.Emulator.Data;

/// <summary>A command a live received: through ExecuteSmartLiveCommand (source EXTERNAL) or added by a test as the live's own (AUTO).</summary>
public sealed record ExecutedCommand(
    string CommandId, string RoomId, string JobId, string Command, string? ParamsJson, string Source, DateTimeOffset ReceivedAt, string Result);

/// <summary>
/// Every command sent to a live, in order, and per job the inserted ones (INSERT_PLAY_SCRIPT,
/// INSERT_PLAY_AUDIO, REWRITE_INTERACTION_RULES, the InsertCommandItem kinds) not yet cleaned up by
/// CLEAN_UP_INSERT_COMMAND, which ListInsertCommands pages through. Thread-safe. Library users see every
/// command as it is executed through <see cref="Executed"/> (to send REPLY_COMMAND_FINISH callbacks, say).
/// </summary>
public sealed class CommandStore
{
    /// <summary>The most commands kept in <see cref="All"/>; the oldest are dropped first.</summary>
    public const int MaxKept = 20_000;

    private static readonly HashSet<string> InsertKinds = new(StringComparer.Ordinal) { "INSERT_PLAY_SCRIPT", "INSERT_PLAY_AUDIO", "REWRITE_INTERACTION_RULES" };

    private readonly object gate = new();
    private readonly Queue<ExecutedCommand> all = new();
    private readonly Dictionary<(string Room, string Job), List<ExecutedCommand>> inserted = new();
    private readonly Dictionary<(string Room, string Job), string> rewrittenScripts = new();

    /// <summary>Raised after a command has been recorded, on the request's thread.</summary>
    public event Action<ExecutedCommand>? Executed;

    /// <summary>Every command recorded, oldest first (the last <see cref="MaxKept"/>).</summary>
    public IReadOnlyList<ExecutedCommand> All
    {
        get
        {
            lock (gate)
            {
                return all.ToArray();
            }
        }
    }

    /// <summary>The job's inserted commands that were not cleaned up, oldest first.</summary>
    public IReadOnlyList<ExecutedCommand> InsertedInto(string roomId, string jobId)
    {
        lock (gate)
        {
            return inserted.TryGetValue((roomId, jobId), out var list) ? list.ToArray() : Array.Empty<ExecutedCommand>();
        }
    }

    /// <summary>Adds a command the live triggered itself (source AUTO), as an interaction rule would.</summary>
    public ExecutedCommand AddAuto(string roomId, string jobId, string command, string? paramsJson, DateTimeOffset at) =>
        Record(new ExecutedCommand(Guid.NewGuid().ToString("D"), roomId, jobId, command, paramsJson, "AUTO", at, "SUCCESS"));

    internal ExecutedCommand Record(ExecutedCommand command)
    {
        lock (gate)
        {
            all.Enqueue(command);
            while (all.Count > MaxKept)
            {
                all.Dequeue();
            }

            var key = (command.RoomId, command.JobId);
            if (InsertKinds.Contains(command.Command))
            {
                if (!inserted.TryGetValue(key, out var list))
                {
                    inserted[key] = list = new List<ExecutedCommand>();
                }

                list.Add(command);
            }
            else if (command.Command == "CLEAN_UP_INSERT_COMMAND")
            {
                inserted.Remove(key);
            }
        }

        Executed?.Invoke(command);
        return command;
    }

    /// <summary>The scene_scripts JSON a REWRITE_PLAY_SCRIPT gave the job, if any.</summary>
    internal string? RewrittenScripts(string roomId, string jobId)
    {
        lock (gate)
        {
            return rewrittenScripts.TryGetValue((roomId, jobId), out var json) ? json : null;
        }
    }

    internal void RewriteScripts(string roomId, string jobId, string sceneScriptsJson)
    {
        lock (gate)
        {
            rewrittenScripts[(roomId, jobId)] = sceneScriptsJson;
        }
    }
}
