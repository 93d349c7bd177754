namespace Sockit.LoadTest.Children;

/// <summary>A server child's memory at one moment.</summary>
/// <param name="RssBytes">Resident set size from <c>/proc/PID/status</c> (every target has one).</param>
/// <param name="ManagedBytes">Live managed bytes after a full collection; -1 for the Python server.</param>
public sealed record ServerStats(long RssBytes, long ManagedBytes);
