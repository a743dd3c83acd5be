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
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return SessionRooms.Known
            .Where(r => r.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ||
                        (r.Value != null && r.Value.IndexOf(prefix, StringComparison.OrdinalIgnoreCase) >= 0))
            .Select(r => new CompletionResult(r.Key, r.Value is null ? r.Key : $"{r.Key} ({r.Value})", CompletionResultType.ParameterValue, r.Value ?? r.Key));
    }
}
