using System;
using System.Collections.Generic;

namespace MetaStudio.Client.Http;

/// <summary>One call of an operation: its path segments after <c>/v1/{project_id}/</c>, query and JSON body.</summary>
public sealed class ApiRequest
{
    /// <param name="secrets">Secret values in the body (stream keys, callback keys): masked in anything written about this call.</param>
    public ApiRequest(ApiOperation operation, IReadOnlyList<string> segments, IReadOnlyList<KeyValuePair<string, string>>? query = null, byte[]? jsonBody = null,
        IReadOnlyList<string>? secrets = null)
    {
        Operation = operation;
        Segments = segments;
        Query = query ?? Array.Empty<KeyValuePair<string, string>>();
        JsonBody = jsonBody;
        Secrets = secrets ?? Array.Empty<string>();
    }

    public ApiOperation Operation { get; }

    public IReadOnlyList<string> Segments { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    public byte[]? JsonBody { get; }

    public IReadOnlyList<string> Secrets { get; }
}
