namespace Sockit.Client.Tests.Fakes;

/// <summary>A generous bound on every wait in a test, so a bug fails the test instead of hanging the run.</summary>
public static class TestTimeout
{
    public static readonly TimeSpan Value = TimeSpan.FromSeconds(10);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Value);

    public static Task Within(this Task task) => task.WaitAsync(Value);
}
