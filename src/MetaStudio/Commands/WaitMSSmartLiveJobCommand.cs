using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MetaStudio.Client.Models;
using MetaStudio.Client.SmartLive;
using MetaStudio.Completers;

namespace MetaStudio.Commands;

/// <summary>
/// <para type="synopsis">Waits until smart live jobs reach a state (by default, until they have ended), polling many jobs together.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "MSSmartLiveJob")]
[OutputType(typeof(SmartLiveJob))]
public sealed class WaitMSSmartLiveJobCommand : ServiceCmdlet
{
    private readonly List<(string RoomId, string JobId)> jobs = new();

    /// <summary>The room of the job. Takes the RoomId of piped jobs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RoomIdCompleter))]
    public string RoomId { get; set; } = null!;

    /// <summary>The job to wait for. Takes the JobId of piped jobs (and of Start-MSSmartLiveJob's output).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string JobId { get; set; } = null!;

    /// <summary>The states to wait for; by default any ended state: SUCCEED, FAILED, BLOCKED.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StateCompleter))]
    public string[] State { get; set; } = JobWaiter.EndedStates.ToArray();

    /// <summary>Seconds between two looks at the jobs, 1–3600 (default 5).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int PollIntervalSec { get; set; } = 5;

    /// <summary>Seconds to wait in all, 1–604800 (default 600); jobs not there by then are errors.</summary>
    [Parameter]
    [ValidateRange(1, 604800)]
    public int TimeoutSec { get; set; } = 600;

    /// <summary>Retries after a failed request (default: the connection's, 3).</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int MaxRetry { get; set; }

    protected override void BeginProcessing()
    {
        foreach (string state in State)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(state, "^[A-Za-z][A-Za-z_]{0,63}$"))
            {
                throw Terminate(new ArgumentException($"-State '{MetaStudio.Client.Text.ConsoleText.Shorten(state, 64)}' is not a job state: use {string.Join(", ", SmartLiveJobQuery.KnownStates)}.", nameof(State)), "InvalidState");
            }
        }

        // Open, as the service adds states; but a misspelt one would be waited for in silence until -TimeoutSec.
        foreach (string unknown in State.Select(s => s.ToUpperInvariant()).Distinct().Where(s => !SmartLiveJobQuery.KnownStates.Contains(s)))
        {
            WriteWarning($"State '{unknown}' is not one of the documented job states ({string.Join(", ", SmartLiveJobQuery.KnownStates)}); jobs are waited for until they report it, end otherwise, or -TimeoutSec passes.");
        }

        Connect(MyInvocation.BoundParameters.ContainsKey(nameof(MaxRetry)) ? MaxRetry : null);
    }

    protected override void ProcessRecord()
    {
        if (!IsUsableJob(RoomId, JobId))
        {
            return;
        }

        jobs.Add((RoomId, JobId)); // waited for together, once all are in
    }

    protected override void EndProcessing()
    {
        try
        {
            JobWaiting.Run(this, Client, jobs, State.Select(s => s.ToUpperInvariant()).Distinct().ToList(), TimeSpan.FromSeconds(PollIntervalSec), TimeSpan.FromSeconds(TimeoutSec),
                writeReached: true, endedIsError: true, Cancellation);
        }
        catch (Exception e) when (IsStop(e))
        {
            // Ctrl+C: not an error.
        }
    }
}
