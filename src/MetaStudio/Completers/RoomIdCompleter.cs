using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace MetaStudio.Completers;

/// <summary>
/// Completes -RoomId with rooms seen in this session's earlier results (by id or by room name),
/// never with a network call: completion must be instant and work offline.
/// </summary>
public sealed class RoomIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(
            SessionRooms.Known.Select(r => (r.Key, r.Value is null ? r.Key : $"{r.Key} ({r.Value})")),
            wordToComplete,
            (room, typed) => room.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase) ||
                             room.ToolTip.IndexOf(typed, room.Value.Length, StringComparison.OrdinalIgnoreCase) >= 0);
}
