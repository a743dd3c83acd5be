using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using MetaStudio.Client.Connection;

namespace MetaStudio;

/// <summary>What every MetaStudio cmdlet shares: finding the connection and reporting configuration errors.</summary>
public abstract class MetaStudioCmdlet : PSCmdlet
{
    /// <summary>
    /// The context to use: this runspace's Connect-MSAccount context, else the environment, else the
    /// profile file. Stops the cmdlet with a clear error when none of them gives a usable connection.
    /// </summary>
    protected MetaStudioContext ResolveContext()
    {
        try
        {
            return CurrentOrAmbientContext();
        }
        catch (MetaStudioConfigurationException e)
        {
            ThrowConfigurationError(e);
            throw; // not reached: ThrowTerminatingError throws
        }
    }

    /// <summary>
    /// This runspace's Connect-MSAccount context, else the environment's or the profile file's (writing
    /// what the resolver warns about, such as a profile file others may read).
    /// </summary>
    /// <exception cref="MetaStudioConfigurationException">No usable connection.</exception>
    protected MetaStudioContext CurrentOrAmbientContext()
    {
        if (SessionContext.Current is { } current)
        {
            return current;
        }

        var resolver = ContextResolver.FromProcess();
        var context = resolver.ResolveAmbient();
        foreach (string warning in resolver.Warnings)
        {
            WriteWarning(warning);
        }

        return context;
    }

    /// <summary>Stops the cmdlet with an ErrorRecord whose id, category and target say what to fix.</summary>
    protected void ThrowConfigurationError(MetaStudioConfigurationException e) => ThrowTerminatingError(ConfigurationErrorRecord(e));

    /// <summary>The ErrorRecord of a configuration problem: id MetaStudio.&lt;ErrorId&gt;, target the parameter to fix.</summary>
    protected static ErrorRecord ConfigurationErrorRecord(MetaStudioConfigurationException e)
    {
        var category = e.IsCredentialProblem ? ErrorCategory.AuthenticationError : ErrorCategory.InvalidArgument;
        return new ErrorRecord(e, "MetaStudio." + e.ErrorId, category, e.ParameterName);
    }

    /// <summary>Stops the cmdlet with an input error naming the parameter.</summary>
    protected PipelineStoppedException Terminate(ArgumentException e, string errorId)
    {
        ThrowTerminatingError(new ErrorRecord(e, errorId, ErrorCategory.InvalidArgument, e.ParamName));
        return new PipelineStoppedException(); // not reached
    }

    /// <summary>The text of a SecureString parameter (needed to sign; kept only in non-public members).</summary>
    protected static string? PlainText(SecureString? value)
    {
        if (value is null)
        {
            return null;
        }

        IntPtr ptr = IntPtr.Zero;
        try
        {
            ptr = Marshal.SecureStringToGlobalAllocUnicode(value);
            return Marshal.PtrToStringUni(ptr);
        }
        finally
        {
            if (ptr != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
