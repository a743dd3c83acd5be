using System;
using System.Collections.Concurrent;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace MetaStudio.Emulator.Faults;

/// <summary>Bodies a hostile or broken service could send: very large, endless, or a small gzip that expands enormously.</summary>
internal static class HostileBodies
{
    private static readonly byte[] Head = Encoding.UTF8.GetBytes("{\"count\":1,\"smart_live_jobs\":[");
    private static readonly byte[] Tail = Encoding.UTF8.GetBytes("]}");
    private static readonly byte[] Spaces = CreateSpaces();
    private static readonly ConcurrentDictionary<int, byte[]> Bombs = new();

    /// <returns>The status sent (200).</returns>
    public static async Task<int> WriteAsync(HttpContext ctx, FaultRule fault)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json;charset=UTF-8";
        var aborted = ctx.RequestAborted;
        try
        {
            switch (fault.Kind)
            {
                case FaultKind.GzipBomb:
                    byte[] bomb = Bombs.GetOrAdd(fault.Argument, Compress);
                    ctx.Response.Headers.ContentEncoding = "gzip";
                    ctx.Response.ContentLength = bomb.Length;
                    await ctx.Response.Body.WriteAsync(bomb, aborted).ConfigureAwait(false);
                    break;
                case FaultKind.Huge:
                    await ctx.Response.Body.WriteAsync(Head, aborted).ConfigureAwait(false);
                    for (long left = (long)fault.Argument * 1024 * 1024; left > 0; left -= Spaces.Length)
                    {
                        await ctx.Response.Body.WriteAsync(Spaces.AsMemory(0, (int)Math.Min(Spaces.Length, left)), aborted).ConfigureAwait(false);
                    }

                    await ctx.Response.Body.WriteAsync(Tail, aborted).ConfigureAwait(false);
                    break;
                default: // Endless
                    await ctx.Response.Body.WriteAsync(Head, aborted).ConfigureAwait(false);
                    while (!aborted.IsCancellationRequested)
                    {
                        await ctx.Response.Body.WriteAsync(Spaces, aborted).ConfigureAwait(false);
                    }

                    break;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client gave up reading, as it should.
        }
        catch (IOException)
        {
        }

        return 200;
    }

    private static byte[] CreateSpaces()
    {
        var spaces = new byte[64 * 1024];
        spaces.AsSpan().Fill((byte)' ');
        return spaces;
    }

    private static byte[] Compress(int mebibytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Head);
            for (int i = 0; i < mebibytes * 16; i++)
            {
                gzip.Write(Spaces);
            }

            gzip.Write(Tail);
        }

        return output.ToArray();
    }
}
