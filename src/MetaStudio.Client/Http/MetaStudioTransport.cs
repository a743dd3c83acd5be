using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Json;

namespace MetaStudio.Client.Http;

/// <summary>
/// Sends requests through one process-wide HttpClient: a fresh, freshly signed request per attempt,
/// a timeout per attempt, retries with backoff for what is safe to retry (429, 500, 502, 503, 504,
/// resets, timeouts and unreadable bodies of these idempotent GETs), and errors that say what the
/// service said.
/// </summary>
public sealed class MetaStudioTransport
{
    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(new HttpClientHandler
    {
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        MaxConnectionsPerServer = 64,
        UseCookies = false,
        AllowAutoRedirect = false,
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan, // per-attempt timeouts are ours
    });

    private static readonly int[] RetryableStatuses = { 429, 500, 502, 503, 504 };

    [ThreadStatic]
    private static Random? random;

    private readonly HttpClient http;

    public MetaStudioTransport(HttpClient? http = null)
    {
        this.http = http ?? SharedClient.Value;
    }

    public static MetaStudioTransport Shared { get; } = new();

    /// <summary>Reads a 2xx body; a <see cref="JsonException"/> means the body is invalid.</summary>
    public delegate T BodyParser<out T>(ReadOnlySpan<byte> body, int status);

    /// <param name="build">Builds and signs the request for one attempt, given the signing time.</param>
    /// <param name="parse">Reads a 2xx body; a <see cref="JsonException"/> means the body is invalid.</param>
    public async Task<T> SendAsync<T>(string operation, MetaStudioContext context, Func<DateTime, HttpRequestMessage> build,
        BodyParser<T> parse, RequestOptions options, Action<RequestTrace>? observer, CancellationToken cancellationToken)
    {
        int maxAttempts = Math.Max(1, options.MaxAttempts);
        bool skewRetried = false;
        for (int attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options.RateLimiter != null)
            {
                await options.RateLimiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            var trace = new RequestTrace { Attempt = attempt };
            var clock = Stopwatch.StartNew();
            MetaStudioServiceException failure;
            TimeSpan? serverRetryAfter = null;
            TimeSpan? skew = null;
            using (var request = build(DateTime.UtcNow + ClockOffsets.For(context.Endpoint)))
            using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                trace.Method = request.Method.Method;
                trace.PathAndQuery = request.RequestUri!.PathAndQuery;
                trace.RequestHeaders = request.Headers.Select(h => Header(h.Key, string.Join(",", h.Value))).ToList();
                attemptCts.CancelAfter(options.Timeout);
                try
                {
                    // Headers first: the body is read once, into a pooled buffer, not buffered by HttpClient as well.
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptCts.Token).ConfigureAwait(false);
                    trace.Status = (int)response.StatusCode;
                    trace.RequestId = RequestIdOf(response);
                    trace.ResponseHeaders = response.Headers.Concat(response.Content.Headers).Select(h => Header(h.Key, string.Join(",", h.Value))).ToList();
                    using var body = await PooledBody.ReadAsync(response, attemptCts.Token).ConfigureAwait(false);
                    int status = (int)response.StatusCode;
                    if (status >= 200 && status < 300)
                    {
                        try
                        {
                            T result = parse(body.Span, status);
                            trace.ElapsedMs = clock.ElapsedMilliseconds;
                            observer?.Invoke(trace);
                            return result;
                        }
                        catch (JsonException e)
                        {
                            failure = new MetaStudioServiceException(ServiceErrorKind.InvalidResponse, status, null,
                                Redactor.Redact(Snippet(body.Span), context) + " (" + e.Message + ")", trace.RequestId, operation, e);
                        }
                    }
                    else
                    {
                        failure = ErrorFrom(status, body.Span, trace.RequestId, operation, context);
                        serverRetryAfter = RetryAfterOf(response);
                        skew = status == 401 ? SkewOf(failure, response) : null;
                    }
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new MetaStudioServiceException(ServiceErrorKind.Timeout, null, null,
                        $"no complete response within {options.Timeout.TotalSeconds:0.###} s", trace.RequestId, operation, e);
                }
                catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    failure = new MetaStudioServiceException(ServiceErrorKind.NetworkError, trace.Status, null,
                        Redactor.Redact(Innermost(e).Message, context), trace.RequestId, operation, e);
                }
            }

            trace.ElapsedMs = clock.ElapsedMilliseconds;
            trace.Error = failure.ErrorId;
            failure.Attempts = attempt;
            TimeSpan? wait = attempt < maxAttempts ? RetryDelay(failure, serverRetryAfter, attempt, options) : null;
            if (skew is { } offset && !skewRetried)
            {
                // "Signature expired": sign once more with the service's clock, and remember the offset.
                skewRetried = true;
                ClockOffsets.Set(context.Endpoint, ClockOffsets.For(context.Endpoint) + offset);
                trace.Warning = string.Format(System.Globalization.CultureInfo.InvariantCulture,
                    "The local clock is off by {0:N0} seconds from {1}'s (it is {2}). Requests are now signed with the service's time; correct the clock (NTP).",
                    Math.Abs(offset.TotalSeconds), context.Endpoint.Host, offset > TimeSpan.Zero ? "behind" : "ahead");
                wait = TimeSpan.Zero;
                maxAttempts++;
            }
            trace.RetryAfter = wait;
            observer?.Invoke(trace);
            if (wait is null)
            {
                throw failure;
            }

            await Task.Delay(wait.Value, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>For a "signature expired" 401 with a Date header: how far the service's clock is ahead of ours.</summary>
    internal static TimeSpan? SkewOf(MetaStudioServiceException failure, HttpResponseMessage response)
    {
        if (failure.ErrorMessage is null || failure.ErrorMessage.IndexOf("signature expired", StringComparison.OrdinalIgnoreCase) < 0 ||
            response.Headers.Date is not { } serverNow)
        {
            return null;
        }

        return serverNow - DateTimeOffset.UtcNow;
    }

    /// <summary>The wait before the next attempt, or null when this failure is not to be retried.</summary>
    internal static TimeSpan? RetryDelay(MetaStudioServiceException failure, TimeSpan? serverRetryAfter, int attempt, RequestOptions options)
    {
        bool retryable = failure.Kind switch
        {
            ServiceErrorKind.ServiceError => Array.IndexOf(RetryableStatuses, failure.StatusCode ?? 0) >= 0,
            // A certificate the client does not trust will not be trusted on the next attempt either.
            ServiceErrorKind.NetworkError => !IsTlsFailure(failure.InnerException),
            _ => true,
        };
        if (!retryable)
        {
            return null;
        }

        if (serverRetryAfter is { } server)
        {
            return server <= options.MaxRetryAfter ? server : null;
        }

        double ceiling = Math.Min(options.BackoffCap.TotalMilliseconds, options.BackoffBase.TotalMilliseconds * Math.Pow(2, attempt - 1));
        random ??= new Random(Guid.NewGuid().GetHashCode());
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }

    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static MetaStudioServiceException ErrorFrom(int status, ReadOnlySpan<byte> body, string? requestId, string operation, MetaStudioContext context)
    {
        string? code = null, message = null;
        try
        {
            var error = JsonSerializer.Deserialize(body, MetaStudioJsonContext.Default.ServiceErrorBody);
            code = error?.ErrorCode ?? error?.AltErrorCode ?? error?.Code;
            message = error?.ErrorMsg ?? error?.AltErrorMsg ?? error?.Message;
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): the start of the body is the message.
        }

        if (code is null && message is null)
        {
            message = Snippet(body);
        }

        return new MetaStudioServiceException(ServiceErrorKind.ServiceError, status, code, Redactor.Redact(message, context), requestId, operation);
    }

    /// <summary>The first 200 characters of a body, on one line.</summary>
    internal static string Snippet(ReadOnlySpan<byte> body)
    {
        if (body.Length == 0)
        {
            return "(empty body)";
        }

        string text = Encoding.UTF8.GetString(body.Slice(0, Math.Min(body.Length, 800)).ToArray());
        text = text.Replace("\r", " ").Replace("\n", " ").Trim();
        return text.Length > 200 ? text.Substring(0, 200) + "…" : text;
    }

    private static string? RequestIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Request-Id", out var values) ? values.FirstOrDefault() : null;

    private static KeyValuePair<string, string> Header(string name, string value) =>
        new(name, Redactor.IsSensitiveHeader(name) ? Redactor.Mask : value);

    private static bool IsTlsFailure(Exception? e)
    {
        for (; e != null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException != null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
