namespace Sockit.Protocol.Tests.Support;

/// <summary>
/// Bounds awaited operations by <see cref="TestTimeouts.Hang"/>, so that a reader that waits for bytes that
/// never come fails its test instead of hanging the whole run.
/// </summary>
internal static class TaskBounds
{
    public static Task Bounded(this Task task) => task.WaitAsync(TestTimeouts.Hang);

    public static Task<T> Bounded<T>(this Task<T> task) => task.WaitAsync(TestTimeouts.Hang);

    public static Task Bounded(this ValueTask task) => task.AsTask().WaitAsync(TestTimeouts.Hang);

    public static Task<T> Bounded<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(TestTimeouts.Hang);
}
