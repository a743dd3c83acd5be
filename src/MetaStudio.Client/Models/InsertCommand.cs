using System.Text.Json.Serialization;
using MetaStudio.Client.Json;

namespace MetaStudio.Client.Models;

/// <summary>
/// A command inserted into a live (ListInsertCommands, InsertCommandItem): its id, name, parameters and
/// source (EXTERNAL: sent through the API; AUTO: triggered by the live itself, e.g. an interaction rule).
/// <see cref="ParametersJson"/> keeps the parameters as sent; <see cref="Parameters"/> holds them read
/// into objects (set by the module).
/// </summary>
public sealed class InsertCommand
{
    [JsonPropertyName("command_id")]
    public string? CommandId { get; set; }

    /// <summary>INSERT_PLAY_SCRIPT, INSERT_PLAY_AUDIO, REWRITE_INTERACTION_RULES (an open list).</summary>
    [JsonPropertyName("command")]
    public string? Command { get; set; }

    /// <summary>EXTERNAL or AUTO.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; set; }

    [JsonPropertyName("params")]
    [JsonConverter(typeof(RawJsonTextConverter))]
    public string? ParametersJson { get; set; }

    [JsonIgnore]
    public object? Parameters { get; set; }

    [JsonIgnore]
    public string? RoomId { get; set; }

    [JsonIgnore]
    public string? JobId { get; set; }

    /// <summary>The parameters on one line for views: secrets masked, control characters escaped, shortened.</summary>
    [JsonIgnore]
    public string ParametersSummary => JsonSummary.OneLine(ParametersJson, 200);

    public override string ToString() => Text.ConsoleText.Escape($"{Command} {CommandId}");
}
