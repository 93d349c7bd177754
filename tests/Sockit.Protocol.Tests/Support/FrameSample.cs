using System.Text;

namespace Sockit.Protocol.Tests.Support;

/// <summary>A hand-built frame and what a reader must make of it.</summary>
internal sealed class FrameSample
{
    public FrameSample(string name, string headerJson, byte[] body, string? op, long? id)
    {
        Name = name;
        Bytes = RawFrames.Frame(Encoding.UTF8.GetBytes(headerJson), body);
        Expected = new ReceivedFrame(op, id, body.Length, headerJson, Convert.ToHexString(body));
    }

    /// <summary>A short description, used as the theory's case name.</summary>
    public string Name { get; }

    /// <summary>The frame exactly as it travels on the wire.</summary>
    public byte[] Bytes { get; }

    /// <summary>What reading <see cref="Bytes"/> must produce.</summary>
    public ReceivedFrame Expected { get; }

    public override string ToString() => Name;
}
