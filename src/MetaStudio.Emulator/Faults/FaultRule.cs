using System;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;

namespace MetaStudio.Emulator.Faults;

/// <summary>What a fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>Answer with the status in Argument (MSS-style JSON body; 429 uses the gateway's APIGW.0308).</summary>
    Status,

    /// <summary>429 with <c>Retry-After: Argument</c> seconds.</summary>
    RetryAfter,

    /// <summary>429 with <c>Retry-After</c> as an HTTP date Argument seconds ahead.</summary>
    RetryAfterDate,

    /// <summary>Abort the connection before any response.</summary>
    Reset,

    /// <summary>Send the status line, headers and half the body, then abort the connection.</summary>
    ResetMidBody,

    /// <summary>A 200 whose JSON body ends half way (the response itself completes normally).</summary>
    Truncate,

    /// <summary>A 200 whose body is syntactically broken JSON.</summary>
    Malformed,

    /// <summary>An HTML error page (as a proxy would send) with the status in Argument.</summary>
    Html,

    /// <summary>Wait Argument milliseconds before answering (past a client's timeout).</summary>
    Stall,

    /// <summary>Send the body in 64-byte pieces, Argument milliseconds apart.</summary>
    Trickle,

    /// <summary>Insert Argument new jobs at the front of the room before answering (the list shifts between pages).</summary>
    Shift,

    /// <summary>Answer every page as if offset were 0 (a service that ignores offset).</summary>
    IgnoreOffset,

    /// <summary>Report Argument as the page's count, whatever the real one.</summary>
    Count,

    /// <summary>Report a count of 2^40 (beyond any 32-bit integer).</summary>
    CountHuge,

    /// <summary>Report the real count as a JSON string ("250").</summary>
    CountString,

    /// <summary>A 200 whose JSON holds Argument MiB of white space, sent without a length.</summary>
    Huge,

    /// <summary>A 200 that never ends: white space, until the client goes away.</summary>
    Endless,

    /// <summary>A gzip-encoded 200 of about 1 MiB that expands to Argument MiB of white space.</summary>
    GzipBomb,

    /// <summary>A redirect with the status in Argument (default 302) to another host.</summary>
    Redirect,

    /// <summary>A 200 whose body is valid JSON of the wrong shape (an array).</summary>
    WrongShape,

    /// <summary>
    /// A 401 that echoes the request's security token or IAM token in every form a careless gateway
    /// might: in other headers, lower-cased, URL-encoded, cut in half, and past the first 200 characters.
    /// </summary>
    EchoSecrets,

    /// <summary>Handle the request (a StartSmartLive creates its job, a StopSmartLive stops it), then abort the connection with no response.</summary>
    ResetAfter,

    /// <summary>Handle the request (the job is created or stopped), then answer with the status in Argument (default 500) instead of the result.</summary>
    StatusAfter,

    /// <summary>Handle the request (the job is created or stopped), then wait Argument milliseconds before answering (past a client's timeout).</summary>
    StallAfter,

    /// <summary>
    /// A command (ExecuteSmartLiveCommand) is handled, then answered with a hostile result: terminal escape
    /// sequences, JSON that breaks off, and Argument KiB of text (default 64).
    /// </summary>
    HostileResult,

    /// <summary>The next job StartSmartLive creates turns FAILED (error_info MSS.42000007 "Infer Error") when it leaves WAITING, instead of PROCESSING.</summary>
    JobFail,

    /// <summary>The next job StartSmartLive creates turns BLOCKED (with a block_reason) when it leaves WAITING, instead of PROCESSING.</summary>
    JobBlock,

    /// <summary>The next job StartSmartLive creates turns PROCESSING, then FAILED Argument milliseconds later.</summary>
    JobFailLater,

    /// <summary>The next job StartSmartLive creates turns PROCESSING, then BLOCKED Argument milliseconds later.</summary>
    JobBlockLater,
}

/// <summary>
/// One fault injection rule: applies to the next <see cref="Count"/> requests whose target (path and
/// query, as sent) contains <see cref="PathContains"/>, after skipping <see cref="Skip"/> of them.
/// Text form: <c>KIND[:ARG][xCOUNT][+SKIP][@PATH-TEXT]</c>, e.g. <c>status:503x2</c>,
/// <c>retry-after:1</c>, <c>reset+1</c>, <c>stall:40000@/smart-live-jobs</c>, <c>shift:5x1+1</c>.
/// Job faults (<see cref="IsJobFault"/>) are not matched when a request arrives but when StartSmartLive
/// creates a job: their count and skip count jobs, and TEXT is matched against the start request's target.
/// </summary>
public sealed class FaultRule
{
    private static readonly Regex Syntax = new(
        @"^(?<kind>[a-z-]+)(:(?<arg>\d+))?(x(?<count>\d+))?(\+(?<skip>\d+))?(@(?<path>.+))?$",
        RegexOptions.CultureInvariant);

    private int remaining;
    private int toSkip;

    public FaultRule(FaultKind kind, int argument = 0, int count = 1, int skip = 0, string? pathContains = null)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "A fault applies to at least one request.");
        }

        Kind = kind;
        Argument = argument;
        Count = count;
        Skip = skip;
        PathContains = pathContains;
        remaining = count;
        toSkip = skip;
    }

    public FaultKind Kind { get; }

    public int Argument { get; }

    public int Count { get; }

    public int Skip { get; }

    public string? PathContains { get; }

    /// <summary>A fault on the life of a started job, claimed when StartSmartLive creates the job rather than when a request arrives.</summary>
    public bool IsJobFault => Kind is FaultKind.JobFail or FaultKind.JobBlock or FaultKind.JobFailLater or FaultKind.JobBlockLater;

    /// <summary>A fault applied after the request was handled (the job exists, or was stopped), to its response.</summary>
    public bool IsAfterHandling => Kind is FaultKind.ResetAfter or FaultKind.StatusAfter or FaultKind.StallAfter;

    /// <summary>How many requests this rule has hit so far.</summary>
    public int Applied => Count - Math.Max(0, Volatile.Read(ref remaining));

    public bool Exhausted => Volatile.Read(ref remaining) <= 0;

    public static FaultRule Parse(string text)
    {
        var m = Syntax.Match(text.Trim());
        if (!m.Success)
        {
            throw new FormatException($"Fault '{text}' is not KIND[:ARG][xCOUNT][+SKIP][@PATH-TEXT], e.g. status:503x2.");
        }

        var kind = m.Groups["kind"].Value switch
        {
            "status" => FaultKind.Status,
            "retry-after" => FaultKind.RetryAfter,
            "retry-after-date" => FaultKind.RetryAfterDate,
            "reset" => FaultKind.Reset,
            "reset-mid-body" => FaultKind.ResetMidBody,
            "truncate" => FaultKind.Truncate,
            "malformed" => FaultKind.Malformed,
            "html" => FaultKind.Html,
            "stall" => FaultKind.Stall,
            "trickle" => FaultKind.Trickle,
            "shift" => FaultKind.Shift,
            "ignore-offset" => FaultKind.IgnoreOffset,
            "count" => FaultKind.Count,
            "count-huge" => FaultKind.CountHuge,
            "count-string" => FaultKind.CountString,
            "huge" => FaultKind.Huge,
            "endless" => FaultKind.Endless,
            "gzip-bomb" => FaultKind.GzipBomb,
            "redirect" => FaultKind.Redirect,
            "wrong-shape" => FaultKind.WrongShape,
            "echo-secrets" => FaultKind.EchoSecrets,
            "reset-after" => FaultKind.ResetAfter,
            "status-after" => FaultKind.StatusAfter,
            "stall-after" => FaultKind.StallAfter,
            "job-fail" => FaultKind.JobFail,
            "job-block" => FaultKind.JobBlock,
            "job-fail-later" => FaultKind.JobFailLater,
            "job-block-later" => FaultKind.JobBlockLater,
            "hostile-result" => FaultKind.HostileResult,
            var other => throw new FormatException($"Unknown fault kind '{other}': use status, retry-after, retry-after-date, reset, reset-mid-body, truncate, malformed, html, stall, trickle, shift, ignore-offset, count, count-huge, count-string, huge, endless, gzip-bomb, redirect, wrong-shape, echo-secrets, reset-after, status-after, stall-after, job-fail, job-block, job-fail-later, job-block-later or hostile-result."),
        };

        int Int(string group, int fallback) => m.Groups[group].Success ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : fallback;
        int argument = Int("arg", kind switch
        {
            FaultKind.Status or FaultKind.StatusAfter => 500,
            FaultKind.Html => 502,
            FaultKind.StallAfter => 60_000,
            FaultKind.JobFailLater or FaultKind.JobBlockLater => 5_000,
            FaultKind.RetryAfter or FaultKind.RetryAfterDate => 1,
            FaultKind.Stall => 60_000,
            FaultKind.Trickle => 50,
            FaultKind.Shift => 1,
            FaultKind.Huge or FaultKind.HostileResult => 64,
            FaultKind.GzipBomb => 1024,
            FaultKind.Redirect => 302,
            _ => 0,
        });
        if (kind is FaultKind.Status or FaultKind.StatusAfter or FaultKind.Html && (argument < 400 || argument > 599))
        {
            throw new FormatException($"Fault '{text}': the status must be from 400 to 599.");
        }

        if (kind is FaultKind.Redirect && (argument < 300 || argument > 399))
        {
            throw new FormatException($"Fault '{text}': the status must be from 300 to 399.");
        }

        return new FaultRule(kind, argument, Int("count", 1), Int("skip", 0), m.Groups["path"].Success ? m.Groups["path"].Value : null);
    }

    /// <summary>Claims this request for the rule if it matches and has uses left (thread-safe).</summary>
    internal bool TryClaim(string target)
    {
        if (PathContains != null && !target.Contains(PathContains, StringComparison.Ordinal))
        {
            return false;
        }

        if (Volatile.Read(ref remaining) <= 0)
        {
            return false;
        }

        if (Interlocked.Decrement(ref toSkip) >= 0)
        {
            return false;
        }

        return Interlocked.Decrement(ref remaining) >= 0;
    }

    public override string ToString() =>
        $"{Kind}:{Argument}x{Count}" + (Skip > 0 ? $"+{Skip}" : "") + (PathContains is null ? "" : "@" + PathContains);
}
