using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Paging;

namespace MetaStudio;

/// <summary>
/// One listing (a room's jobs, the project's rooms…) written to a cmdlet's pipeline, a page at a time.
/// Its first page is requested when it is started, so several listings can be started at once (rooms
/// piped in) and written one after another; after that, the next page is requested only when the
/// previous one has been written, as a plain loop would, so <c>Select-Object -First</c> stops the
/// fetch and a listing waiting its turn holds one page at most.
/// </summary>
internal sealed class Listing<T>
    where T : class
{
    private readonly ServiceCmdlet cmdlet;
    private readonly PageWalker<T> walker;
    private readonly object? target;
    private readonly Action<T>? onItem;
    private readonly bool includeTotalCount;
    private readonly Progress progress;
    private CancellationTokenSource? stop;
    private IAsyncEnumerator<IReadOnlyList<T>>? pages;
    private Task<bool>? next;
    private bool countWritten;

    /// <param name="target">The error records' target (a room id, the project id).</param>
    /// <param name="onItem">Called for each item before it is written (remembering rooms for completion).</param>
    public Listing(ServiceCmdlet cmdlet, PageWalker<T> walker, string activity, object? target, Action<T>? onItem, long first, int pageSize, bool includeTotalCount)
    {
        this.cmdlet = cmdlet;
        this.walker = walker;
        this.target = target;
        this.onItem = onItem;
        this.includeTotalCount = includeTotalCount;
        progress = new Progress(cmdlet, activity, first, pageSize);
    }

    public bool Finished { get; private set; }

    /// <summary>Requests the first page now.</summary>
    public void Start(CancellationToken cancellationToken)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        pages = walker.EnumeratePagesAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        next = pages.MoveNextAsync().AsTask();
    }

    /// <summary>Writes the pages that are ready (all of them, waiting, when <paramref name="wait"/>); true once the listing is over.</summary>
    public bool Write(bool wait)
    {
        while (!Finished)
        {
            next ??= pages!.MoveNextAsync().AsTask(); // the page after the one just written
            if (!wait && !next.IsCompleted)
            {
                Flush();
                return false;
            }

            bool more;
            try
            {
                more = next.ConfigureAwait(false).GetAwaiter().GetResult();
            }
            catch (MetaStudioServiceException e)
            {
                End();
                cmdlet.WriteServiceError(e, target);
                return true;
            }
            catch (Exception e) when (e is OperationCanceledException or System.Net.Http.HttpRequestException)
            {
                End();
                throw;
            }

            next = null;
            if (!more)
            {
                End();
                if (includeTotalCount && !countWritten)
                {
                    // The service gave no count: what was read, marked as not exact.
                    cmdlet.WriteObject(cmdlet.PagingParameters.NewTotalCount((ulong)Math.Max(0, walker.TotalCount ?? walker.Skip + walker.Yielded), walker.TotalCount is null ? 0.0 : 1.0));
                }

                return true;
            }

            var page = pages!.Current;
            Flush();
            progress.Update(walker, page.Count);
            if (onItem != null)
            {
                foreach (var item in page)
                {
                    onItem(item);
                }
            }

            // A page at a time: the pipeline takes the items one by one, without a call per item.
            cmdlet.WriteObject(page, enumerateCollection: true);
        }

        return true;
    }

    /// <summary>Drops the listing (Ctrl+C, or the pipeline stopped downstream): the pages in flight are cancelled.</summary>
    public void Abandon()
    {
        if (!Finished)
        {
            Finished = true;
            stop?.Cancel();
            next?.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    private void End()
    {
        Finished = true;
        Flush();
        progress.Complete();
        pages?.DisposeAsync().AsTask().ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
    }

    // What happened since the last call, on the pipeline thread: request lines, warnings, the total count.
    private void Flush()
    {
        cmdlet.DrainTraces();
        while (walker.TryTakeWarning(out var warning))
        {
            cmdlet.WriteWarning(warning);
        }

        if (includeTotalCount && !countWritten && walker.TotalCount is { } total)
        {
            cmdlet.WriteObject(cmdlet.PagingParameters.NewTotalCount((ulong)total, 1.0));
            countWritten = true;
        }
    }

    /// <summary>Write-Progress for a listing, only when it needs more than one page.</summary>
    private sealed class Progress
    {
        private static int nextActivityId = 1;
        private readonly Cmdlet cmdlet;
        private readonly string activity;
        private readonly long first;
        private readonly int pageSize;
        private readonly int activityId = Interlocked.Increment(ref nextActivityId);
        private int pagesShown;
        private long written;
        private bool shown;

        public Progress(Cmdlet cmdlet, string activity, long first, int pageSize)
        {
            this.cmdlet = cmdlet;
            this.activity = activity;
            this.first = first;
            this.pageSize = pageSize;
        }

        /// <summary>Called before each page is written; shows progress when a listing needs more than one page.</summary>
        public void Update(PageWalker<T> lister, int pageItems)
        {
            if (lister.Pages != pagesShown && lister.TotalCount is { } total)
            {
                pagesShown = lister.Pages;
                long expected = Math.Min(first, Math.Max(0, total - lister.Skip));
                if (expected > Math.Min(pageSize, first))
                {
                    int percent = (int)Math.Min(100, written * 100 / Math.Max(1, expected));
                    cmdlet.WriteProgress(new ProgressRecord(activityId, activity, string.Format(CultureInfo.CurrentCulture, "{0:N0} of {1:N0}", written, expected))
                    {
                        PercentComplete = percent,
                    });
                    shown = true;
                }
            }

            written += pageItems;
        }

        public void Complete()
        {
            if (shown)
            {
                cmdlet.WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
                shown = false;
            }
        }
    }
}
