using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Security;

namespace MetaStudio;

/// <summary>
/// Turns what a user passes as a request body (a hashtable, an ordered dictionary, a [pscustomobject],
/// nested lists, or JSON text) into a plain tree of dictionaries, lists and values the client
/// serialises. Anything that would not serialise as the user meant (a script block, a secure string,
/// an arbitrary .NET object, a cycle, a non-finite number, a key that is not a string) is refused,
/// naming where it is.
/// </summary>
internal static class JsonTree
{
    private const int MaxDepth = 32;

    /// <summary>The tree of an object (JSON text is parsed); null for null.</summary>
    /// <param name="parameter">The cmdlet parameter, named in errors.</param>
    /// <exception cref="ArgumentException">The value cannot be sent as JSON.</exception>
    public static IDictionary? ObjectOf(object? value, string parameter)
    {
        object? bare = value is PSObject ps && ps.BaseObject is not PSCustomObject ? ps.BaseObject : value;
        if (bare is null)
        {
            return null;
        }

        if (bare is string text)
        {
            return Client.Json.JsonText.ParseObject(text, parameter);
        }

        return Convert(value, parameter, "", 0) as IDictionary
               ?? throw new ArgumentException($"-{parameter} must be a hashtable, an object or JSON text of an object, not a {bare.GetType().Name}.", parameter);
    }

    private static object? Convert(object? value, string parameter, string where, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"-{parameter} is nested more than {MaxDepth} levels deep{At(where)} (a reference to itself?).", parameter);
        }

        if (value is PSObject ps)
        {
            if (ps.BaseObject is PSCustomObject)
            {
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in ps.Properties)
                {
                    map[property.Name] = Convert(property.Value, parameter, Path(where, property.Name), depth + 1);
                }

                return map;
            }

            value = ps.BaseObject;
        }

        switch (value)
        {
            case null:
            case string:
            case bool:
            case sbyte or byte or short or ushort or int or uint or long or ulong or decimal:
                return value;
            case float or double:
                double number = System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
                return double.IsNaN(number) || double.IsInfinity(number)
                    ? throw Refuse(parameter, where, $"{number.ToString(CultureInfo.InvariantCulture)}, a number JSON cannot carry")
                    : value;
            case BigInteger big:
                return big <= long.MaxValue && big >= long.MinValue ? (long)big : throw Refuse(parameter, where, "a number too large for JSON");
            case Enum e:
                return e.ToString();
            case DateTime time:
                return time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            case Guid guid:
                return guid.ToString();
            case Uri uri:
                return uri.OriginalString;
            case SecureString:
                throw Refuse(parameter, where, "a SecureString (its text is not sent from a body; use the typed secret parameters)");
            case ScriptBlock:
                throw Refuse(parameter, where, "a script block");
            case IDictionary dictionary:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary)
                {
                    // JSON names are strings: a key of another type (@{ 1 = 'a' }) would be sent as text the user never wrote.
                    object rawKey = entry.Key is PSObject wrapped ? wrapped.BaseObject : entry.Key;
                    if (rawKey is not string key)
                    {
                        throw Refuse(parameter, where, $"a key that is not a string ({Client.Text.ConsoleText.Shorten(System.Convert.ToString(rawKey, CultureInfo.InvariantCulture), 32)}, of type {rawKey.GetType().Name})");
                    }

                    map[key] = Convert(entry.Value, parameter, Path(where, key), depth + 1);
                }

                return map;
            // Lists and arrays only: other enumerable objects ([xml], a DataRow, a lazy sequence) have no JSON form a
            // command would mean, and an endless one would never end.
            case ICollection list:
                var items = new List<object?>();
                int index = 0;
                foreach (var item in list)
                {
                    items.Add(Convert(item, parameter, $"{where}[{index++}]", depth + 1));
                }

                return items;
            default:
                throw Refuse(parameter, where, $"a {value.GetType().FullName}, which has no JSON form");
        }
    }

    private static string Path(string where, string key) => where.Length == 0 ? key : where + "." + key;

    private static string At(string where) => where.Length == 0 ? string.Empty : $" at {where}";

    private static ArgumentException Refuse(string parameter, string where, string what) =>
        new($"-{parameter} has {what}{At(where)}: give strings, numbers, true/false, lists and hashtables.", parameter);
}
