using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using MetaStudio.Client.Json;
using MetaStudio.Client.Models;
using MetaStudio.Client.Signing;
using MetaStudio.Emulator;

namespace MetaStudio.Benchmarks;

/// <summary>
/// The throughput floor: plain HttpClient and System.Text.Json into the same model classes, the same
/// pages with the same number in flight, no PowerShell and none of the module's machinery.
/// </summary>
internal static class Floor
{
    public static async Task<int> ListAsync(HttpClient http, Uri baseAddress, string roomId, int total, int pageSize, int inFlight)
    {
        var credential = new AkSkCredential(EmulatorOptions.DemoAccessKey, EmulatorOptions.DemoSecretKey);
        string host = $"{baseAddress.Host}:{baseAddress.Port}";
        string path = $"/v1/{EmulatorOptions.DemoProjectId}/smart-live-rooms/{roomId}/smart-live-jobs";
        int pages = (total + pageSize - 1) / pageSize, next = 0, count = 0;
        var window = new Queue<Task<FloorPage>>();

        async Task<FloorPage> Fetch(int offset)
        {
            var signing = new ApigRequest("GET", host, path);
            signing.Query.Add(new("offset", offset.ToString(CultureInfo.InvariantCulture)));
            signing.Query.Add(new("limit", pageSize.ToString(CultureInfo.InvariantCulture)));
            signing.Headers.Add(new("X-Project-Id", EmulatorOptions.DemoProjectId));
            ApigSigner.Sign(signing, credential, DateTime.UtcNow);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, path + "?" + ApigSigner.CanonicalQueryString(signing.Query)));
            foreach (var header in signing.Headers)
            {
                if (header.Key != "Host")
                {
                    request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync();
            return (await JsonSerializer.DeserializeAsync(stream, FloorJsonContext.Default.FloorPage))!;
        }

        while (next < pages && window.Count < inFlight)
        {
            window.Enqueue(Fetch(next++ * pageSize));
        }

        while (window.Count > 0)
        {
            var page = await window.Dequeue();
            foreach (var job in page.SmartLiveJobs!)
            {
                if (job.JobId != null)
                {
                    count++;
                }
            }

            if (next < pages)
            {
                window.Enqueue(Fetch(next++ * pageSize));
            }
        }

        return count;
    }
}

/// <summary>A page as plain System.Text.Json reads it, into the module's job model.</summary>
internal sealed class FloorPage
{
    [JsonPropertyName("count")]
    public long? Count { get; set; }

    [JsonPropertyName("smart_live_jobs")]
    public SmartLiveJob[]? SmartLiveJobs { get; set; }
}

[JsonSourceGenerationOptions(Converters = new[] { typeof(UtcDateTimeConverter) })]
[JsonSerializable(typeof(FloorPage))]
internal sealed partial class FloorJsonContext : JsonSerializerContext
{
}
