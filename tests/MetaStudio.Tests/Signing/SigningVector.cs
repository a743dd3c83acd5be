using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace MetaStudio.Tests.Signing;

/// <summary>One entry of Signing/TestData/apig-signing-vectors.json.</summary>
public sealed class SigningVector
{
    public string Name { get; init; } = "";
    public string Ak { get; init; } = "";
    public string Sk { get; init; } = "";
    public string Method { get; init; } = "";
    public string Url { get; init; } = "";
    public string Path { get; init; } = "";
    public List<KeyValuePair<string, string>> Query { get; init; } = new();
    public List<KeyValuePair<string, string>> Headers { get; init; } = new();
    public string Body { get; init; } = "";
    public string SdkDate { get; init; } = "";
    public string? ProjectId { get; init; }
    public string? SecurityToken { get; init; }
    public string? NodeSdkQuirk { get; init; }
    public string ExpectedAuthorization { get; init; } = "";
    public string ExpectedSignedHeaders { get; init; } = "";
    public string ExpectedCanonicalRequest { get; init; } = "";
    public string ExpectedStringToSign { get; init; } = "";

    public override string ToString() => Name;

    public static IReadOnlyList<SigningVector> Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var list = new List<SigningVector>();
        foreach (var v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            var expected = v.GetProperty("expected");
            list.Add(new SigningVector
            {
                Name = v.GetProperty("name").GetString()!,
                Ak = v.GetProperty("ak").GetString()!,
                Sk = v.GetProperty("sk").GetString()!,
                Method = v.GetProperty("method").GetString()!,
                Url = v.GetProperty("url").GetString()!,
                Path = v.GetProperty("path").GetString()!,
                Query = v.GetProperty("query").EnumerateArray()
                    .Select(p => new KeyValuePair<string, string>(p[0].GetString()!, p[1].GetString()!)).ToList(),
                Headers = v.GetProperty("headers").EnumerateObject()
                    .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList(),
                Body = v.GetProperty("body").GetString()!,
                SdkDate = v.GetProperty("sdk_date").GetString()!,
                ProjectId = v.GetProperty("project_id").GetString(),
                SecurityToken = v.GetProperty("security_token").GetString(),
                NodeSdkQuirk = v.TryGetProperty("node_sdk_quirk", out var q) ? q.GetString() : null,
                ExpectedAuthorization = expected.GetProperty("authorization").GetString()!,
                ExpectedSignedHeaders = expected.GetProperty("signed_headers").GetString()!,
                ExpectedCanonicalRequest = expected.GetProperty("canonical_request").GetString()!,
                ExpectedStringToSign = expected.GetProperty("string_to_sign").GetString()!,
            });
        }

        return list;
    }
}
