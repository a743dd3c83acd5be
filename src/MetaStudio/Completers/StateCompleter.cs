using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MetaStudio.Client.SmartLive;

namespace MetaStudio.Completers;

/// <summary>Completes -State with the documented job states (others are still accepted).</summary>
public sealed class StateCompleter : ValuesCompleter
{
    protected override IEnumerable<string> Values => SmartLiveJobQuery.KnownStates;
}

/// <summary>Completes -SortKey with CreateTime, UpdateTime and AssetOrder.</summary>
public sealed class SortKeyCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(SmartLiveJobQuery.SortKeys.Select(k => (k.Key, $"{k.Key} (sort_key={k.Value})")), wordToComplete);
}
