using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Signing;

namespace MetaStudio.Client.Http;

/// <summary>
/// Builds one authenticated HTTP request for a context and one of its endpoints: the path from
/// escaped segments, the query in canonical order (so the wire carries exactly what was signed), a
/// JSON body when there is one, and either an SDK-HMAC-SHA256 signature or the X-Auth-Token header.
/// Build a new one for every attempt (and every endpoint: the signature binds the host).
/// </summary>
public static class MetaStudioRequest
{
    public static readonly string UserAgent =
        "MetaStudio-PowerShell/" + (typeof(MetaStudioRequest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    /// <param name="segments">Path segments after <c>/v1/{project_id}/</c>, unescaped; each is escaped as one segment.</param>
    /// <param name="query">Raw query pairs; sent sorted and encoded.</param>
    /// <param name="jsonBody">UTF-8 JSON to send (signed), or null for none.</param>
    /// <exception cref="ArgumentException">A header value cannot be sent (nothing is sent).</exception>
    public static HttpRequestMessage Create(MetaStudioContext context, Uri endpoint, HttpMethod method, IEnumerable<string> segments,
        IEnumerable<KeyValuePair<string, string>> query, byte[]? jsonBody, DateTime utcNow)
    {
        if (endpoint.Scheme != Uri.UriSchemeHttps && !(endpoint.Scheme == Uri.UriSchemeHttp && ContextResolver.IsLoopback(endpoint)))
        {
            throw new ArgumentException($"{endpoint.GetLeftPart(UriPartial.Authority)} is neither https nor a loopback address; credentials are never sent there.");
        }

        string path = "/v1/" + ApigEncoding.PercentEncode(context.ProjectId) + "/" +
                      string.Join("/", segments.Select(ApigEncoding.PercentEncode));
        string host = endpoint.IsDefaultPort ? endpoint.Host : endpoint.Host + ":" + endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var signing = new ApigRequest(method.Method, host, path);
        foreach (var pair in query)
        {
            signing.Query.Add(pair);
        }

        signing.Headers.Add(new("User-Agent", UserAgent));
        signing.Headers.Add(new("X-Project-Id", context.ProjectId));
        if (context.AppUserId != null)
        {
            signing.Headers.Add(new("X-App-UserId", context.AppUserId));
        }

        if (jsonBody != null)
        {
            // As the SDKs send it, and signed: the payload hash covers these exact bytes.
            signing.Headers.Add(new("Content-Type", "application/json"));
            signing.Body = jsonBody;
        }

        if (context.Credential != null)
        {
            ApigSigner.Sign(signing, context.Credential, utcNow);
        }
        else
        {
            signing.Headers.Add(new("X-Auth-Token", context.Token!));
        }

        string canonicalQuery = ApigSigner.CanonicalQueryString(signing.Query);
        var message = new HttpRequestMessage(method, new Uri(endpoint, path + (canonicalQuery.Length == 0 ? string.Empty : "?" + canonicalQuery)));
        if (jsonBody != null)
        {
            message.Content = new ByteArrayContent(jsonBody);
        }

        foreach (var header in signing.Headers)
        {
            if (!CredentialRules.IsSafeHeaderValue(header.Value))
            {
                // Checked when the context was made; this is the last line: never a CR/LF or non-ASCII on the wire.
                throw new ArgumentException($"The {header.Key} header value cannot be sent: it holds a character outside printable ASCII.");
            }

            if (header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Host = header.Value; // exactly the value that was signed
            }
            else if (header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(header.Value);
            }
            else if (!message.Headers.TryAddWithoutValidation(header.Key, header.Value))
            {
                throw new ArgumentException($"The header {header.Key} cannot be sent.");
            }
        }

        return message;
    }
}
