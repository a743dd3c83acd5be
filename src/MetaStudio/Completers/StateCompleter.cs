using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MetaStudio.Client.SmartLive;

namespace MetaStudio.Completers;

/// <summary>Completes -State with the documented job states (others are still accepted).</summary>
public sealed class StateCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete(SmartLiveJobQuery.KnownStates, wordToComplete);

    internal static IEnumerable<CompletionResult> Complete(IEnumerable<string> values, string? wordToComplete)
    {
        string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return values
            .Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
    }
}

/// <summary>Completes -SortKey with CreateTime, UpdateTime and AssetOrder.</summary>
public sealed class SortKeyCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        StateCompleter.Complete(SmartLiveJobQuery.SortKeys.Keys, wordToComplete);
}
