using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Signing;
using MetaStudio.Emulator;

namespace MetaStudio.Tests.Support;

/// <summary>
/// Minimal signed HTTP for emulator tests: builds a request with the module's signer and sends it
/// exactly as signed. (The module's own client arrives with Get-MSSmartLiveJob.)
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

    public async Task<HttpResponseMessage> GetAsync(string path, (string Key, string Value)[] query, (string Name, string Value)[] headers, CancellationToken cancellationToken = default)
    {
        var signing = new ApigRequest("GET", baseAddress.IsDefaultPort ? baseAddress.Host : $"{baseAddress.Host}:{baseAddress.Port}", path);
        foreach (var (k, v) in query)
        {
            signing.Query.Add(new(k, v));
        }

        foreach (var (n, v) in headers)
        {
            signing.Headers.Add(new(n, v));
        }

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
        var message = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, path + (canonicalQuery.Length > 0 ? "?" + canonicalQuery : "")));
        foreach (var h in signing.Headers.Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            message.Headers.TryAddWithoutValidation(h.Key, h.Value);
        }

        AfterSigning?.Invoke(message);
        return await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
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
