using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace MetaStudio.Tests.Help;

/// <summary>
/// The help of one cmdlet as written in docs/en-US/&lt;Cmdlet&gt;.md (sections in the platyPS style:
/// SYNOPSIS, DESCRIPTION, EXAMPLES, PARAMETERS, OUTPUTS, NOTES, RELATED LINKS).
/// </summary>
public sealed class CommandHelpSource
{
    public string Name { get; private set; } = "";
    public string Synopsis { get; private set; } = "";
    public List<string> Description { get; } = new();
    public List<(string Title, string Code, List<string> Remarks)> Examples { get; } = new();
    public Dictionary<string, List<string>> Parameters { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Each parameter's "Default value: …" line (the real default, or None).</summary>
    public Dictionary<string, string> DefaultValues { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<(string Type, List<string> Description)> Outputs { get; } = new();
    public List<string> Notes { get; } = new();
    public List<string> RelatedLinks { get; } = new();

    public static CommandHelpSource Parse(string path)
    {
        var help = new CommandHelpSource();
        string[] lines = File.ReadAllLines(path);
        string section = "", sub = "";
        var paragraph = new List<string>();
        List<string>? target = null;
        bool inCode = false;
        var code = new List<string>();

        void EndParagraph()
        {
            if (paragraph.Count > 0 && target != null)
            {
                target.Add(string.Join(" ", paragraph.Select(l => l.Trim())));
            }

            paragraph.Clear();
        }

        foreach (string raw in lines)
        {
            string line = raw.TrimEnd();
            if (inCode)
            {
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    inCode = false;
                    var last = help.Examples[^1];
                    // A second block (the command's output) follows the first rather than replacing it.
                    string block = string.Join("\n", code);
                    help.Examples[^1] = (last.Title, string.IsNullOrEmpty(last.Code) ? block : last.Code + "\n\n" + block, last.Remarks);
                    code.Clear();
                }
                else
                {
                    code.Add(raw);
                }

                continue;
            }

            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                help.Name = line.Substring(2).Trim();
                continue;
            }

            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                EndParagraph();
                section = line.Substring(3).Trim();
                target = section switch
                {
                    "DESCRIPTION" => help.Description,
                    "NOTES" => help.Notes,
                    _ => null,
                };
                continue;
            }

            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                EndParagraph();
                sub = line.Substring(4).Trim();
                switch (section)
                {
                    case "EXAMPLES":
                        help.Examples.Add((sub, "", new List<string>()));
                        target = help.Examples[^1].Remarks;
                        break;
                    case "PARAMETERS":
                        target = help.Parameters[sub.TrimStart('-')] = new List<string>();
                        break;
                    case "OUTPUTS":
                        help.Outputs.Add((sub, new List<string>()));
                        target = help.Outputs[^1].Description;
                        break;
                }

                continue;
            }

            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                EndParagraph();
                inCode = true;
                continue;
            }

            if (section == "SYNOPSIS")
            {
                help.Synopsis = (help.Synopsis + " " + line.Trim()).Trim();
                continue;
            }

            if (section == "RELATED LINKS")
            {
                if (line.StartsWith("- ", StringComparison.Ordinal))
                {
                    help.RelatedLinks.Add(line.Substring(2).Trim());
                }

                continue;
            }

            if (section == "PARAMETERS" && line.StartsWith("Default value:", StringComparison.Ordinal))
            {
                EndParagraph();
                help.DefaultValues[sub.TrimStart('-')] = line.Substring("Default value:".Length).Trim();
                continue;
            }

            if (line.Length == 0)
            {
                EndParagraph();
            }
            else
            {
                paragraph.Add(line);
            }
        }

        EndParagraph();
        if (!Regex.IsMatch(help.Name, "^[A-Z][A-Za-z]+-MS[A-Za-z]+$"))
        {
            throw new FormatException($"{path}: the first line must be '# Verb-MSNoun'.");
        }

        return help;
    }
}
