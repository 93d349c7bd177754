namespace Sockit.Server.Sessions;

/// <summary>
/// The per-connection state of each capability, one object per type: login state belongs to auth, a working folder
/// to files. A capability keeps its state type internal, so no other one can touch it.
/// </summary>
/// <remarks>
/// Safe to use from several requests of the same connection at once.
/// </remarks>
public sealed class SessionFeatures
{
    private readonly Lock _lock = new();
    private Dictionary<Type, object>? _features;

    /// <summary>The state of type <typeparamref name="T"/>, or <see langword="null"/> when none was set.</summary>
    public T? Get<T>()
        where T : class
    {
        lock (_lock)
        {
            return _features is not null && _features.TryGetValue(typeof(T), out var value) ? (T)value : null;
        }
    }

    /// <summary>Sets (or replaces) the state of type <typeparamref name="T"/>.</summary>
    public void Set<T>(T value)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            (_features ??= [])[typeof(T)] = value;
        }
    }

    /// <summary>The state of type <typeparamref name="T"/>, created by <paramref name="create"/> the first time.</summary>
    public T GetOrAdd<T>(Func<T> create)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (_lock)
        {
            _features ??= [];
            if (!_features.TryGetValue(typeof(T), out var value))
            {
                value = create();
                _features[typeof(T)] = value;
            }

            return (T)value;
        }
    }
}
