using System;
using System.Buffers;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace MetaStudio.Client.Http;

/// <summary>
/// A response body read into a buffer rented from the shared pool (a page is ~150 KB: a fresh array
/// per page would land on the large object heap), returned on dispose. Never turned into a string.
/// </summary>
internal sealed class PooledBody : IDisposable
{
    private byte[] buffer;
    private int length;

    private PooledBody(int capacity) => buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 4096));

    public ReadOnlySpan<byte> Span => new(buffer, 0, length);

    public static async Task<PooledBody> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        long? declared = response.Content.Headers.ContentLength;
        var body = new PooledBody(declared is > 0 and < 64 * 1024 * 1024 ? (int)declared.Value : 64 * 1024);
        try
        {
            using Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            while (true)
            {
                if (body.length == body.buffer.Length)
                {
                    body.Grow();
                }

                int read = await stream.ReadAsync(body.buffer, body.length, body.buffer.Length - body.length, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return body;
                }

                body.length += read;
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        var rented = buffer;
        buffer = Array.Empty<byte>();
        length = 0;
        if (rented.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Grow()
    {
        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        Buffer.BlockCopy(buffer, 0, larger, 0, length);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }
}
