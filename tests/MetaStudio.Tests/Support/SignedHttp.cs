using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Signing;
using MetaStudio.Emulator;

namespace MetaStudio.Tests.Support;

/// <summary>
/// Minimal signed HTTP for emulator tests: builds a request (GET, or POST with a JSON body) with the
/// module's signer and sends it exactly as signed.
/// </summary>
public sealed class SignedHttp : IDisposable
{
    private readonly HttpClient http;
    private readonly Uri baseAddress;

    public SignedHttp(Uri baseAddress, TimeSpan? timeout = null)
    {
        this.baseAddress = baseAddress;
        http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(20),
        };
    }

    public AkSkCredential Credential { get; set; } = new(EmulatorOptions.DemoAccessKey, EmulatorOptions.DemoSecretKey);

    public string ProjectId { get; set; } = EmulatorOptions.DemoProjectId;

    /// <summary>When set, sent as X-Auth-Token instead of signing.</summary>
    public string? Token { get; set; }

    /// <summary>The signing clock; tests move it to make stale signatures.</summary>
    public Func<DateTime> Clock { get; set; } = () => DateTime.UtcNow;

    /// <summary>Applied to the signed request before it is sent (to tamper with it).</summary>
    public Action<HttpRequestMessage>? AfterSigning { get; set; }

    public static string RoomJobsPath(string project, string room) => $"/v1/{project}/smart-live-rooms/{Uri.EscapeDataString(room)}/smart-live-jobs";

    public string RoomJobs(string room) => RoomJobsPath(ProjectId, room);

    public string AllJobs => $"/v1/{ProjectId}/smart-live-jobs";

    public Task<HttpResponseMessage> GetAsync(string path, params (string Key, string Value)[] query) =>
        GetAsync(path, query, Array.Empty<(string, string)>());

    public Task<HttpResponseMessage> GetAsync(string path, (string Key, string Value)[] query, (string Name, string Value)[] headers, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, query, headers, null, null, cancellationToken);

    /// <summary>
    /// A signed POST: the body is the UTF-8 of <paramref name="json"/> (none when null), sent as
    /// <paramref name="contentType"/> (none when null), and its SHA-256 is signed, as the SDKs do.
    /// </summary>
    public Task<HttpResponseMessage> PostAsync(string path, string? json, string? contentType = "application/json",
        (string Name, string Value)[]? headers = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, path, Array.Empty<(string, string)>(), headers ?? Array.Empty<(string, string)>(),
            json is null ? null : Encoding.UTF8.GetBytes(json), contentType, cancellationToken);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, (string Key, string Value)[] query, (string Name, string Value)[] headers,
        byte[]? body, string? contentType, CancellationToken cancellationToken = default)
    {
        var signing = new ApigRequest(method.Method, baseAddress.IsDefaultPort ? baseAddress.Host : $"{baseAddress.Host}:{baseAddress.Port}", path);
        foreach (var (k, v) in query)
        {
            signing.Query.Add(new(k, v));
        }

        foreach (var (n, v) in headers)
        {
            signing.Headers.Add(new(n, v));
        }

        if (contentType != null)
        {
            signing.Headers.Add(new("Content-Type", contentType));
        }

        signing.Body = body ?? Array.Empty<byte>();
        if (Token is null)
        {
            if (signing.GetHeader("X-Project-Id") is null)
            {
                signing.Headers.Add(new("X-Project-Id", ProjectId));
            }

            ApigSigner.Sign(signing, Credential, Clock());
        }
        else
        {
            signing.Headers.Add(new("X-Auth-Token", Token));
        }

        string canonicalQuery = ApigSigner.CanonicalQueryString(signing.Query);
        var message = new HttpRequestMessage(method, new Uri(baseAddress, path + (canonicalQuery.Length > 0 ? "?" + canonicalQuery : "")));
        if (body != null || contentType != null)
        {
            message.Content = new ByteArrayContent(body ?? Array.Empty<byte>());
        }

        foreach (var h in signing.Headers.Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            if (h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content!.Headers.TryAddWithoutValidation(h.Key, h.Value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(h.Key, h.Value);
            }
        }

        AfterSigning?.Invoke(message);
        return await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public string RoomPath(string room) => $"/v1/{ProjectId}/smart-live-rooms/{Uri.EscapeDataString(room)}";

    public string StopPath(string room, string job) => $"{RoomJobs(room)}/{Uri.EscapeDataString(job)}/stop";

    /// <summary>StartSmartLive with <paramref name="json"/> as the body (none when null); the response's status and JSON.</summary>
    public async Task<(int Status, JsonElement Body)> StartAsync(string room, string? json = "{}")
    {
        using var response = await PostAsync(RoomJobs(room), json).ConfigureAwait(false);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false)).RootElement.Clone());
    }

    /// <summary>StopSmartLive without a body; the response's status and JSON.</summary>
    public async Task<(int Status, JsonElement Body)> StopAsync(string room, string job)
    {
        using var response = await PostAsync(StopPath(room, job), null, null).ConfigureAwait(false);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false)).RootElement.Clone());
    }

    public async Task<JsonElement> GetJsonAsync(string path, params (string Key, string Value)[] query)
    {
        using var response = await GetAsync(path, query).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Every page of a listing, in order.</summary>
    public async Task<List<JsonElement>> ListAllAsync(string path, int pageSize, params (string Key, string Value)[] filters)
    {
        var all = new List<JsonElement>();
        for (int offset = 0; ; offset += pageSize)
        {
            var page = await GetJsonAsync(path, filters.Concat(new[] { ("offset", offset.ToString()), ("limit", pageSize.ToString()) }).ToArray()).ConfigureAwait(false);
            var jobs = page.GetProperty("smart_live_jobs").EnumerateArray().ToList();
            all.AddRange(jobs);
            if (jobs.Count < pageSize || all.Count >= page.GetProperty("count").GetInt32())
            {
                return all;
            }
        }
    }

    public static async Task<(string Code, string Message)> ErrorOf(HttpResponseMessage response)
    {
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false)).RootElement;
        return (doc.GetProperty("error_code").GetString()!, doc.GetProperty("error_msg").GetString()!);
    }

    public void Dispose() => http.Dispose();
}
