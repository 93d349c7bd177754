namespace Sockit.Protocol.Messages;

/// <summary>Constants that identify this version of the protocol.</summary>
public static class ProtocolInfo
{
    /// <summary>The protocol version announced in <see cref="HelloMessage.Protocol"/>.</summary>
    public const int Version = 2;

    /// <summary>The parts of protocol 2 a server announces in <see cref="HelloMessage.Features"/>.</summary>
    public static IReadOnlyList<string> Features { get; } = ["parts", "concurrent", "input", "cancel", "events"];

    /// <summary>The largest body of a <c>part</c> frame a server sends: so one request's output cannot hold the others back longer.</summary>
    public const int MaxPartBodyLength = 64 * 1024;

    /// <summary>Size in bytes of the random nonce a server puts in its hello.</summary>
    public const int NonceLength = 32;
}
