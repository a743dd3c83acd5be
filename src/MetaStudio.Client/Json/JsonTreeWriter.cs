using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace MetaStudio.Client.Json;

/// <summary>Writes a plain tree of dictionaries, lists and values (what a user gave as a body or parameters) as JSON.</summary>
public static class JsonTreeWriter
{
    /// <summary>The tree as UTF-8 JSON.</summary>
    /// <exception cref="ArgumentException">A value JSON cannot carry (ParamName = <paramref name="parameter"/>).</exception>
    public static byte[] ToJson(object? tree, string parameter)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, tree, parameter);
        }

        return stream.ToArray();
    }

    /// <param name="parameter">The cmdlet parameter the tree came from, named in errors.</param>
    public static void Write(Utf8JsonWriter writer, object? value, string parameter)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case Dictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var pair in map)
                {
                    writer.WritePropertyName(pair.Key);
                    Write(writer, pair.Value, parameter);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Write(writer, item, parameter);
                }

                writer.WriteEndArray();
                break;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case float or double:
                double d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsNaN(d) || double.IsInfinity(d))
                {
                    throw new ArgumentException($"-{parameter} has {d.ToString(CultureInfo.InvariantCulture)}, which JSON cannot carry.", parameter);
                }

                writer.WriteNumberValue(d);
                break;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
