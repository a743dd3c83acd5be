using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;

namespace MetaStudio.Client.LiveEvents;

/// <summary>
/// Finds a callback's signature and time: in the request URL's query (MSS_A: hwSecret, hwTime) or in its
/// headers (MSS_A_HEAD: x-hw-mss-secret, x-hw-mss-time). Names match without regard to case, as HTTP
/// header names do; every value is kept, so a field sent twice is noticed rather than guessed at.
/// </summary>
public sealed class SignatureFields
{
    private SignatureFields(string authType, IReadOnlyList<string> secrets, IReadOnlyList<string> times)
    {
        AuthType = authType;
        Secrets = secrets;
        Times = times;
    }

    public string AuthType { get; }

    public IReadOnlyList<string> Secrets { get; }

    public IReadOnlyList<string> Times { get; }

    /// <summary>hwSecret and hwTime from a URL's query (percent-decoded; the values are hex, so this only matters for a hostile sender).</summary>
    public static SignatureFields FromUrl(string url)
    {
        var secrets = new List<string>();
        var times = new List<string>();
        int question = url.IndexOf('?');
        if (question >= 0)
        {
            string query = url.Substring(question + 1);
            int hash = query.IndexOf('#');
            foreach (string pair in (hash >= 0 ? query.Substring(0, hash) : query).Split('&'))
            {
                int eq = pair.IndexOf('=');
                string name = Uri.UnescapeDataString(eq >= 0 ? pair.Substring(0, eq) : pair);
                string value = eq >= 0 ? Uri.UnescapeDataString(pair.Substring(eq + 1).Replace('+', ' ')) : string.Empty;
                if (string.Equals(name, LiveEventSignature.QuerySecret, StringComparison.OrdinalIgnoreCase))
                {
                    secrets.Add(value);
                }
                else if (string.Equals(name, LiveEventSignature.QueryTime, StringComparison.OrdinalIgnoreCase))
                {
                    times.Add(value);
                }
            }
        }

        return new SignatureFields("MSS_A", secrets, times);
    }

    /// <summary>x-hw-mss-secret and x-hw-mss-time from headers: an IDictionary (a hashtable, Pode's) or a NameValueCollection (HttpListenerRequest.Headers).</summary>
    /// <exception cref="ArgumentException">Any other kind of object (ParamName Headers).</exception>
    public static SignatureFields FromHeaders(object headers, Func<object?, object?> unwrap)
    {
        var secrets = new List<string>();
        var times = new List<string>();
        void Add(string? name, object? value)
        {
            var list = string.Equals(name, LiveEventSignature.HeaderSecret, StringComparison.OrdinalIgnoreCase) ? secrets
                : string.Equals(name, LiveEventSignature.HeaderTime, StringComparison.OrdinalIgnoreCase) ? times : null;
            if (list is null)
            {
                return;
            }

            value = unwrap(value);
            if (value is string text)
            {
                list.AddRange(text.Split(',').Select(v => v.Trim())); // a header repeated on the wire arrives comma-joined
            }
            else if (value is IEnumerable many)
            {
                list.AddRange(many.Cast<object?>().Select(v => Convert.ToString(unwrap(v), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
            }
            else if (value != null)
            {
                list.Add(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
            }
        }

        switch (headers)
        {
            case NameValueCollection collection:
                foreach (string? name in collection.AllKeys)
                {
                    foreach (string value in collection.GetValues(name) ?? Array.Empty<string>())
                    {
                        Add(name, value);
                    }
                }

                break;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    Add(Convert.ToString(unwrap(entry.Key), System.Globalization.CultureInfo.InvariantCulture), entry.Value);
                }

                break;
            default:
                throw new ArgumentException(
                    $"-Headers is a {headers.GetType().Name}; give the request's headers as a hashtable or dictionary (Pode: $WebEvent.Request.Headers) or a NameValueCollection (HttpListenerRequest.Headers).",
                    "Headers");
        }

        return new SignatureFields("MSS_A_HEAD", secrets, times);
    }
}
