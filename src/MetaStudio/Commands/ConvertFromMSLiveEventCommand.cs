using System;
using System.Collections;
using System.Management.Automation;
using MetaStudio.Client.LiveEvents;
using MetaStudio.Client.Text;

namespace MetaStudio.Commands;

/// <summary>
/// <para type="synopsis">Turns live event callback bodies (event_type and message) into typed event objects.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "MSLiveEvent", DefaultParameterSetName = "InputObject")]
[OutputType(typeof(LiveEvent), typeof(ShootScriptSwitchEvent), typeof(RtmpStreamStateChangeEvent), typeof(ReplyCommandFinishEvent))]
public sealed class ConvertFromMSLiveEventCommand : MetaStudioCmdlet
{
    private int item;

    /// <summary>A callback body: JSON text (one body per item), or an object already parsed (ConvertFrom-Json output, a hashtable).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "InputObject")]
    [AllowNull]
    [AllowEmptyString]
    public object? InputObject { get; set; }

    /// <summary>Files that each hold one callback body (regular files of at most 64 KiB).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Path")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Path")
        {
            foreach (string path in Path)
            {
                foreach (string file in Resolve(path))
                {
                    Convert(() => LiveEventParser.ParseFile(file), $"file {ConsoleText.Shorten(file, 200)}", file);
                }
            }

            return;
        }

        if (InputObject is null)
        {
            return; // as ConvertFrom-Json does: an empty pipeline ($null | …, or $list.Body of an empty list) gives nothing
        }

        item++;
        object? input = InputObject is PSObject ps && ps.BaseObject is not PSCustomObject ? ps.BaseObject : InputObject;
        string where = $"item {item}";
        Convert(() => input switch
        {
            string text => LiveEventParser.Parse(text),
            System.Collections.IDictionary or PSObject => LiveEventParser.Parse(JsonTree.ObjectOf(InputObject, nameof(InputObject)) ?? throw new LiveEventFormatException("The input is empty.")),
            _ => throw new LiveEventFormatException(
                $"a {input.GetType().FullName} is not a callback body. Give the body's JSON text, its file (-Path), or the object ConvertFrom-Json or a web framework made of it."),
        }, where, null);
    }

    private void Convert(Func<LiveEvent> parse, string where, string? target)
    {
        try
        {
            WriteObject(parse());
        }
        catch (LiveEventFormatException e)
        {
            WriteError(new ErrorRecord(new LiveEventFormatException($"{char.ToUpperInvariant(where[0])}{where.Substring(1)} is not a live event: {e.Message}"), "NotALiveEvent", ErrorCategory.InvalidData, target));
        }
        catch (ArgumentException e)
        {
            // The inner message already ends with "(Parameter '…')", which a new ArgumentException would add again.
            string reason = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty);
            WriteError(new ErrorRecord(new ArgumentException($"{char.ToUpperInvariant(where[0])}{where.Substring(1)} is not a live event: {reason}", e.ParamName, e), "NotALiveEvent", ErrorCategory.InvalidArgument, target));
        }
    }

    private System.Collections.Generic.IEnumerable<string> Resolve(string path)
    {
        System.Collections.ObjectModel.Collection<string> files;
        try
        {
            files = GetResolvedProviderPathFromPSPath(path, out var provider);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                throw new ArgumentException($"-Path '{ConsoleText.Shorten(path, 200)}' is in the {provider.Name} provider; give a file system path.", nameof(Path));
            }
        }
        catch (Exception e) when (e is ItemNotFoundException or ArgumentException or NotSupportedException or DriveNotFoundException)
        {
            WriteError(new ErrorRecord(new ArgumentException($"-Path '{ConsoleText.Shorten(path, 200)}': {e.Message}", nameof(Path), e), "PathNotFound", ErrorCategory.ObjectNotFound, path));
            return Array.Empty<string>();
        }

        return files;
    }
}
