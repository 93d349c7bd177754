using System.Collections;
using System.Globalization;

namespace Sockit.Server.Hosting.Connections;

/// <summary>The logging scope of one connection: its id and remote address on every line logged while serving it.</summary>
internal sealed class ConnectionScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly string _connectionId;
    private readonly string _remote;

    public ConnectionScope(string connectionId, string remote)
    {
        _connectionId = connectionId;
        _remote = remote;
    }

    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("ConnectionId", _connectionId),
        1 => new("RemoteAddress", _remote),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"connection {_connectionId} from {_remote}");
}
