using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace MetaStudio.Completers;

/// <summary>What the completers share: prefix matching of what was typed so far, quotes ignored.</summary>
internal static class Completions
{
    /// <param name="values">Each completion and its tooltip.</param>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<(string Value, string ToolTip)> values, string? wordToComplete, Func<(string Value, string ToolTip), string, bool>? matches = null)
    {
        string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        matches ??= (v, p) => v.Value.StartsWith(p, StringComparison.OrdinalIgnoreCase);
        return values.Where(v => matches(v, prefix)).Select(v => new CompletionResult(v.Value, v.Value, CompletionResultType.ParameterValue, v.ToolTip));
    }
}
