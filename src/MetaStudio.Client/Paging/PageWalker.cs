using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Errors;

namespace MetaStudio.Client.Paging;

/// <summary>
/// Walks the pages of one offset/limit listing (jobs, rooms, command history) and yields its items in
/// order, as each page arrives. Once the first page is out, the following pages are requested ahead, a
/// bounded number at a time (the rate limiter still paces them), and yielded strictly in page order.
/// An item already yielded (same id) is not yielded again. Without changes the walk ends at the
/// reported count or a short page; once the list is seen changing (a count that moves, items seen
/// again), it warns once and reads on until a short page, so nothing shifted past the old end is
/// missed, and a page that brings nothing new while nothing explains it stops the walk with an error
/// (a service ignoring <c>offset</c> would otherwise be read for ever). A failure part way is rethrown
/// saying how many items were yielded and at which offset it stopped.
/// </summary>
public class PageWalker<T>
    where T : class
{
    public const int DefaultPrefetch = 4;
    public const int MaxPrefetch = 16;

    /// <summary>How many times pages requested ahead are asked again after a change; after that, pages are read one by one.</summary>
    public const int MaxRestarts = 3;

    /// <summary>Full pages in a row with nothing new that a changing count may explain, before the walk gives up.</summary>
    public const int MaxStalledPages = 3;

    private readonly Func<long, int, CancellationToken, Task<Page<T>>> fetch;
    private readonly Func<T, string?> idOf;
    private readonly string operation;
    private readonly string noun;
    private readonly int pageSize;
    private readonly long skip;
    private readonly long first;
    private readonly int prefetch;
    private readonly ConcurrentQueue<string> warnings = new();
    private readonly HashSet<string> fieldsWarned = new(StringComparer.Ordinal);

    /// <param name="fetch">Gets the page at (offset, limit).</param>
    /// <param name="idOf">An item's id, to drop items seen twice (null: never dropped).</param>
    /// <param name="operation">The API operation, for errors ("ListSmartLive").</param>
    /// <param name="noun">What is listed, plural, for messages ("jobs", "rooms").</param>
    /// <param name="skip">Items to skip: the first page's offset.</param>
    /// <param name="first">Most items to yield (long.MaxValue for all); the last page's limit shrinks to fit.</param>
    /// <param name="prefetch">Pages requested at once, 1 (one after another) to 16.</param>
    /// <param name="maxQueued">The most requests the rate limit lets wait within their timeout: pages ahead never exceed it.</param>
    public PageWalker(Func<long, int, CancellationToken, Task<Page<T>>> fetch, Func<T, string?> idOf, string operation, string noun, int pageSize,
        long skip = 0, long first = long.MaxValue, int prefetch = DefaultPrefetch, int maxQueued = int.MaxValue)
    {
        if (skip < 0 || skip > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(skip), skip, $"-Skip must be from 0 to {int.MaxValue:N0} (the API's largest offset).");
        }

        if (prefetch < 1 || prefetch > MaxPrefetch)
        {
            throw new ArgumentOutOfRangeException(nameof(prefetch), prefetch, $"Pages in flight must be from 1 to {MaxPrefetch}.");
        }

        if (pageSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "A page holds at least one item.");
        }

        this.fetch = fetch;
        this.idOf = idOf;
        this.operation = operation;
        this.noun = noun;
        this.pageSize = pageSize;
        this.skip = skip;
        this.first = first < 0 ? 0 : first;
        this.prefetch = Math.Max(1, Math.Min(prefetch, maxQueued));
    }

    /// <summary>The count the service reported (items matching the query, before paging); null until a page said.</summary>
    public long? TotalCount { get; private set; }

    /// <summary>The first page's offset (-Skip).</summary>
    public long Skip => skip;

    /// <summary>Items yielded so far.</summary>
    public long Yielded { get; private set; }

    /// <summary>The offset of the page being read (or, at the end, of the last one).</summary>
    public long Offset { get; private set; }

    /// <summary>Pages received so far, in order.</summary>
    public int Pages { get; private set; }

    /// <summary>Notes for the user (the list changed while paging, a field could not be read); take them with <see cref="TryTakeWarning"/>.</summary>
    public bool TryTakeWarning(out string warning)
    {
        if (warnings.TryDequeue(out var next))
        {
            warning = next;
            return true;
        }

        warning = string.Empty;
        return false;
    }

    /// <summary>The items, one by one.</summary>
    public IEnumerable<T> Enumerate(CancellationToken cancellationToken)
    {
        foreach (var batch in EnumeratePages(cancellationToken))
        {
            foreach (var item in batch)
            {
                yield return item;
            }
        }
    }

    /// <summary>
    /// The items a page at a time (without items already yielded, and within -First), so a caller can
    /// hand a whole page to the pipeline at once. Pages ahead are requested when the second batch is asked for.
    /// Blocks the calling thread (a cmdlet's pipeline thread) while a page is awaited.
    /// </summary>
    public IEnumerable<IReadOnlyList<T>> EnumeratePages(CancellationToken cancellationToken)
    {
        var pages = EnumeratePagesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (pages.MoveNextAsync().AsTask().ConfigureAwait(false).GetAwaiter().GetResult())
            {
                yield return pages.Current;
            }
        }
        finally
        {
            pages.DisposeAsync().AsTask().ConfigureAwait(false).GetAwaiter().GetResult();
        }
    }

    /// <summary>The same, without blocking a thread while pages are awaited (several listings at once).</summary>
    public async IAsyncEnumerable<IReadOnlyList<T>> EnumeratePagesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (first == 0)
        {
            // -First 0: nothing to list; one smallest page still gives -IncludeTotalCount its count.
            var page = await AwaitAsync(fetch(skip, 1, cancellationToken), skip).ConfigureAwait(false);
            TotalCount = page.Count;
            Pages = 1;
            Offset = skip;
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fingerprints = new HashSet<ulong>();
        var pending = new Queue<(long Offset, int Limit, Task<Page<T>> Page)>();
        var generation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long nextOffset = skip;
        bool changing = false;
        int restarts = 0, stalled = 0, ahead = prefetch;
        try
        {
            pending.Enqueue(Request(ref nextOffset, generation.Token));
            while (pending.Count > 0)
            {
                var (offset, limit, task) = pending.Dequeue();
                Offset = offset;
                var page = await AwaitAsync(task, offset).ConfigureAwait(false);
                Pages++;
                NoteIssues(page.Issues);
                // Items beyond the limit asked for come again on the next page: they are not this page's.
                var items = page.Items.Count > limit ? page.Items.Take(limit).ToList() : page.Items;
                // A page served again (same items, byte for byte) brings nothing new, even when its items have no ids.
                bool servedAgain = items.Count > 0 && page.Fingerprint != 0 && !fingerprints.Add(page.Fingerprint);
                // A count below what has already been read is not a count.
                long? pageCount = page.Count is { } reported && reported < offset + items.Count ? null : page.Count;
                bool countChanged = TotalCount is { } earlier && pageCount is { } now && now != earlier;
                var batch = new List<T>(items.Count);
                var inPage = new HashSet<string>(StringComparer.Ordinal);
                int repeated = 0;
                bool reachedFirst = false;
                foreach (var item in items)
                {
                    string? id = idOf(item);
                    if (id != null && !inPage.Add(id))
                    {
                        continue; // the same item twice in one page
                    }

                    if ((id != null && !seen.Add(id)) || (id is null && servedAgain))
                    {
                        repeated++; // shifted into this page from an earlier one, or the page came again
                        duplicates++;
                        continue;
                    }

                    if (!reachedFirst)
                    {
                        batch.Add(item);
                        reachedFirst = Yielded + batch.Count >= first;
                    }
                }

                if ((repeated > 0 || countChanged) && !changing && !servedAgain)
                {
                    changing = true;
                    warnings.Enqueue(ChangeWarning(offset, pageCount, repeated));
                }

                bool full = items.Count >= limit;
                stalled = full && batch.Count == 0 && !reachedFirst ? stalled + 1 : 0;
                if (stalled > 0 && (!countChanged || stalled >= MaxStalledPages))
                {
                    throw Stalled(offset, items.Count, page.Count);
                }

                if (countChanged)
                {
                    // Pages requested ahead may have been answered before the change: ask for them again,
                    // a bounded number of times; after that, one page at a time, so nothing is asked twice.
                    generation = Restart(generation, pending, cancellationToken);
                    nextOffset = offset + limit;
                    if (++restarts >= MaxRestarts)
                    {
                        ahead = 1;
                    }
                }

                if (pageCount != null)
                {
                    TotalCount = pageCount;
                }

                bool atCount = !changing && pageCount is { } count && offset + items.Count >= count;
                bool last = !full || reachedFirst || atCount;
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
                Fill(pending, ref nextOffset, changing, ahead, generation.Token);
            }
        }
        finally
        {
            // -First reached, Select-Object -First, Ctrl+C or a failure: drop the pages in flight.
            Restart(generation, pending, cancellationToken).Dispose();
        }
    }

    private long duplicates;

    private async Task<Page<T>> AwaitAsync(Task<Page<T>> task, long offset)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (MetaStudioServiceException e)
        {
            throw e.WithProgress(Yielded, offset, TotalCount, noun);
        }
    }

    /// <summary>Cancels and forgets the pages in flight; returns a fresh token source for the next ones.</summary>
    private static CancellationTokenSource Restart(CancellationTokenSource current, Queue<(long Offset, int Limit, Task<Page<T>> Page)> pending, CancellationToken cancellationToken)
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

    /// <summary>
    /// Requests the next pages: always the next one, and ahead of it up to the reported count (or enough
    /// for -First). While the list changes, ahead only to one page past the count, the short page that ends it.
    /// </summary>
    private void Fill(Queue<(long Offset, int Limit, Task<Page<T>> Page)> pending, ref long nextOffset, bool changing, int ahead, CancellationToken token)
    {
        long end = first == long.MaxValue ? long.MaxValue : skip + first + duplicates;
        if (TotalCount is { } total)
        {
            end = Math.Min(end, changing ? total + pageSize : total);
        }

        if (pending.Count == 0 && nextOffset <= int.MaxValue)
        {
            pending.Enqueue(Request(ref nextOffset, token));
        }

        while (pending.Count < ahead && nextOffset < end && nextOffset <= int.MaxValue && TotalCount != null)
        {
            pending.Enqueue(Request(ref nextOffset, token));
        }
    }

    private (long Offset, int Limit, Task<Page<T>> Page) Request(ref long offset, CancellationToken token)
    {
        long wanted = first == long.MaxValue ? long.MaxValue : skip + first + duplicates - offset;
        int limit = (int)Math.Max(1, Math.Min(pageSize, wanted));
        var request = (offset, limit, fetch(offset, limit, token));
        offset += limit;
        return request;
    }

    private void NoteIssues(IReadOnlyList<ParseIssue> issues)
    {
        foreach (var issue in issues)
        {
            if (fieldsWarned.Add(StripIndexes(issue.Field)))
            {
                warnings.Enqueue(issue.Describe(Singular(), $" on this and any other {Singular()} where it happens in this listing"));
            }
        }
    }

    private string ChangeWarning(long offset, long? count, int repeated)
    {
        var what = new List<string>();
        if (TotalCount is { } before && count is { } now && now != before)
        {
            what.Add(string.Format(CultureInfo.InvariantCulture, "the service reported {0:N0} {1} at first and {2:N0} at offset {3:N0}", before, noun, now, offset));
        }

        if (repeated > 0)
        {
            what.Add(string.Format(CultureInfo.InvariantCulture, "the page at offset {0:N0} repeated {1:N0} {2} already written", offset, repeated, noun));
        }

        return $"The listing changed while it was being read: {string.Join(", and ", what)}. {Capital(noun)} already written are not written twice, and reading goes on until the service returns a short page, so none shifted past the end is missed; {noun} removed meanwhile may be missed. List again (or narrow it, e.g. with a time filter) for a stable view.";
    }

    private MetaStudioServiceException Stalled(long offset, int received, long? count)
    {
        string message = string.Format(CultureInfo.InvariantCulture,
            "the service returned only {0} already written at offset {1:N0} ({2:N0} of them{3}), so the listing made no progress: the service may be ignoring offset. It stopped rather than read the same page for ever",
            noun, offset, received, count is { } c ? string.Format(CultureInfo.InvariantCulture, ", while it reports {0:N0} in all", c) : string.Empty);
        return new MetaStudioServiceException(ServiceErrorKind.PagingStalled, 200, null, message, null, operation).WithProgress(Yielded, offset, TotalCount, noun);
    }

    private string Singular() => noun.EndsWith("s", StringComparison.Ordinal) ? noun.Substring(0, noun.Length - 1) : noun;

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

    private static string StripIndexes(string field) => System.Text.RegularExpressions.Regex.Replace(field, @"\[\d+\]", "[]");
}
