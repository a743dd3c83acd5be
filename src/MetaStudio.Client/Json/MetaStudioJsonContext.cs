using System.Text.Json.Serialization;
using MetaStudio.Client.Models;

namespace MetaStudio.Client.Json;

/// <summary>
/// Source-generated (reflection-free) JSON metadata for every model the client reads, with the
/// lenient converters: the service's loose numbers, booleans, strings and times are read for what
/// they mean (see <see cref="Lenient"/>).
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    Converters = new[]
    {
        typeof(UtcDateTimeConverter), typeof(LenientDoubleConverter), typeof(LenientInt64Converter), typeof(LenientInt32Converter),
        typeof(LenientBooleanConverter), typeof(LenientStringConverter),
    })]
[JsonSerializable(typeof(SmartLiveJob))]
[JsonSerializable(typeof(SmartLiveRoom))]
[JsonSerializable(typeof(StartedSmartLiveJob))]
[JsonSerializable(typeof(SmartLiveCommandResult))]
[JsonSerializable(typeof(InsertCommand))]
internal sealed partial class MetaStudioJsonContext : JsonSerializerContext
{
}
