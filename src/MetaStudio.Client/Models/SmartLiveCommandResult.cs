using System.Text.Json.Serialization;
using MetaStudio.Client.Json;

namespace MetaStudio.Client.Models;

/// <summary>
/// What ExecuteSmartLiveCommand answered (ExecuteSmartLiveCommandResponse) for a job: the command's id,
/// its name and its result. The service sends the result as a string, JSON text for the GET_* commands:
/// <see cref="ResultText"/> keeps it as sent, <see cref="Result"/> holds it read into objects when it is
/// JSON (set by the module), else the text. Pipes into Get-MSSmartLiveCommand by RoomId and JobId.
/// </summary>
public sealed class SmartLiveCommandResult
{
    /// <summary>How much of the result the default view shows.</summary>
    public const int SummaryLength = 120;

    [JsonPropertyName("command_id")]
    public string? CommandId { get; set; }

    [JsonPropertyName("command")]
    public string? Command { get; set; }

    /// <summary>The result as the service sent it (at most the connection's response size).</summary>
    [JsonPropertyName("result")]
    [JsonConverter(typeof(RawJsonTextConverter))]
    public string? ResultText { get; set; }

    /// <summary>The result read into objects when it is JSON text, else <see cref="ResultText"/>.</summary>
    [JsonIgnore]
    public object? Result { get; set; }

    [JsonIgnore]
    public string? RoomId { get; set; }

    [JsonIgnore]
    public string? JobId { get; set; }

    /// <summary>The X-Request-Id of the command request.</summary>
    [JsonIgnore]
    public string? RequestId { get; set; }

    /// <summary>The result on one line for views: secrets masked, control characters escaped, cut to <see cref="SummaryLength"/>.</summary>
    [JsonIgnore]
    public string ResultSummary => JsonSummary.OneLine(ResultText, SummaryLength);

    public override string ToString() => Text.ConsoleText.Escape($"{Command} {CommandId} (job {JobId})");
}
