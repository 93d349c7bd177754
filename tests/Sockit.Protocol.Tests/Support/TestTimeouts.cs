namespace Sockit.Protocol.Tests.Support;

/// <summary>Bounds that turn a hang into a failure; none of them is waited for when the code works.</summary>
internal static class TestTimeouts
{
    /// <summary>Longest any single awaited operation may take before the test gives up on it.</summary>
    public static TimeSpan Hang { get; } = TimeSpan.FromSeconds(10);
}
