using System;
using System.Text.Json;

namespace MetaStudio.Client.Errors;

/// <summary>
/// The error body of a failed call, read as the official SDKs read it: the first complete pair of
/// <c>error_code</c>/<c>error_msg</c>, <c>errorCode</c>/<c>errorMsg</c> or <c>code</c>/<c>message</c>, at the
/// top level or in a nested object; <c>encoded_authorization_message</c> and <c>details</c> kept.
/// </summary>
internal sealed class ServiceErrorBody
{
    private static readonly (string Code, string Message)[] Pairs =
    {
        ("error_code", "error_msg"), ("errorCode", "errorMsg"), ("code", "message"),
    };

    public string? Code { get; private set; }

    public string? Message { get; private set; }

    public string? EncodedAuthorizationMessage { get; private set; }

    /// <summary>The <c>details</c> value as JSON text.</summary>
    public string? Details { get; private set; }

    /// <summary>The error in a body, or null when the body is not a JSON object.</summary>
    public static ServiceErrorBody? TryParse(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var error = new ServiceErrorBody();
            error.Read(document.RootElement, 0);
            return error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private bool Read(JsonElement element, int depth)
    {
        if (EncodedAuthorizationMessage is null && element.TryGetProperty("encoded_authorization_message", out var encoded))
        {
            EncodedAuthorizationMessage = Text(encoded);
        }

        foreach (var (codeName, messageName) in Pairs)
        {
            if (element.TryGetProperty(codeName, out var code) && element.TryGetProperty(messageName, out var message))
            {
                Code = Text(code);
                Message = Text(message);
                if (element.TryGetProperty("details", out var details) && details.ValueKind != JsonValueKind.Null)
                {
                    Details = details.GetRawText();
                }

                return true;
            }
        }

        if (depth < 8)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object && Read(property.Value, depth + 1))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };
}
