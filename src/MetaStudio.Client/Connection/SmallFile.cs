using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace MetaStudio.Client.Connection;

/// <summary>
/// Reads the small settings files (the credentials profile, regions.yaml) without trusting them: at
/// most <see cref="MaxBytes"/>, never a directory, and never by opening a file that reports no size
/// (a FIFO or a device such as /dev/zero reports 0 bytes: opening a FIFO blocks until a writer comes,
/// and a device can stream for ever), so a hostile path can neither hang nor exhaust memory.
/// </summary>
internal static class SmallFile
{
    /// <summary>The largest settings file read: 64 KiB, far above any real profile or regions file.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly PropertyInfo? UnixFileModeProperty = typeof(FileSystemInfo).GetProperty("UnixFileMode");
    private static readonly MethodInfo? ResolveLinkTargetMethod = typeof(FileSystemInfo).GetMethod("ResolveLinkTarget", new[] { typeof(bool) });

    /// <summary>The file's text; empty when the file reports no size (empty, or not a regular file).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">A directory, too large, or unreadable (the message says which).</exception>
    public static string Read(string path) => Read(path, MaxBytes, "settings files");

    /// <summary>The file's text, read under the same rules with another limit; <paramref name="kind"/> names such files in the too-large message.</summary>
    public static string Read(string path, int maxBytes, string kind)
    {
        if (Directory.Exists(path))
        {
            throw new IOException("it is a directory");
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException("it does not exist", path);
        }

        // A symbolic link's own size says nothing of its target (a FIFO, /dev/zero): check the final target.
        if (FinalTarget(info) is { } target)
        {
            if (Directory.Exists(target.FullName))
            {
                throw new IOException("it links to a directory");
            }

            if (!target.Exists)
            {
                throw new IOException($"it links to {Text.ConsoleText.Shorten(target.FullName, 200)}, which is not a regular file");
            }

            info = target;
        }

        if (info.Length == 0)
        {
            return string.Empty; // empty, a FIFO or a device: nothing to read, and not opened
        }

        if (info.Length > maxBytes)
        {
            throw new IOException($"it is {info.Length:N0} bytes; {kind} are read up to {maxBytes / 1024} KiB");
        }

        var buffer = new byte[maxBytes + 1];
        int total = 0;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.None))
        {
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }
        }

        if (total > maxBytes)
        {
            throw new IOException($"it grew beyond {maxBytes / 1024} KiB while being read");
        }

        var text = new UTF8Encoding(false, false).GetString(buffer, 0, total);
        return text.Length > 0 && text[0] == '\uFEFF' ? text.Substring(1) : text;
    }

    /// <summary>The final target of a symbolic link (.NET 6+), or null for a plain file or where links cannot be resolved.</summary>
    private static FileInfo? FinalTarget(FileInfo info)
    {
        if (ResolveLinkTargetMethod is null)
        {
            return null;
        }

        try
        {
            return ResolveLinkTargetMethod.Invoke(info, new object[] { true }) is FileSystemInfo target ? new FileInfo(target.FullName) : null;
        }
        catch (TargetInvocationException e) when (e.InnerException is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"its link cannot be followed ({e.InnerException.Message})", e.InnerException);
        }
    }

    /// <summary>
    /// On Unix, the file's mode when its group or others may read or write it (as ssh checks a key), else null.
    /// Needs .NET 7's UnixFileMode; elsewhere (Windows PowerShell) there is nothing to check.
    /// </summary>
    public static string? LooseUnixMode(string path)
    {
        if (UnixFileModeProperty is null || RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return null;
        }

        try
        {
            int mode = Convert.ToInt32(UnixFileModeProperty.GetValue(new FileInfo(path)), System.Globalization.CultureInfo.InvariantCulture);
            const int GroupOrOtherReadWrite = 0x20 | 0x10 | 0x04 | 0x02; // GroupRead, GroupWrite, OtherRead, OtherWrite
            return (mode & GroupOrOtherReadWrite) != 0 ? Convert.ToString(mode & 0x1FF, 8).PadLeft(4, '0') : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TargetInvocationException)
        {
            return null;
        }
    }
}
