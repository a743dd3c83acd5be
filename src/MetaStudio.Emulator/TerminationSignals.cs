using System;
using System.Runtime.InteropServices;

namespace MetaStudio.Emulator;

/// <summary>
/// A shell that starts a program in the background without job control (a script's <c>emulator &amp;</c>,
/// many CI runners) starts it with SIGINT and SIGQUIT ignored, and .NET respects an inherited
/// "ignore": a <see cref="PosixSignalRegistration"/> for them then never fires, so <c>kill -INT</c>
/// would do nothing. The emulator is a server that must always be stoppable, so it puts the default
/// disposition back before .NET installs its handlers.
/// </summary>
internal static class TerminationSignals
{
    private const int SigInt = 2;
    private const int SigQuit = 3; // the same numbers on Linux, macOS and FreeBSD
    private static readonly IntPtr SigDfl = IntPtr.Zero;
    private static readonly IntPtr SigIgn = new(1);

    /// <summary>
    /// Call first in Main: before anything (Console, Process, PosixSignalRegistration) makes .NET
    /// install its signal handlers, which look at the disposition only once.
    /// </summary>
    public static void RestoreInheritedIgnore()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()))
        {
            return;
        }

        try
        {
            foreach (int signal in new[] { SigInt, SigQuit })
            {
                // Every platform's struct sigaction fits in 512 bytes and starts with the handler.
                var current = new byte[512];
                if (sigaction(signal, IntPtr.Zero, current) == 0 && MemoryMarshal.Read<IntPtr>(current) == SigIgn)
                {
                    Signal(signal, SigDfl);
                }
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc to ask: the signals keep the disposition they came with.
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int sigaction(int signum, IntPtr act, byte[] oldact);

    [DllImport("libc", EntryPoint = "signal", SetLastError = true)]
    private static extern IntPtr Signal(int signum, IntPtr handler);
}
