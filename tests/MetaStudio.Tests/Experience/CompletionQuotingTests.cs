using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using MetaStudio.Client.SmartLive;
using MetaStudio.Client.Text;
using MetaStudio.Emulator;
using MetaStudio.Tests.Support;
using Xunit;

namespace MetaStudio.Tests.Experience;

/// <summary>
/// Completion text comes from service data, so it must never become code: every completion, read back
/// by the real parser after its parameter, is exactly one string argument equal to the value, and the
/// list and tooltip texts carry no control characters.
/// </summary>
public sealed class CompletionQuotingTests : IAsyncLifetime, IDisposable
{
    private const string HostileRoom = "hostile-room";

    /// <summary>Values that PowerShell would read as code, numbers, parameters, several arguments or nothing at all when unquoted.</summary>
    public static readonly string[] Corpus =
    {
        "r1;New-Item x;#", "r1;New-Item;x", "a;b", "a|b", "a&b", "&", "$(calc)", "$x", "${a}", "$", "a$", "$null", "it's", "'", "''", "\"q\"", "\"",
        "a`b", "`", "a b", "a\tb", "a{b}", "{a}", "@a", "@(a)", "@{a}", "@", "#a", "a#", "<#a#>", "-a", "-", "--", "--%", "a--%",
        "\u2013a", "\u2014a", "\u2015a", "0x10", "1e5", "7d", "1kb", "10L", "0b101", "1.5", ".5", "-1", "+1", "1..2", "0",
        "\u2018smart\u2019", "a\u2019b", "\u201Aa\u201B", "\u201Cq\u201D", "\u201Eq\u201C", "<a>", "a>b", "2>&1", "a,b", "a,", ",a", "(a)", "a(b)",
        "[a]", "[", "]", "a=b", "!a", "*", "a*", "~", "a\u200Bb", "\uFEFFa", "a\u202Eb", "\u0661\u0662", "直播间-美妆专场", "😀-room",
        "7d649d8b-8a6d-5e86-ce62-136384f56c11", new string('a', 255) + ";", "a\nb", "a\r\nb", "a\u001b[31mb", "a\0b", "a\u0085b",
        "a\u2028b", "a\u00A0b", "a\u0007",
    };

    private EmulatorServer server = null!;
    private HostedPowerShell pwsh = null!;

    /// <summary>The corpus values the cmdlet accepts as a room id (the others are never offered).</summary>
    private static IEnumerable<string> UsableRoomIds => Corpus.Where(IsUsableRoomId);

    public async Task InitializeAsync()
    {
        server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, Rooms = 1, JobsPerRoom = 1 });
        server.Store.AddRoom(HostileRoom, "hostile");
        // Jobs as the service might send them: their room ids and names are whatever it says.
        server.Store.AddJobs(HostileRoom, Corpus.Select((id, i) => JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["job_id"] = $"job-{i}",
            ["room_id"] = id,
            ["room_name"] = i % 3 == 0 ? "名\u001b]0;pwned\u0007\r\n二\u202E" : $"房 {i}\u0085\u009b2J",
            ["state"] = "SUCCEED",
            ["create_time"] = "2026-01-01T00:00:00Z",
        })));
        pwsh = new HostedPowerShell().ConnectTo(server);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose() => pwsh?.Dispose();

    private static bool IsUsableRoomId(string id)
    {
        try
        {
            SmartLiveJobQuery.ValidatePathSegment(id, "RoomId");
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private CompletionResult[] Complete(string input)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = pwsh.Runspace;
        return CommandCompletion.CompleteInput(input, input.Length, null, ps).CompletionMatches.ToArray();
    }

    /// <summary>
    /// Parses <c>{command} -{parameter} {completionText}</c> with the real parser and returns the one
    /// argument's value; fails unless that is one statement, one command, and after the parameter
    /// exactly one bare or single-quoted string constant.
    /// </summary>
    private static string ArgumentAfter(string command, string parameter, string completionText)
    {
        string line = $"{command} -{parameter} {completionText}";
        var ast = Parser.ParseInput(line, out _, out var errors);
        Assert.True(errors.Length == 0, $"{Show(completionText)} does not parse: {errors.FirstOrDefault()?.Message}");
        Assert.Null(ast.BeginBlock);
        Assert.Null(ast.ProcessBlock);
        Assert.Null(ast.ParamBlock);
        var statement = Assert.Single(ast.EndBlock.Statements);
        var pipeline = Assert.IsType<PipelineAst>(statement);
        var commandAst = Assert.IsType<CommandAst>(Assert.Single(pipeline.PipelineElements));
        Assert.Null(commandAst.Redirections.FirstOrDefault());
        Assert.True(commandAst.CommandElements.Count == 3, $"{Show(completionText)} gives {commandAst.CommandElements.Count - 2} arguments");
        Assert.Equal(command, commandAst.GetCommandName());
        var parameterAst = Assert.IsType<CommandParameterAst>(commandAst.CommandElements[1]);
        Assert.Equal(parameter, parameterAst.ParameterName);
        Assert.Null(parameterAst.Argument);
        var value = Assert.IsType<StringConstantExpressionAst>(commandAst.CommandElements[2]);
        Assert.True(value.StringConstantType is StringConstantType.BareWord or StringConstantType.SingleQuoted, $"{Show(completionText)} is {value.StringConstantType}");
        return value.Value;
    }

    private static void AssertPrintable(CompletionResult result)
    {
        Assert.False(result.ListItemText.Any(ConsoleText.NeedsEscape), $"list item text {Show(result.ListItemText)}");
        Assert.False(result.ToolTip.Any(ConsoleText.NeedsEscape), $"tooltip {Show(result.ToolTip)}");
        Assert.True(result.ListItemText.Length <= 100, $"list item text of {result.ListItemText.Length} characters");
        Assert.True(result.ToolTip.Length <= 400, $"tooltip of {result.ToolTip.Length} characters");
    }

    private static string Show(string text) => "[" + string.Concat(text.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString())) + "]";

    [Fact]
    public void HostileRoomIdsCompleteToExactlyThatOneArgument()
    {
        var listed = pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0]", HostileRoom);
        Assert.Null(listed.FirstError);
        Assert.Equal(Corpus.Length, listed.Output.Count);

        var results = Complete("Get-MSSmartLiveJob -RoomId ");
        var offered = new List<string>();
        foreach (var result in results)
        {
            string value = ArgumentAfter("Get-MSSmartLiveJob", "RoomId", result.CompletionText);
            Assert.Contains(value, Corpus);
            AssertPrintable(result);
            offered.Add(value);
        }

        // Every id the cmdlet accepts is offered once; ids it would refuse (white space, '#', control characters) are not remembered.
        Assert.Equal(UsableRoomIds.OrderBy(v => v, StringComparer.Ordinal), offered.OrderBy(v => v, StringComparer.Ordinal));
        Assert.DoesNotContain("r1;New-Item x;#", offered);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("'a")]
    [InlineData("\"a")]
    [InlineData("'")]
    [InlineData("\u2018")]
    [InlineData("\u2018\u2018")]
    [InlineData("'$")]
    [InlineData("'-a")] // (PowerShell itself calls no completer for a lone '-)
    [InlineData("'--")]
    [InlineData("'\u2013")]
    [InlineData("r1")]
    public void WhatWasTypedIsMatchedAndReplacedByAQuotedValue(string typed)
    {
        pwsh.Run("Get-MSSmartLiveJob -RoomId $args[0]", HostileRoom);
        string prefix = typed.TrimStart('\'', '"', '\u2018');
        var expected = UsableRoomIds.Where(id => id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();

        var results = Complete("Get-MSSmartLiveJob -RoomId " + typed);

        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(v => v, StringComparer.Ordinal),
            results.Select(r => ArgumentAfter("Get-MSSmartLiveJob", "RoomId", r.CompletionText)).OrderBy(v => v, StringComparer.Ordinal));
        Assert.All(results, AssertPrintable);
    }

    [Theory]
    [InlineData("Get-MSSmartLiveJob", "State")]
    [InlineData("Get-MSSmartLiveJob", "SortKey")]
    [InlineData("Connect-MSAccount", "Region")]
    public void FixedValueCompletersPassTheSameChecks(string command, string parameter)
    {
        var results = Complete($"{command} -{parameter} ");

        Assert.NotEmpty(results);
        foreach (var result in results)
        {
            Assert.Equal(result.CompletionText, ArgumentAfter(command, parameter, result.CompletionText)); // plain words stay bare
            AssertPrintable(result);
        }
    }

    /// <summary>
    /// The shared helper every completer goes through, over the whole corpus (including the values no
    /// room id could have): each value comes back as exactly itself, or not at all.
    /// </summary>
    [Fact]
    public void EveryCompleterQuotesAnyValue()
    {
        var matching = pwsh.Module!.ImplementingAssembly.GetType("MetaStudio.Completers.Completions", throwOnError: true)!
            .GetMethod("Matching", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;
        var values = Corpus.Select(v => (v, "tip: " + v)).ToList();

        var results = ((IEnumerable<CompletionResult>)matching.Invoke(null, new object?[] { values, "", null })!).ToList();

        var returned = new List<string>();
        foreach (var result in results)
        {
            returned.Add(ArgumentAfter("Get-MSSmartLiveJob", "RoomId", result.CompletionText));
            AssertPrintable(result);
        }

        // Nothing is lost: a value that cannot be written as one argument would be dropped, but every value here can.
        Assert.Equal(Corpus, returned);
    }
}
