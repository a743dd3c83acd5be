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
/// The body is bounded: bytes are counted as read, after decompression, so neither an endless body
/// nor a small gzip bomb can take more than about twice the limit.
/// </summary>
internal sealed class PooledBody : IDisposable
{
    private byte[] buffer;
    private int length;

    private PooledBody(int capacity) => buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 4096));

    public ReadOnlySpan<byte> Span => new(buffer, 0, length);

    /// <summary>True when the body went on beyond the limit and only its start was kept.</summary>
    public bool Truncated { get; private set; }

    /// <param name="maxBytes">The most bytes kept.</param>
    /// <param name="truncate">Keep the first <paramref name="maxBytes"/> and stop reading (error bodies); otherwise a longer body throws.</param>
    /// <exception cref="ResponseTooLargeException">The body is longer than <paramref name="maxBytes"/> and <paramref name="truncate"/> is false.</exception>
    public static async Task<PooledBody> ReadAsync(HttpResponseMessage response, long maxBytes, bool truncate, CancellationToken cancellationToken)
    {
        int limit = (int)Math.Min(maxBytes, int.MaxValue - 1);
        long? declared = response.Content.Headers.ContentLength;
        bool compressed = response.Content.Headers.ContentEncoding.Count > 0;
        if (declared > limit && !truncate && !compressed)
        {
            throw new ResponseTooLargeException(maxBytes, declared);
        }

        // The declared length only sizes the first buffer up to 1 MiB: headers alone never reserve more.
        var body = new PooledBody(declared is > 0 ? (int)Math.Min(Math.Min(declared.Value, limit), 1024 * 1024) : Math.Min(64 * 1024, limit));
        try
        {
            using Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            while (true)
            {
                if (body.length >= limit)
                {
                    // Full: one more byte tells whether the body goes on.
                    var probe = new byte[1];
                    if (await stream.ReadAsync(probe, 0, 1, cancellationToken).ConfigureAwait(false) == 0)
                    {
                        return body;
                    }

                    if (!truncate)
                    {
                        throw new ResponseTooLargeException(maxBytes, declared);
                    }

                    body.Truncated = true;
                    return body;
                }

                if (body.length == body.buffer.Length)
                {
                    body.Grow(limit);
                }

                int read = await stream.ReadAsync(body.buffer, body.length, Math.Min(body.buffer.Length, limit) - body.length, cancellationToken).ConfigureAwait(false);
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

    private void Grow(int limit)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit));
        Buffer.BlockCopy(buffer, 0, larger, 0, length);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }
}

/// <summary>A response body was longer than the connection's limit.</summary>
public sealed class ResponseTooLargeException : Exception
{
    public ResponseTooLargeException(long maxBytes, long? declared)
        : base(declared is { } d && d > maxBytes
            ? $"the response declares {d:N0} bytes, more than the {Describe(maxBytes)} limit"
            : $"the response body is larger than the {Describe(maxBytes)} limit")
    {
        MaxBytes = maxBytes;
    }

    public long MaxBytes { get; }

    /// <summary>16 MiB, 64 KiB, or bytes.</summary>
    public static string Describe(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024):N0} MiB" : bytes % 1024 == 0 ? $"{bytes / 1024:N0} KiB" : $"{bytes:N0}-byte";
}
