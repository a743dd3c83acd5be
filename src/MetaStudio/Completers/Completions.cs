using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using MetaStudio.Client.Text;

namespace MetaStudio.Completers;

/// <summary>
/// What the completers share: prefix matching of what was typed so far (quotes ignored), and
/// completion text the parser reads back as exactly the value. Values can come from the service
/// (room ids), so they are treated as untrusted: a value is inserted bare only when PowerShell
/// would read the bare text as one string argument equal to it, else single-quoted; one that would
/// not round-trip even quoted is not offered. List and tooltip texts are escaped and shortened.
/// </summary>
internal static class Completions
{
    private const int MaxListItemText = 80;
    private const int MaxToolTip = 300;

    // The quote characters PowerShell's tokenizer recognises: ' and its Unicode forms, " and its Unicode forms.
    private static readonly char[] Quotes = { '\'', '\u2018', '\u2019', '\u201A', '\u201B', '"', '\u201C', '\u201D', '\u201E' };

    /// <param name="values">Each completion and its tooltip.</param>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<(string Value, string ToolTip)> values, string? wordToComplete, Func<(string Value, string ToolTip), string, bool>? matches = null)
    {
        string typed = wordToComplete ?? string.Empty;
        bool userQuoted = typed.Length > 0 && Array.IndexOf(Quotes, typed[0]) >= 0;
        string prefix = typed.Trim(Quotes);
        matches ??= (v, p) => v.Value.StartsWith(p, StringComparison.OrdinalIgnoreCase);
        var results = new List<CompletionResult>();
        foreach (var v in values)
        {
            if (string.IsNullOrEmpty(v.Value) || !matches(v, prefix) || ArgumentText(v.Value, userQuoted) is not { } text)
            {
                continue;
            }

            string toolTip = string.IsNullOrEmpty(v.ToolTip) ? v.Value : v.ToolTip;
            results.Add(new CompletionResult(text, ConsoleText.Shorten(v.Value, MaxListItemText), CompletionResultType.ParameterValue, ConsoleText.Shorten(toolTip, MaxToolTip)));
        }

        return results;
    }

    /// <summary>
    /// The text to insert for <paramref name="value"/>: the value itself when the parser reads it back
    /// bare as that one string (and the user has not started a quoted string), else the value
    /// single-quoted with every single-quote character doubled; null when neither reads back as the value.
    /// </summary>
    internal static string? ArgumentText(string value, bool preferQuoted = false)
    {
        if (!preferQuoted && ReadsBackAs(value, value))
        {
            return value;
        }

        string quoted = "'" + CodeGeneration.EscapeSingleQuotedStringContent(value) + "'";
        return ReadsBackAs(quoted, value) ? quoted : null;
    }

    /// <summary>
    /// Whether <c>Command -Parameter {text}</c> parses without error into one command whose only
    /// argument after the parameter is a bare or single-quoted string constant equal to <paramref name="value"/>.
    /// Numbers (0x10, 1e5, 7d), parameters (-a, –a), variables, subexpressions, several arguments,
    /// statements, redirections and comments all fail this check.
    /// </summary>
    private static bool ReadsBackAs(string text, string value)
    {
        var ast = Parser.ParseInput("Command -Parameter " + text, out _, out var errors);
        if (errors.Length != 0 || ast.BeginBlock != null || ast.ProcessBlock != null || ast.ParamBlock != null ||
            ast.EndBlock.Statements.Count != 1 || ast.EndBlock.Statements[0] is not PipelineAst pipeline ||
            pipeline.PipelineElements.Count != 1 || pipeline.PipelineElements[0] is not CommandAst command ||
            command.Redirections.Count != 0 || command.CommandElements.Count != 3 ||
            command.CommandElements[1] is not CommandParameterAst { Argument: null } ||
            command.CommandElements[2] is not StringConstantExpressionAst argument)
        {
            return false;
        }

        return argument.StringConstantType is StringConstantType.BareWord or StringConstantType.SingleQuoted &&
               string.Equals(argument.Value, value, StringComparison.Ordinal);
    }
}
