namespace Sockit.Server.Exec.Internal;

/// <summary>
/// How a child ended: either it exited with a code, or a signal terminated it. Both are kept apart because a
/// shell's <c>128 + n</c> convention would make <c>exit 143</c> indistinguishable from death by SIGTERM.
/// </summary>
/// <param name="ExitCode">The code passed to <c>exit</c> (0–255), or <see langword="null"/> when a signal ended the child.</param>
/// <param name="Signal">The terminating signal's number, or <see langword="null"/> when the child exited.</param>
/// <param name="CoreDumped">Whether the kernel wrote a core dump for the terminating signal.</param>
internal sealed record ChildExit(int? ExitCode, int? Signal, bool CoreDumped)
{
    /// <summary>Decodes a <c>waitpid</c> status word as glibc's <c>WIFEXITED</c>/<c>WTERMSIG</c> macros do.</summary>
    public static ChildExit FromWaitStatus(int status)
    {
        int signal = status & 0x7f;
        return signal == 0
            ? new ChildExit((status >> 8) & 0xff, null, false)
            : new ChildExit(null, signal, (status & 0x80) != 0);
    }
}
