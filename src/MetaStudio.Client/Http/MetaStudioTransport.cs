using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MetaStudio.Client.Connection;
using MetaStudio.Client.Errors;

namespace MetaStudio.Client.Http;

/// <summary>
/// Sends requests through one process-wide HttpClient: a fresh, freshly signed request per attempt,
/// a timeout per attempt, a bounded body, and retries with backoff for what is safe to retry. Reads
/// are retried on 429, 5xx, resets, timeouts and unreadable bodies; writes only when the request
/// surely never reached the service (refused, DNS, TLS handshake) or was refused with 429. An
/// endpoint that cannot be reached at all is skipped for the next one in the context's list.
/// </summary>
public sealed class MetaStudioTransport
{
    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(CreateHandler(WebRequest.DefaultWebProxy))
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan, // per-attempt timeouts are ours
    });

    private static readonly int[] RetryableStatuses = { 429, 500, 502, 503, 504 };

    /// <summary>Signature-expired answers a call re-signs after (they do not count as retries).</summary>
    private const int MaxSkewRetries = 2;

    /// <summary>The endpoint that last answered, per endpoint list, so later calls start there.</summary>
    private static readonly ConcurrentDictionary<string, int> PreferredEndpoint = new(StringComparer.OrdinalIgnoreCase);

    [ThreadStatic]
    private static Random? random;

    private readonly HttpClient http;

    public MetaStudioTransport(HttpClient? http = null)
    {
        this.http = http ?? SharedClient.Value;
    }

    public static MetaStudioTransport Shared { get; } = new();

    /// <summary>Reads a 2xx body; a <see cref="JsonException"/> (or any other exception) means the body is invalid.</summary>
    /// <param name="cancellationToken">The attempt's: Ctrl+C or its timeout.</param>
    public delegate T BodyParser<out T>(ReadOnlySpan<byte> body, int status, CancellationToken cancellationToken);

    /// <summary>
    /// The handler every request goes through: no cookies, no redirects (the signature binds the host),
    /// gzip and deflate, and <paramref name="systemProxy"/> for everything but loopback endpoints.
    /// </summary>
    public static HttpMessageHandler CreateHandler(IWebProxy? systemProxy) => new HttpClientHandler
    {
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        MaxConnectionsPerServer = 64,
        UseCookies = false,
        AllowAutoRedirect = false,
        UseProxy = true,
        Proxy = new LoopbackBypassProxy(systemProxy),
    };

    public async Task<T> SendAsync<T>(ApiRequest call, MetaStudioContext context, BodyParser<T> parse, RequestOptions options,
        Action<RequestTrace>? observer, CancellationToken cancellationToken)
    {
        var operation = call.Operation;
        int maxAttempts = Math.Max(1, options.MaxAttempts);
        int skewRetries = 0;
        TimeSpan? offsetBefore = null;
        for (int attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options.RateLimiter != null)
            {
                try
                {
                    await options.RateLimiter.WaitAsync(options.Timeout, cancellationToken).ConfigureAwait(false);
                }
                catch (RateLimitWaitException e)
                {
                    throw new MetaStudioServiceException(ServiceErrorKind.RateLimited, null, null, Sentence(e.Message) + " Nothing was sent. Lower the load (fewer commands at once), raise -TimeoutSec, or raise the connection's -RateLimit.", null, operation.Name, e) { Attempts = attempt };
                }
            }

            var outcome = await AttemptEndpointsAsync(call, context, parse, options, attempt, observer, cancellationToken).ConfigureAwait(false);
            if (outcome.Failure is null)
            {
                observer?.Invoke(outcome.Trace);
                return outcome.Result!;
            }

            var failure = outcome.Failure;
            var trace = outcome.Trace;
            failure.Attempts = attempt;
            TimeSpan? wait = attempt < maxAttempts ? RetryDelay(failure, outcome, operation, attempt, options) : null;
            if (attempt < maxAttempts && wait is null && outcome.RetryAfter is { } asked && asked > options.MaxRetryAfter)
            {
                failure = failure.WithNote(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                    "The service asked to wait {0:N0} s before retrying (Retry-After), longer than the {1:0} s this module waits, so it was not retried.", asked.TotalSeconds, options.MaxRetryAfter.TotalSeconds));
            }
            // A write gets one such retry: the gateway refused it before the service saw it, but a gateway that keeps
            // saying so after the clock was corrected is not to be trusted with a second copy.
            if (outcome.ServiceClock is { } serviceNow && skewRetries < (operation.IsIdempotent ? MaxSkewRetries : 1) && IsSignatureExpired(failure))
            {
                // "Signature expired": learn the service's clock (replacing what was learnt before) and sign again.
                // Twice at most: a second time only if another call (or Connect-MSAccount) changed the offset meanwhile.
                skewRetries++;
                offsetBefore ??= ClockOffsets.For(outcome.Endpoint!);
                try
                {
                    var offset = ClockOffsets.Learn(outcome.Endpoint!, serviceNow, outcome.LocalClock);
                    if (skewRetries == 1)
                    {
                        trace.Warning = string.Format(System.Globalization.CultureInfo.InvariantCulture,
                            "The local clock is off by {0:N0} seconds from {1}'s (it is {2}). Requests are now signed with the service's time; correct the clock (NTP).",
                            Math.Abs(offset.TotalSeconds), outcome.Endpoint!.Host, offset > TimeSpan.Zero ? "behind" : "ahead");
                    }

                    wait = TimeSpan.Zero;
                    maxAttempts++;
                }
                catch (ClockSkewException e)
                {
                    failure = new MetaStudioServiceException(ServiceErrorKind.ClockSkew, failure.StatusCode, failure.ErrorCode, Sentence(e.Message), failure.RequestId, operation.Name, e) { Attempts = attempt };
                    wait = null;
                }
            }

            trace.Error = failure.ErrorId;
            trace.RetryAfter = wait;
            trace.MaxAttempts = maxAttempts;
            observer?.Invoke(trace);
            if (wait is null)
            {
                if (offsetBefore is { } before && IsSignatureExpired(failure))
                {
                    // Signed with the service's own Date and still "expired": that Date was not its clock. Keep what was known before.
                    ClockOffsets.Restore(outcome.Endpoint!, before);
                }

                // A write that may have arrived is never repeated; the error says its outcome is unknown.
                bool mayHaveActed = outcome.MayHaveArrived || failure.StatusCode is >= 500 or (>= 200 and < 300);
                throw !operation.IsIdempotent && mayHaveActed ? failure.WithUnknownOutcome(operation.IfOutcomeUnknown) : failure;
            }

            await Task.Delay(wait.Value, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One attempt: the preferred endpoint first, the next ones only while none could be reached at all.</summary>
    private async Task<Outcome<T>> AttemptEndpointsAsync<T>(ApiRequest call, MetaStudioContext context, BodyParser<T> parse, RequestOptions options,
        int attempt, Action<RequestTrace>? observer, CancellationToken cancellationToken)
    {
        var endpoints = context.Endpoints;
        string listKey = string.Join(",", endpoints.Select(e => e.AbsoluteUri));
        int start = endpoints.Count > 1 && PreferredEndpoint.TryGetValue(listKey, out var preferred) && preferred < endpoints.Count ? preferred : 0;
        for (int k = 0; ; k++)
        {
            int index = (start + k) % endpoints.Count;
            var outcome = await AttemptAsync(call, context, endpoints[index], parse, options, attempt, cancellationToken).ConfigureAwait(false);
            if (!outcome.Unreached || k == endpoints.Count - 1)
            {
                if (!outcome.Unreached && endpoints.Count > 1)
                {
                    PreferredEndpoint[listKey] = index;
                }

                return outcome;
            }

            var next = endpoints[(index + 1) % endpoints.Count];
            outcome.Trace.Error = outcome.Failure!.ErrorId;
            outcome.Trace.Note = $"could not reach {endpoints[index].GetLeftPart(UriPartial.Authority)}; trying {next.GetLeftPart(UriPartial.Authority)}";
            observer?.Invoke(outcome.Trace);
        }
    }

    private async Task<Outcome<T>> AttemptAsync<T>(ApiRequest call, MetaStudioContext context, Uri endpoint, BodyParser<T> parse, RequestOptions options,
        int attempt, CancellationToken cancellationToken)
    {
        string operation = call.Operation.Name;
        var trace = new RequestTrace { Attempt = attempt, Method = call.Operation.Method.Method, Endpoint = endpoint.GetLeftPart(UriPartial.Authority) };
        var outcome = new Outcome<T>(trace) { Endpoint = endpoint };
        var clock = Stopwatch.StartNew();
        HttpRequestMessage request;
        try
        {
            request = MetaStudioRequest.Create(context, endpoint, call.Operation.Method, call.Segments, call.Query, call.JsonBody, ClockOffsets.SigningTime(endpoint));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
        {
            outcome.Failure = new MetaStudioServiceException(ServiceErrorKind.InvalidRequest, null, null, Sentence(e.Message) + " Nothing was sent.", null, operation, e);
            return Finish(outcome, clock);
        }

        using (request)
        using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // This attempt's signature is masked by value too, wherever an answer echoes it.
            var redact = Redactor.For(context, WithSignature(call.Secrets, request));
            trace.PathAndQuery = request.RequestUri!.PathAndQuery;
            trace.RequestHeaders = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .Select(h => Header(h.Key, string.Join(",", h.Value), redact)).ToList();
            attemptCts.CancelAfter(options.Timeout);
            bool sent = false;
            try
            {
                // Headers first: the body is read once, into a pooled buffer, not buffered by HttpClient as well.
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptCts.Token).ConfigureAwait(false);
                sent = true;
                outcome.LocalClock = DateTimeOffset.UtcNow;
                outcome.ServiceClock = response.Headers.Date;
                int status = (int)response.StatusCode;
                trace.Status = status;
                trace.RequestId = redact.Apply(RequestIdOf(response));
                trace.ResponseHeaders = response.Headers.Concat(response.Content.Headers).Select(h => Header(h.Key, string.Join(",", h.Value), redact)).ToList();
                if (status >= 300 && status < 400)
                {
                    string? location = redact.Apply(response.Headers.Location?.OriginalString);
                    outcome.Failure = new MetaStudioServiceException(ServiceErrorKind.Redirected, status, null,
                        $"the service redirected (HTTP {status}) to {(location is null ? "no location" : Text.ConsoleText.Shorten(location, 200))}. Redirects are not followed: the signature is bound to the endpoint's host. Check the endpoint (Get-MSContext) and use the one the redirect names if you trust it",
                        trace.RequestId, operation) { RedirectLocation = location };
                    return Finish(outcome, clock);
                }

                bool success = status >= 200 && status < 300;
                using var body = await PooledBody.ReadAsync(response, success ? options.MaxResponseBytes : RequestOptions.MaxErrorBodyBytes, truncate: !success, attemptCts.Token).ConfigureAwait(false);
                if (success)
                {
                    try
                    {
                        outcome.Result = parse(body.Span, status, attemptCts.Token);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // Valid JSON of the wrong shape will be the same next time; a cut or garbled body may not be.
                        // The parser's own message can quote the body: it is masked and escaped like the body, and the
                        // exception itself is not kept.
                        outcome.Deterministic = IsWellFormedJson(body.Span);
                        string reason = e is JsonException ? redact.Apply(e.Message)! : "the body has a shape that cannot be read";
                        outcome.Failure = new MetaStudioServiceException(ServiceErrorKind.InvalidResponse, status, null,
                            Snippet(body.Span, redact) + " (" + Text.ConsoleText.Shorten(reason, 200) + ")", trace.RequestId, operation);
                    }
                }
                else
                {
                    outcome.Failure = ErrorFrom(status, body.Span, trace.RequestId, operation, redact);
                    outcome.RetryAfter = RetryAfterOf(response);
                }
            }
            catch (InvalidDataException e) when (!cancellationToken.IsCancellationRequested)
            {
                // A gzip or deflate body that does not decompress: garbled on the way, so the next answer may be whole.
                outcome.Failure = new MetaStudioServiceException(ServiceErrorKind.InvalidResponse, trace.Status, null,
                    $"the response body could not be decompressed ({Text.ConsoleText.Shorten(redact.Apply(e.Message), 200)})", trace.RequestId, operation, e);
                outcome.MayHaveArrived = true;
            }
            catch (ResponseTooLargeException e)
            {
                outcome.Failure = new MetaStudioServiceException(ServiceErrorKind.ResponseTooLarge, trace.Status, null,
                    $"{e.Message}, so it was not read further and the request is not retried. If such a response is expected, raise the limit: Connect-MSAccount -MaxResponseSize 64MB",
                    trace.RequestId, operation, e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                outcome.Failure = new MetaStudioServiceException(ServiceErrorKind.Timeout, trace.Status, null,
                    $"no complete response within {options.Timeout.TotalSeconds:0.###} s", trace.RequestId, operation, e);
                outcome.MayHaveArrived = true;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                outcome.Unreached = !sent && IsUnreached(e);
                outcome.MayHaveArrived = !outcome.Unreached;
                outcome.Failure = new MetaStudioServiceException(ServiceErrorKind.NetworkError, trace.Status, null,
                    NetworkFailure(endpoint, e, outcome.Unreached, sent, redact), trace.RequestId, operation, e);
            }
        }

        return Finish(outcome, clock);
    }

    private static Outcome<T> Finish<T>(Outcome<T> outcome, Stopwatch clock)
    {
        outcome.Trace.ElapsedMs = clock.ElapsedMilliseconds;
        return outcome;
    }

    /// <summary>The wait before the next attempt, or null when this failure is not to be retried.</summary>
    private static TimeSpan? RetryDelay<T>(MetaStudioServiceException failure, Outcome<T> outcome, ApiOperation operation, int attempt, RequestOptions options)
    {
        bool retryable = failure.Kind switch
        {
            // A 429 was refused before any work; other statuses may have done some, so writes are not repeated.
            ServiceErrorKind.ServiceError => failure.StatusCode == 429 || (operation.IsIdempotent && Array.IndexOf(RetryableStatuses, failure.StatusCode ?? 0) >= 0),
            // A certificate the client does not trust will not be trusted on the next attempt either, nor will
            // response headers beyond HttpClient's limit fit next time.
            ServiceErrorKind.NetworkError => !IsTlsFailure(failure.InnerException) && !IsLimitExceeded(failure.InnerException) && (outcome.Unreached || operation.IsIdempotent),
            ServiceErrorKind.Timeout => operation.IsIdempotent,
            ServiceErrorKind.InvalidResponse => operation.IsIdempotent && !outcome.Deterministic,
            _ => false,
        };
        if (!retryable)
        {
            return null;
        }

        if (outcome.RetryAfter is { } server && server > TimeSpan.Zero)
        {
            return server <= options.MaxRetryAfter ? server : null; // (a Retry-After in the past gets the normal backoff)
        }

        double ceiling = Math.Min(options.BackoffCap.TotalMilliseconds, options.BackoffBase.TotalMilliseconds * Math.Pow(2, attempt - 1));
        random ??= new Random(Guid.NewGuid().GetHashCode());
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }

    private static bool IsSignatureExpired(MetaStudioServiceException failure) =>
        failure.StatusCode == 401 && failure.ErrorMessage != null &&
        failure.ErrorMessage.IndexOf("signature expired", StringComparison.OrdinalIgnoreCase) >= 0;

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

    private static MetaStudioServiceException ErrorFrom(int status, ReadOnlySpan<byte> body, string? requestId, string operation, Redactor.Scope redact)
    {
        var error = ServiceErrorBody.TryParse(body);
        string? code = redact.Apply(error?.Code);
        string? message = error?.Code is null ? null : redact.Apply(error.Message);
        if (code is null)
        {
            message = Snippet(body, redact);
        }

        return new MetaStudioServiceException(ServiceErrorKind.ServiceError, status, code ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture), message, requestId, operation)
        {
            CodeFromStatus = code is null,
            EncodedAuthorizationMessage = redact.Apply(error?.EncodedAuthorizationMessage),
            Details = redact.Apply(error?.Details),
        };
    }

    /// <summary>The start of a body, secrets masked first (so a cut can never leave part of one), then cut to 200 characters on one line.</summary>
    internal static string Snippet(ReadOnlySpan<byte> body, Redactor.Scope redact)
    {
        if (body.Length == 0)
        {
            return "(empty body)";
        }

        string text = redact.Apply(Encoding.UTF8.GetString(body.Slice(0, Math.Min(body.Length, RequestOptions.MaxErrorBodyBytes)).ToArray()))!;
        text = text.Replace("\r", " ").Replace("\n", " ").Trim();
        return text.Length > 200 ? text.Substring(0, 200) + "…" : text;
    }

    /// <summary>Whether a body is complete, well-formed JSON (of whatever shape).</summary>
    internal static bool IsWellFormedJson(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 65536 });
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Sentence(string text) => MetaStudioServiceException.Sentence(text);

    private static string? RequestIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Request-Id", out var values) ? values.FirstOrDefault() : null;

    private static KeyValuePair<string, string> Header(string name, string value, Redactor.Scope redact) =>
        new(redact.Apply(name)!, Redactor.IsSensitiveHeader(name) ? Redactor.Mask : redact.Apply(value)!);

    private static IReadOnlyList<string> WithSignature(IReadOnlyList<string> secrets, HttpRequestMessage request)
    {
        string? authorization = request.Headers.Authorization?.Parameter;
        int at = authorization?.IndexOf("Signature=", StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return secrets;
        }

        string signature = authorization!.Substring(at + "Signature=".Length).Split(',')[0].Trim();
        return signature.Length == 0 ? secrets : secrets.Concat(new[] { signature }).ToList();
    }

    /// <summary>No request byte can have reached a service: the connection was refused, the name did not resolve, or TLS failed.</summary>
    private static bool IsUnreached(Exception e)
    {
        for (Exception? inner = e; inner != null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }

            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData or
                    SocketError.TryAgain or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or
                    SocketError.AddressNotAvailable;
            }
        }

        return false;
    }

    /// <summary>
    /// What went wrong on the network, naming the endpoint and how far the request got: "could not connect
    /// to https://host:port (Connection refused)" only when nothing can have reached it.
    /// </summary>
    private static string NetworkFailure(Uri endpoint, Exception e, bool unreached, bool answered, Redactor.Scope redact)
    {
        string where = endpoint.GetLeftPart(UriPartial.Authority);
        string why = redact.Apply(Innermost(e).Message) ?? e.GetType().Name;
        if (IsTlsFailure(e))
        {
            return $"the TLS handshake with {where} failed ({why}); check that the endpoint speaks https and that its certificate is trusted (a plain-http service given an https endpoint fails this way)";
        }

        return unreached ? $"could not connect to {where} ({why})"
            : answered ? $"the connection to {where} failed while the answer was being read ({why})"
            : $"the connection to {where} failed before an answer came ({why})";
    }

    /// <summary>HttpClient refused the response for one of its own limits (headers too long): the same answer fails the same way.</summary>
    private static bool IsLimitExceeded(Exception? e)
    {
        for (; e != null; e = e.InnerException)
        {
            if (e is HttpRequestException && e.GetType().GetProperty("HttpRequestError")?.GetValue(e)?.ToString() == "ConfigurationLimitExceeded")
            {
                return true;
            }
        }

        return false;
    }

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

    private sealed class Outcome<T>
    {
        public Outcome(RequestTrace trace) => Trace = trace;

        public RequestTrace Trace { get; }

        public T? Result { get; set; }

        public MetaStudioServiceException? Failure { get; set; }

        public Uri? Endpoint { get; set; }

        /// <summary>No byte reached the endpoint: another endpoint, or another attempt, is safe even for a write.</summary>
        public bool Unreached { get; set; }

        /// <summary>The request may have reached the service, with no answer seen (a reset or timeout after sending).</summary>
        public bool MayHaveArrived { get; set; }

        /// <summary>The body was well-formed JSON of the wrong shape: the same request would fail the same way.</summary>
        public bool Deterministic { get; set; }

        public TimeSpan? RetryAfter { get; set; }

        public DateTimeOffset? ServiceClock { get; set; }

        public DateTimeOffset LocalClock { get; set; }
    }
}
