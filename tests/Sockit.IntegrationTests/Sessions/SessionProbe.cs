using System.Collections.Concurrent;
using Sockit.Server.Sessions;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>
/// What a test and its <see cref="TestStreamOperation"/> share: gates the test opens to let the operation go on, and
/// signals the operation gives when it starts and ends, so tests control timing without sleeping.
/// </summary>
internal sealed class SessionProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<AbortReason>> _ended = new();
    private readonly ConcurrentQueue<string> _events = new();

    /// <summary>What the operations did, in order: <c>start:tag</c>, <c>input:tag:n</c>, <c>end:tag</c>.</summary>
    public IReadOnlyList<string> Events => [.. _events];

    /// <summary>Lets the operation past gate <paramref name="name"/>.</summary>
    public void Open(string name) => Gate(name).TrySetResult();

    /// <summary>Completes when the request tagged <paramref name="tag"/> has started.</summary>
    public Task WhenStarted(string tag) => Signal(_started, tag).Task.WaitAsync(Patience);

    /// <summary>Completes, with the request's abort reason, when the request tagged <paramref name="tag"/> has ended.</summary>
    public Task<AbortReason> WhenEnded(string tag) => Signal(_ended, tag).Task.WaitAsync(Patience);

    /// <summary>Whether the request tagged <paramref name="tag"/> has started.</summary>
    public bool HasStarted(string tag) => Signal(_started, tag).Task.IsCompleted;

    internal Task WaitAsync(string name, CancellationToken aborted) => Gate(name).Task.WaitAsync(aborted);

    internal void OnStarted(string tag)
    {
        _events.Enqueue($"start:{tag}");
        Signal(_started, tag).TrySetResult();
    }

    internal void OnInput(string tag, int count) => _events.Enqueue($"input:{tag}:{count}");

    internal void OnEnded(string tag, AbortReason reason)
    {
        _events.Enqueue($"end:{tag}");
        Signal(_ended, tag).TrySetResult(reason);
    }

    private TaskCompletionSource Gate(string name) => Signal(_gates, name);

    // Continuations run asynchronously: a test must not go on running on the server's thread.
    private static TaskCompletionSource Signal(ConcurrentDictionary<string, TaskCompletionSource> signals, string key) =>
        signals.GetOrAdd(key, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private static TaskCompletionSource<AbortReason> Signal(ConcurrentDictionary<string, TaskCompletionSource<AbortReason>> signals, string key) =>
        signals.GetOrAdd(key, static _ => new TaskCompletionSource<AbortReason>(TaskCreationOptions.RunContinuationsAsynchronously));
}
