using System.Collections.Frozen;
using Sockit.Protocol.Text;

using Sockit.Protocol.Framing;

namespace Sockit.Server.Sessions.Internal;

/// <summary>The operations this server offers, by name.</summary>
internal sealed class OperationRegistry
{
    private readonly FrozenDictionary<string, ISockitOperation> _operations;

    /// <summary>
    /// Indexes <paramref name="operations"/>; two with the same name, or a name the frame parser would escape or cut
    /// (it does that to names it does not know), are a configuration error.
    /// </summary>
    public OperationRegistry(IEnumerable<ISockitOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var byName = new Dictionary<string, ISockitOperation>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            if (UntrustedText.Escape(operation.Name) != operation.Name)
            {
                throw new InvalidOperationException(
                    $"the operation name '{UntrustedText.Escape(operation.Name)}' must be printable and at most {UntrustedText.MaxQuotedLength} characters");
            }

            if (!byName.TryAdd(operation.Name, operation))
            {
                throw new InvalidOperationException($"two operations are registered as '{operation.Name}'");
            }
        }

        _operations = byName.ToFrozenDictionary(StringComparer.Ordinal);
        Names = [.. _operations.Keys.Order(StringComparer.Ordinal)];
        FrameNames = new FrameNames(Names);
    }

    /// <summary>The names for the frame parser, so a request's <c>op</c> allocates nothing.</summary>
    public FrameNames FrameNames { get; }

    /// <summary>The operation names, sorted, as the hello lists them.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Finds the operation named <paramref name="name"/>.</summary>
    public bool TryGet(string name, out ISockitOperation operation) =>
        _operations.TryGetValue(name, out operation!);
}
