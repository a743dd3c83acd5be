using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace MetaStudio.Tests.Support;

/// <summary>
/// A host that answers PowerShell's confirmation prompts as a user at the keyboard would: each
/// <c>PromptForChoice</c> gets the next answer given (by its label, "Yes", "No", "Yes to All"…), and
/// every prompt is recorded. Anything else it is asked (a line of input, a credential) fails the test.
/// </summary>
public sealed class AnsweringHost : PSHost
{
    private readonly AnsweringUI ui = new();

    public override string Name => "AnsweringHost";

    public override Version Version => new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => ui;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    /// <summary>Answers for the next prompts, in order ("Yes", "No", "Yes to All", "No to All").</summary>
    public Queue<string> Answers => ui.Answers;

    /// <summary>Every prompt shown: its caption and message.</summary>
    public List<(string Caption, string Message)> Prompts => ui.Prompts;

    /// <summary>What was written to the host itself (the "What if:" lines of -WhatIf).</summary>
    public List<string> Lines => ui.Lines;

    public override void SetShouldExit(int exitCode)
    {
    }

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    private sealed class AnsweringUI : PSHostUserInterface
    {
        public Queue<string> Answers { get; } = new();

        public List<(string Caption, string Message)> Prompts { get; } = new();

        public List<string> Lines { get; } = new();

        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Add((caption, message));
            if (Answers.Count == 0)
            {
                throw new InvalidOperationException($"Nobody was to be asked, but PowerShell asked: {caption} {message}");
            }

            string answer = Answers.Dequeue();
            var labels = choices.Select(c => c.Label.Replace("&", string.Empty, StringComparison.Ordinal)).ToList();
            int index = labels.IndexOf(answer);
            return index >= 0 ? index : throw new InvalidOperationException($"'{answer}' is not one of the choices: {string.Join(", ", labels)}");
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new InvalidOperationException($"Unexpected prompt: {caption} {message}");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new InvalidOperationException($"Unexpected credential prompt: {caption}");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new InvalidOperationException($"Unexpected credential prompt: {caption}");

        public override string ReadLine() => throw new InvalidOperationException("Unexpected ReadLine.");

        public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("Unexpected ReadLineAsSecureString.");

        public override void Write(string value) => Lines.Add(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Add(value);

        public override void WriteLine(string value) => Lines.Add(value);

        public override void WriteErrorLine(string value)
        {
        }

        public override void WriteDebugLine(string message)
        {
        }

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message)
        {
        }

        public override void WriteWarningLine(string message)
        {
        }
    }
}
