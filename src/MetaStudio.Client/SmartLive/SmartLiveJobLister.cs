using MetaStudio.Client.Models;
using MetaStudio.Client.Paging;

namespace MetaStudio.Client.SmartLive;

/// <summary>The jobs of one listing (a room, or the project), through the shared <see cref="PageWalker{T}"/>.</summary>
public sealed class SmartLiveJobLister : PageWalker<SmartLiveJob>
{
    /// <param name="skip">Jobs to skip: the first page's offset.</param>
    /// <param name="first">Most jobs to yield (long.MaxValue for all); the last page's limit shrinks to fit.</param>
    /// <param name="prefetch">Pages requested at once, 1 (one after another) to 16.</param>
    public SmartLiveJobLister(SmartLiveClient client, SmartLiveJobQuery query, long skip = 0, long first = long.MaxValue, int prefetch = DefaultPrefetch)
        : base((offset, limit, token) => client.ListPageAsync(query, offset, limit, token), job => job.JobId,
            query.RoomId is null ? SmartLiveOperations.ListSmartLiveJobs.Name : SmartLiveOperations.ListSmartLive.Name, "jobs",
            query.PageSize, skip, first, prefetch,
            client.QueueBudget(query.RoomId is null ? SmartLiveOperations.ListSmartLiveJobs : SmartLiveOperations.ListSmartLive))
    {
    }
}
