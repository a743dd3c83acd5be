using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace MetaStudio.Playground;

/// <summary>
/// A non-interactive PowerShell host that writes to a TextWriter: enough for Out-Default to
/// format tables and lists as a console would, at a fixed width, counting East Asian wide
/// characters as two cells as a terminal draws them.
/// </summary>
public sealed class TextHost : PSHost
{
    private readonly TextHostUserInterface ui;

    /// <param name="plainText">Strip ANSI escape sequences (for logs, files and tests).</param>
    public TextHost(TextWriter writer, int width = 120, bool plainText = true)
    {
        ui = new TextHostUserInterface(writer, width, plainText);
    }

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "MetaStudio.Playground";

    public override PSHostUserInterface UI => ui;

    public override Version Version => typeof(TextHost).Assembly.GetName().Version ?? new Version(0, 1);

    /// <summary>The exit code a script asked for with <c>exit N</c>, if it did.</summary>
    public int? ExitCode { get; private set; }

    public override void EnterNestedPrompt() => throw new NotSupportedException("The playground is not interactive.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("The playground is not interactive.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

    private sealed class TextHostUserInterface : PSHostUserInterface
    {
        private static readonly Regex Ansi = new("\u001b\\[[0-9;?]*[A-Za-z]", RegexOptions.Compiled | RegexOptions.CultureInvariant);
        private readonly TextWriter writer;
        private readonly bool plainText;

        public TextHostUserInterface(TextWriter writer, int width, bool plainText)
        {
            this.writer = writer;
            this.plainText = plainText;
            RawUI = new TextHostRawUserInterface(width);
        }

        public override PSHostRawUserInterface RawUI { get; }

        public override bool SupportsVirtualTerminal => !plainText;

        public override void Write(string value) => writer.Write(Clean(value));

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => writer.Write(Clean(value));

        public override void WriteLine(string value) => writer.WriteLine(Clean(value));

        public override void WriteErrorLine(string value) => writer.WriteLine(Clean(value));

        public override void WriteDebugLine(string message) => writer.WriteLine("DEBUG: " + Clean(message));

        public override void WriteVerboseLine(string message) => writer.WriteLine("VERBOSE: " + Clean(message));

        public override void WriteWarningLine(string message) => writer.WriteLine("WARNING: " + Clean(message));

        private string Clean(string value) => plainText && value.IndexOf('\u001b') >= 0 ? Ansi.Replace(value, string.Empty) : value;

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            // Progress bars need an interactive console; a log would only fill with them.
        }

        public override string ReadLine() => throw new NotSupportedException("The playground is not interactive.");

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("The playground is not interactive.");

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("The playground is not interactive: " + message);

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("The playground is not interactive: " + message);

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("The playground is not interactive: " + message);

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException("The playground is not interactive: " + message);
    }

    private sealed class TextHostRawUserInterface : PSHostRawUserInterface
    {
        private readonly int width;

        public TextHostRawUserInterface(int width) => this.width = width;

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override Size BufferSize { get => new(width, 9999); set { } }

        public override Coordinates CursorPosition { get; set; }

        public override int CursorSize { get; set; }

        public override bool KeyAvailable => false;

        public override Size MaxPhysicalWindowSize => new(width, 50);

        public override Size MaxWindowSize => new(width, 50);

        public override Coordinates WindowPosition { get; set; }

        public override Size WindowSize { get => new(width, 50); set { } }

        public override string WindowTitle { get; set; } = "MetaStudio playground";

        public override void FlushInputBuffer()
        {
        }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("The playground is not interactive.");

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();

        // The formatter pads and truncates columns by these; the base class counts characters,
        // which leaves a table with Chinese room names out of line.
        public override int LengthInBufferCells(char source) => CellWidth.Of(source);

        public override int LengthInBufferCells(string source) => CellWidth.Of(source ?? string.Empty);

        public override int LengthInBufferCells(string source, int offset) => CellWidth.Of(source ?? string.Empty, offset);
    }
}
