using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Models;

namespace MetaStudio.Client.SmartLive;

/// <summary>
/// Walks the pages of one listing and yields its jobs in order, as each page arrives: offset by
/// offset until the reported count is reached or a page comes back short. Once the first job is
/// out, the following pages are requested ahead, a bounded number at a time (the rate limiter still
/// paces them), and their jobs are yielded strictly in page order. A job already yielded (same id)
/// is not yielded again when the list shifts between pages. A failure part way is rethrown saying
/// how many jobs were yielded and at which offset it stopped; stopping early cancels the pages in flight.
/// </summary>
public sealed class SmartLiveJobLister
{
    public const int DefaultPrefetch = 4;
    public const int MaxPrefetch = 16;

    private readonly SmartLiveClient client;
    private readonly SmartLiveJobQuery query;
    private readonly long skip;
    private readonly long first;
    private readonly int prefetch;
    private readonly Queue<string> warnings = new();

    /// <param name="skip">Jobs to skip: the first page's offset.</param>
    /// <param name="first">Most jobs to yield (long.MaxValue for all); the last page's limit shrinks to fit.</param>
    /// <param name="prefetch">Pages requested at once, 1 (one after another) to 16.</param>
    public SmartLiveJobLister(SmartLiveClient client, SmartLiveJobQuery query, long skip = 0, long first = long.MaxValue, int prefetch = DefaultPrefetch)
    {
        if (skip < 0 || skip > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(skip), skip, $"-Skip must be from 0 to {int.MaxValue:N0} (the API's largest offset).");
        }

        if (prefetch < 1 || prefetch > MaxPrefetch)
        {
            throw new ArgumentOutOfRangeException(nameof(prefetch), prefetch, $"Pages in flight must be from 1 to {MaxPrefetch}.");
        }

        this.client = client;
        this.query = query;
        this.skip = skip;
        this.first = first < 0 ? 0 : first;
        this.prefetch = prefetch;
    }

    /// <summary>The count the service reported (jobs matching the query, before paging); null until the first page.</summary>
    public long? TotalCount { get; private set; }

    /// <summary>The first page's offset (-Skip).</summary>
    public long Skip => skip;

    /// <summary>Jobs yielded so far.</summary>
    public long Yielded { get; private set; }

    /// <summary>The offset of the page being read (or, at the end, just past the last one).</summary>
    public long Offset { get; private set; }

    /// <summary>Pages received so far, in order.</summary>
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

    /// <summary>The jobs, one by one.</summary>
    public IEnumerable<SmartLiveJob> Enumerate(CancellationToken cancellationToken)
    {
        foreach (var batch in EnumeratePages(cancellationToken))
        {
            foreach (var job in batch)
            {
                yield return job;
            }
        }
    }

    /// <summary>
    /// The jobs, a page at a time (without jobs already yielded, and within -First), so a caller can
    /// hand a whole page to the pipeline at once. The next pages are requested when the second batch is asked for.
    /// </summary>
    public IEnumerable<IReadOnlyList<SmartLiveJob>> EnumeratePages(CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<(long Offset, int Limit, Task<SmartLiveJobPage> Page)>();
        var generation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long nextOffset = skip;
        try
        {
            pending.Enqueue(Request(ref nextOffset, generation.Token));
            while (pending.Count > 0)
            {
                var (offset, limit, task) = pending.Dequeue();
                Offset = offset;
                SmartLiveJobPage page;
                try
                {
                    page = task.ConfigureAwait(false).GetAwaiter().GetResult();
                }
                catch (MetaStudioServiceException e)
                {
                    throw e.WithProgress(Yielded, offset, TotalCount);
                }

                Pages++;
                var jobs = page.SmartLiveJobs!;
                long count = page.Count ?? offset + jobs.Length;
                if (TotalCount is { } earlier && earlier != count)
                {
                    warnings.Enqueue(string.Format(CultureInfo.InvariantCulture,
                        "The listing changed while it was being read: the service reported {0:N0} jobs at first and {1:N0} at offset {2:N0}. Jobs already written are not written twice; jobs added or removed meanwhile may be missed. List again (or use -CreateUntil) for a stable view.",
                        earlier, count, offset));

                    // Pages requested ahead may have been answered before the change: ask for them again.
                    generation = Restart(generation, pending, cancellationToken);
                    nextOffset = offset + limit;
                }

                TotalCount = count;
                bool last = jobs.Length < limit || offset + jobs.Length >= count;
                var batch = new List<SmartLiveJob>(jobs.Length);
                foreach (var job in jobs)
                {
                    if (Yielded + batch.Count >= first)
                    {
                        last = true; // -First 0: the page was requested only for its count
                        break;
                    }

                    if (job.JobId != null && !seen.Add(job.JobId))
                    {
                        duplicates++; // shifted into this page from an earlier one
                        continue;
                    }

                    batch.Add(job);
                    if (Yielded + batch.Count >= first)
                    {
                        last = true;
                        break;
                    }
                }

                Yielded += batch.Count;
                if (batch.Count > 0)
                {
                    yield return batch;
                }

                if (last)
                {
                    yield break;
                }

                // The first batch is out before any further page is requested; from then on the next pages keep coming.
                Fill(pending, ref nextOffset, generation.Token);
            }
        }
        finally
        {
            // -First reached, Select-Object -First, Ctrl+C or a failure: drop the pages in flight.
            Restart(generation, pending, cancellationToken).Dispose();
        }
    }

    /// <summary>Cancels and forgets the pages in flight; returns a fresh token source for the next ones.</summary>
    private static CancellationTokenSource Restart(CancellationTokenSource current, Queue<(long Offset, int Limit, Task<SmartLiveJobPage> Page)> pending, CancellationToken cancellationToken)
    {
        current.Cancel();
        foreach (var (_, _, task) in pending)
        {
            task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default); // observed; their outcome no longer matters
        }

        pending.Clear();
        current.Dispose();
        return CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    private long duplicates;

    /// <summary>The offset past which no page is wanted: the reported count, or enough for -First.</summary>
    private long End => Math.Min(TotalCount ?? long.MaxValue, first == long.MaxValue ? long.MaxValue : skip + first + duplicates);

    private void Fill(Queue<(long Offset, int Limit, Task<SmartLiveJobPage> Page)> pending, ref long nextOffset, CancellationToken token)
    {
        while (pending.Count < prefetch && nextOffset < End && nextOffset <= int.MaxValue)
        {
            pending.Enqueue(Request(ref nextOffset, token));
        }
    }

    private (long Offset, int Limit, Task<SmartLiveJobPage> Page) Request(ref long offset, CancellationToken token)
    {
        long wanted = first == long.MaxValue ? long.MaxValue : skip + first + duplicates - offset;
        int limit = (int)Math.Max(1, Math.Min(query.PageSize, wanted));
        var request = (offset, limit, client.ListPageAsync(query, offset, limit, token));
        offset += limit;
        return request;
    }
}
