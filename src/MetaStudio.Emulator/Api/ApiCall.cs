using System;
using System.Collections.Generic;
using System.Linq;
using MetaStudio.Emulator.Faults;

namespace MetaStudio.Emulator.Api;

/// <summary>One authenticated, unthrottled request, as a resource class sees it.</summary>
internal sealed class ApiCall
{
    public ApiCall(ApiRoute route, string rawTarget, string rawQuery, byte[] body, string? contentType, DateTimeOffset now, FaultRule? fault,
        Func<FaultRule?>? claimJobFault = null)
    {
        this.claimJobFault = claimJobFault ?? (() => null);
        Route = route;
        RawTarget = rawTarget;
        RawQuery = rawQuery;
        Body = body;
        ContentType = contentType;
        Now = now;
        Fault = fault;
    }

    private readonly Func<FaultRule?> claimJobFault;

    public ApiRoute Route { get; }

    /// <summary>Path and query as sent.</summary>
    public string RawTarget { get; }

    public string RawQuery { get; }

    /// <summary>The exact body bytes (empty when there was none).</summary>
    public byte[] Body { get; }

    public string? ContentType { get; }

    /// <summary>The emulator's clock when the request was handled.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The request fault applied to this request, if any (listings read count and offset faults from it).</summary>
    public FaultRule? Fault { get; }

    /// <summary>How long a started job stays WAITING (the server's <see cref="EmulatorServer.StartDelayMs"/> when the request arrived).</summary>
    public TimeSpan StartDelay { get; init; }

    /// <summary>The running-jobs quota over all rooms; null = unlimited.</summary>
    public int? MaxRunningJobs { get; init; }

    /// <summary>Claims the first matching job fault (job-fail, job-block, …) for a job being created now; null when none applies.</summary>
    public FaultRule? ClaimJobFault() => claimJobFault();

    public List<KeyValuePair<string, string>> QueryPairs() => ParseQuery(RawQuery);

    internal static List<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (string part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            string key = eq < 0 ? part : part.Substring(0, eq);
            string value = eq < 0 ? string.Empty : part.Substring(eq + 1);
            pairs.Add(new(Uri.UnescapeDataString(key), Uri.UnescapeDataString(value)));
        }

        return pairs;
    }
}

/// <summary>A handler's answer: a status and a JSON body.</summary>
internal readonly record struct ApiResult(int Status, Payload Body)
{
    public static ApiResult Json(int status, byte[] json) => new(status, new Payload(json));

    public static ApiResult Error(int status, string code, string message) => new(status, new Payload(ErrorBodies.Json(code, message)));
}

/// <summary>A response body as a list of byte arrays (a page is written without copying its jobs into one array).</summary>
internal sealed class Payload
{
    public Payload(byte[] bytes) => Segments = new[] { bytes };

    public Payload(IReadOnlyList<byte[]> segments) => Segments = segments;

    public IReadOnlyList<byte[]> Segments { get; }

    public int Length => Segments.Sum(s => s.Length);

    public byte[] ToArray() => Segments.SelectMany(s => s).ToArray();
}
