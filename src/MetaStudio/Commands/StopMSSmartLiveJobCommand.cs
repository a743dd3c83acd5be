using System;
using System.Management.Automation;
using MetaStudio.Client.Errors;
using MetaStudio.Client.Models;
using MetaStudio.Client.SmartLive;
using MetaStudio.Client.Text;
using MetaStudio.Completers;

namespace MetaStudio.Commands;

/// <summary>
/// <para type="synopsis">Stops a smart live job (StopSmartLive); with -Wait, waits until it has ended.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "MSSmartLiveJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SmartLiveJob))]
public sealed class StopMSSmartLiveJobCommand : ServiceCmdlet
{
    /// <summary>The room of the job. Takes the RoomId of piped jobs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RoomIdCompleter))]
    public string RoomId { get; set; } = null!;

    /// <summary>The job to stop. Takes the JobId of piped jobs.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string JobId { get; set; } = null!;

    /// <summary>Stops without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes the job as it stands after the stop (with -Wait, once it has ended).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Waits until the job has ended (SUCCEED, FAILED or BLOCKED).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Retries after a failed attempt, only for what surely never reached the service (default: the connection's, 3).</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int MaxRetry { get; set; }

    /// <summary>Seconds allowed for each attempt (default: the connection's, 30).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; }

    protected override void BeginProcessing()
    {
        ConnectWithCallOptions();
    }

    protected override void ProcessRecord()
    {
        if (!IsUsableJob(RoomId, JobId))
        {
            return;
        }

        string target = $"job {ConsoleText.Shorten(JobId, 64)} in room {ConsoleText.Shorten(RoomId, 64)}";
        if (!(Force && !WhatIfRequested) && !ShouldProcess(target, "Stop the live"))
        {
            return;
        }

        try
        {
            Await(Client.StopAsync(RoomId, JobId, Cancellation));
            if (Wait)
            {
                JobWaiting.Run(this, Client, new[] { (RoomId, JobId) }, JobWaiter.EndedStates, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10),
                    writeReached: PassThru, endedIsError: false, Cancellation);
            }
            else if (PassThru)
            {
                WriteObject(Await(Client.ShowAsync(RoomId, JobId, Cancellation)));
            }
        }
        catch (MetaStudioServiceException e)
        {
            WriteServiceError(e, $"{RoomId}/{JobId}", RoomId, JobId);
        }
        catch (Exception e) when (IsStop(e))
        {
        }
    }

    /// <summary>-WhatIf, or $WhatIfPreference: -Force never skips a what-if.</summary>
    private bool WhatIfRequested =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) ? ((SwitchParameter)whatIf).IsPresent
            : SessionState.PSVariable.GetValue("WhatIfPreference") is { } preference && LanguagePrimitives.IsTrue(preference);
}
