using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Models;

namespace MetaStudio.Client.SmartLive;

/// <summary>
/// Walks the pages of one listing and yields its jobs in order, as each page arrives: offset by
/// offset until the reported count is reached or a page comes back short. A job already yielded
/// (same id) is not yielded again when the list shifts between pages. A failure part way is
/// rethrown saying how many jobs were yielded and at which offset it stopped.
/// </summary>
public sealed class SmartLiveJobLister
{
    private readonly SmartLiveClient client;
    private readonly SmartLiveJobQuery query;
    private readonly long skip;
    private readonly long first;
    private readonly Queue<string> warnings = new();

    /// <param name="skip">Jobs to skip: the first page's offset.</param>
    /// <param name="first">Most jobs to yield (long.MaxValue for all); the last page's limit shrinks to fit.</param>
    public SmartLiveJobLister(SmartLiveClient client, SmartLiveJobQuery query, long skip = 0, long first = long.MaxValue)
    {
        if (skip < 0 || skip > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(skip), skip, $"-Skip must be from 0 to {int.MaxValue:N0} (the API's largest offset).");
        }

        this.client = client;
        this.query = query;
        this.skip = skip;
        this.first = first < 0 ? 0 : first;
    }

    /// <summary>The count the service reported (jobs matching the query, before paging); null until the first page.</summary>
    public long? TotalCount { get; private set; }

    /// <summary>The first page's offset (-Skip).</summary>
    public long Skip => skip;

    /// <summary>Jobs yielded so far.</summary>
    public long Yielded { get; private set; }

    /// <summary>The offset of the next page to fetch.</summary>
    public long Offset { get; private set; }

    /// <summary>Pages fetched so far.</summary>
    public int Pages { get; private set; }

    /// <summary>Notes for the user (the list changed while paging); take them with <see cref="TryTakeWarning"/>.</summary>
    public bool TryTakeWarning(out string warning)
    {
        if (warnings.Count > 0)
        {
            warning = warnings.Dequeue();
            return true;
        }

        warning = string.Empty;
        return false;
    }

    public IEnumerable<SmartLiveJob> Enumerate(CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Offset = skip;
        while (Yielded < first)
        {
            int limit = (int)Math.Min(query.PageSize, first - Yielded);
            SmartLiveJobPage page;
            try
            {
                page = client.ListPageAsync(query, Offset, limit, cancellationToken).ConfigureAwait(false).GetAwaiter().GetResult();
            }
            catch (MetaStudioServiceException e)
            {
                throw e.WithProgress(Yielded, Offset, TotalCount);
            }

            Pages++;
            var jobs = page.SmartLiveJobs!;
            long count = page.Count ?? jobs.Length;
            if (TotalCount is { } earlier && earlier != count)
            {
                warnings.Enqueue(string.Format(CultureInfo.InvariantCulture,
                    "The listing changed while it was being read: the service reported {0:N0} jobs at first and {1:N0} at offset {2:N0}. Jobs already written are not written twice; jobs added or removed meanwhile may be missed. List again (or use -CreateUntil) for a stable view.",
                    earlier, count, Offset));
            }

            TotalCount = count;
            foreach (var job in jobs)
            {
                if (job.JobId != null && !seen.Add(job.JobId))
                {
                    continue; // shifted into this page from an earlier one
                }

                Yielded++;
                yield return job;
                if (Yielded >= first)
                {
                    yield break;
                }
            }

            Offset += jobs.Length;
            if (jobs.Length < limit || Offset >= count || Offset > int.MaxValue)
            {
                yield break;
            }
        }
    }
}
