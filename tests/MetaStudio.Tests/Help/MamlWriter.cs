using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace MetaStudio.Tests.Help;

/// <summary>
/// Writes MAML (what Get-Help reads for a binary module) from the markdown help and the cmdlets'
/// real metadata, so syntax, types, positions and pipeline binding can never drift from the code.
/// </summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };

    public static string Write(IEnumerable<(CommandHelpSource Help, CmdletInfo Cmdlet)> commands)
    {
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
            commands.OrderBy(c => c.Help.Name, StringComparer.Ordinal).Select(c => CommandElement(c.Help, c.Cmdlet)));
        var doc = new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        var sb = new StringBuilder();
        using (var writer = XmlWriter.Create(new System.IO.StringWriter(sb), settings))
        {
            doc.Save(writer);
        }

        return sb.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal) + "\n";
    }

    /// <summary>The cmdlet's own (non-common) parameters, by name.</summary>
    public static IReadOnlyDictionary<string, ParameterMetadata> OwnParameters(CmdletInfo cmdlet) =>
        cmdlet.Parameters.Where(p => !CommonParameters.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

    private static XElement CommandElement(CommandHelpSource help, CmdletInfo cmdlet)
    {
        var own = OwnParameters(cmdlet);
        var undocumented = own.Keys.Where(k => !help.Parameters.ContainsKey(k)).ToList();
        var unknown = help.Parameters.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (undocumented.Count > 0 || unknown.Count > 0)
        {
            throw new InvalidOperationException($"{help.Name}: parameters without help: [{string.Join(", ", undocumented)}]; help for parameters that do not exist: [{string.Join(", ", unknown)}].");
        }

        var withoutDefault = own.Keys.Where(k => string.IsNullOrWhiteSpace(help.DefaultValues.TryGetValue(k, out var d) ? d : null)).ToList();
        if (withoutDefault.Count > 0)
        {
            throw new InvalidOperationException($"{help.Name}: parameters without a 'Default value:' line (the real default, or None): [{string.Join(", ", withoutDefault)}].");
        }

        var sets = cmdlet.ParameterSets.OrderBy(s => s.IsDefault ? 0 : 1).ThenBy(s => s.Name, StringComparer.Ordinal);
        return new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun),
                Paragraphs(Maml + "description", new[] { help.Synopsis })),
            Paragraphs(Maml + "description", help.Description),
            new XElement(Command + "syntax", sets.Select(set => new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", help.Name),
                set.Parameters.Where(p => !CommonParameters.Contains(p.Name))
                    .OrderBy(p => p.Position < 0 ? int.MaxValue : p.Position).ThenBy(p => p.IsMandatory ? 0 : 1)
                    .Select(p => ParameterElement(p.Name, p.ParameterType, p.IsMandatory, p.Position, p.ValueFromPipeline, p.ValueFromPipelineByPropertyName, p.Aliases, help.Parameters[p.Name]))))),
            new XElement(Command + "parameters", own.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p =>
            {
                var attributes = p.ParameterSets.Values;
                int position = attributes.Select(a => a.Position).DefaultIfEmpty(int.MinValue).Max();
                var element = ParameterElement(p.Name, p.ParameterType, attributes.Any(a => a.IsMandatory), position < 0 ? -1 : position,
                    attributes.Any(a => a.ValueFromPipeline), attributes.Any(a => a.ValueFromPipelineByPropertyName), p.Aliases, help.Parameters[p.Name]);
                element.Add(new XElement(Dev + "defaultValue", help.DefaultValues[p.Name]));
                return element;
            })),
            new XElement(Command + "inputTypes", InputTypes(own)),
            new XElement(Command + "returnValues", help.Outputs.Select(o => new XElement(Command + "returnValue",
                new XElement(Dev + "type", new XElement(Maml + "name", o.Type)),
                Paragraphs(Maml + "description", o.Description)))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", help.Notes.Select(n => new XElement(Maml + "para", n)))),
            new XElement(Command + "examples", help.Examples.Select((e, i) => new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                new XElement(Dev + "code", e.Code),
                new XElement(Dev + "remarks", e.Remarks.Select(r => new XElement(Maml + "para", r)))))),
            new XElement(Command + "relatedLinks", help.RelatedLinks.Select(l => new XElement(Maml + "navigationLink",
                new XElement(Maml + "linkText", l), new XElement(Maml + "uri", "")))));
    }

    private static XElement ParameterElement(string name, Type type, bool required, int position, bool byValue, bool byName,
        IEnumerable<string> aliases, List<string> description)
    {
        string pipeline = (byValue, byName) switch
        {
            (true, true) => "True (ByValue, ByPropertyName)",
            (true, false) => "True (ByValue)",
            (false, true) => "True (ByPropertyName)",
            _ => "False",
        };
        bool isSwitch = type == typeof(SwitchParameter);
        var element = new XElement(Command + "parameter",
            new XAttribute("required", required ? "true" : "false"),
            new XAttribute("variableLength", type.IsArray ? "true" : "false"),
            new XAttribute("globbing", "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", position < 0 ? "named" : position.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new XAttribute("aliases", aliases.Any() ? string.Join(", ", aliases) : "none"),
            new XElement(Maml + "name", name),
            Paragraphs(Maml + "description", description));
        if (!isSwitch)
        {
            element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", type.IsArray ? "true" : "false"), TypeName(type)));
        }

        element.Add(new XElement(Dev + "type", new XElement(Maml + "name", TypeName(type))));
        return element;
    }

    private static IEnumerable<XElement> InputTypes(IReadOnlyDictionary<string, ParameterMetadata> parameters)
    {
        var byValue = parameters.Values.Where(p => p.ParameterSets.Values.Any(a => a.ValueFromPipeline)).ToList();
        var byName = parameters.Values.Where(p => p.ParameterSets.Values.Any(a => a.ValueFromPipelineByPropertyName)).ToList();
        foreach (var p in byValue)
        {
            yield return new XElement(Command + "inputType", new XElement(Dev + "type", new XElement(Maml + "name", FullTypeName(p.ParameterType))),
                new XElement(Maml + "description", new XElement(Maml + "para", $"Binds to -{p.Name}.")));
        }

        if (byName.Count > 0)
        {
            yield return new XElement(Command + "inputType", new XElement(Dev + "type", new XElement(Maml + "name", "System.Management.Automation.PSObject")),
                new XElement(Maml + "description", new XElement(Maml + "para",
                    "Objects with these properties: " + string.Join(", ", byName.Select(p => p.Name)) + " (bound by property name).")));
        }
    }

    private static XElement Paragraphs(XName name, IEnumerable<string> paragraphs) =>
        new(name, paragraphs.Select(p => new XElement(Maml + "para", p)));

    private static string TypeName(Type type) => type.Name;

    private static string FullTypeName(Type type) => type.FullName ?? type.Name;
}
