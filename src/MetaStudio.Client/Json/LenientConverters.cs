using System;
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaStudio.Client.Json;

/// <summary>
/// Converters that read what the service means where its JSON is loose, as the official SDKs (which
/// keep such fields as strings) would let a caller: a number sent as a string ("12"), an integer
/// written as 100.0, a string field sent as a number, an empty string for "no value". Anything whose
/// meaning is not clear throws, and the page parser then leaves that one field empty with a warning.
/// </summary>
internal static class Lenient
{
    public static string RawText(ref Utf8JsonReader reader) =>
        Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray());

    /// <summary>A number, or a string holding one; null for null or "".</summary>
    public static double? ReadDouble(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return reader.GetDouble();
            case JsonTokenType.String:
                string text = reader.GetString()!.Trim();
                if (text.Length == 0)
                {
                    return null;
                }

                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && !double.IsNaN(value) && !double.IsInfinity(value))
                {
                    return value;
                }

                throw new JsonException($"'{text}' is not a number.");
            default:
                throw new JsonException($"Expected a number, found {reader.TokenType}.");
        }
    }

    /// <summary>A whole number within [min, max], also written as 100.0 or "100"; null for null or "".</summary>
    public static long? ReadInteger(ref Utf8JsonReader reader, long min, long max)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long exact))
        {
            return exact >= min && exact <= max ? exact : throw new JsonException($"{exact} is out of range.");
        }

        if (reader.TokenType == JsonTokenType.String && long.TryParse(reader.GetString()!.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out exact))
        {
            return exact >= min && exact <= max ? exact : throw new JsonException($"{exact} is out of range.");
        }

        double? value = ReadDouble(ref reader);
        if (value is null)
        {
            return null;
        }

        double d = value.Value;
        if (Math.Floor(d) == d && d >= min && d <= max)
        {
            return (long)d;
        }

        throw new JsonException($"{d.ToString("R", CultureInfo.InvariantCulture)} is not a whole number in range.");
    }
}

internal sealed class LenientDoubleConverter : JsonConverter<double?>
{
    public override bool HandleNull => true;

    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Lenient.ReadDouble(ref reader);

    public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

internal sealed class LenientInt64Converter : JsonConverter<long?>
{
    public override bool HandleNull => true;

    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Lenient.ReadInteger(ref reader, long.MinValue, long.MaxValue);

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

internal sealed class LenientInt32Converter : JsonConverter<int?>
{
    public override bool HandleNull => true;

    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        (int?)Lenient.ReadInteger(ref reader, int.MinValue, int.MaxValue);

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

internal sealed class LenientBooleanConverter : JsonConverter<bool?>
{
    public override bool HandleNull => true;

    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.String:
                string text = reader.GetString()!.Trim();
                if (text.Length == 0)
                {
                    return null;
                }

                if (bool.TryParse(text, out bool value))
                {
                    return value;
                }

                throw new JsonException($"'{text}' is not true or false.");
            case JsonTokenType.Number when reader.TryGetInt32(out int n) && n is 0 or 1:
                return n == 1;
            default:
                throw new JsonException($"Expected true or false, found {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, bool? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteBooleanValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>Strings as they are; a number or true/false sent where a string belongs, as its text.</summary>
internal sealed class LenientStringConverter : JsonConverter<string>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        JsonTokenType.Number => Lenient.RawText(ref reader),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => throw new JsonException($"Expected a string, found {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
