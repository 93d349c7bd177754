using System.Diagnostics;
using Sockit.Server.Exec.Internal;

namespace Sockit.Server.Tests.Exec;

public sealed class ChildReaperTests : IDisposable
{
    private const int Children = 48;

    // A safety net only: every test waits for the children's exits, which come far sooner.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(20));

    public void Dispose() => _timeout.Dispose();

    [LinuxFact]
    public async Task Many_children_ending_at_once_each_get_their_own_exit_code()
    {
        // Every child waits for end of file on its stdin, so closing them all in one go ends them together.
        var children = Enumerable.Range(0, Children)
            .Select(i => SpawnedProcess.Start(new SpawnOptions { FileName = "/bin/sh", Arguments = ["-c", $"read x; exit {i}"] }))
            .ToList();
        try
        {
            children.ForEach(c => c.StandardInput!.Dispose());
            var exits = await Task.WhenAll(children.Select(c => c.WaitForExitAsync(_timeout.Token)));

            Assert.Equal(Enumerable.Range(0, Children).Select(i => (int?)i), exits.Select(e => e.ExitCode));
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }
    }

    [LinuxFact]
    public async Task A_child_that_has_exited_before_it_is_watched_is_still_reaped()
    {
        using var child = SpawnedProcess.Start(new SpawnOptions { FileName = "/bin/true" });

        var exit = await child.WaitForExitAsync(_timeout.Token);

        Assert.Equal(0, exit.ExitCode);
        Assert.False(File.Exists($"/proc/{child.Pid}/stat"), "the child was left a zombie");
    }

    [LinuxFact]
    public async Task Silent_children_do_not_hold_a_thread_each()
    {
        using var self = Process.GetCurrentProcess();
        int before = self.Threads.Count;
        var children = Enumerable.Range(0, Children)
            .Select(_ => SpawnedProcess.Start(new SpawnOptions { FileName = "sleep", Arguments = ["30"] }))
            .ToList();
        try
        {
            self.Refresh();
            // Other tests of this assembly run meanwhile and the thread pool may grow; a thread per child would add 48.
            Assert.True(self.Threads.Count - before < Children / 2, $"{self.Threads.Count - before} more threads for {Children} children");
        }
        finally
        {
            children.ForEach(c => c.Dispose());
            await Task.WhenAll(children.Select(c => c.WaitForExitAsync(_timeout.Token)));
        }
    }
}
