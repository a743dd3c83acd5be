using System.Text.Json.Serialization;
using MetaStudio.Client.Models;

namespace MetaStudio.Client.Json;

/// <summary>Source-generated (reflection-free) JSON metadata for every model the client reads.</summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    Converters = new[] { typeof(UtcDateTimeConverter) })]
[JsonSerializable(typeof(SmartLiveJobPage))]
[JsonSerializable(typeof(SmartLiveJob))]
[JsonSerializable(typeof(ServiceErrorBody))]
internal sealed partial class MetaStudioJsonContext : JsonSerializerContext
{
}
