using System.Net.Http;
using MetaStudio.Client.Http;

namespace MetaStudio.Client.SmartLive;

/// <summary>
/// One description per smart-live operation: name, method, retry safety and rate-limit bucket with
/// the service's documented per-tenant limit (20/s where none was published, the limit of the
/// neighbouring read operations).
/// </summary>
public static class SmartLiveOperations
{
    public static readonly ApiOperation ListSmartLive = new("ListSmartLive", HttpMethod.Get, idempotent: true, "ListSmartLive", 20);

    public static readonly ApiOperation ListSmartLiveJobs = new("ListSmartLiveJobs", HttpMethod.Get, idempotent: true, "ListSmartLiveJobs", 20);

    public static readonly ApiOperation ShowSmartLive = new("ShowSmartLive", HttpMethod.Get, idempotent: true, "ShowSmartLive", 20);
}
