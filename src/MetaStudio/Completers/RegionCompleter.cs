using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MetaStudio.Client.Connection;

namespace MetaStudio.Completers;

/// <summary>Completes -Region with MetaStudio's known regions and those of the regions file (other region ids are still accepted).</summary>
public sealed class RegionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(ContextResolver.FromProcess().KnownRegions(), wordToComplete);
}
