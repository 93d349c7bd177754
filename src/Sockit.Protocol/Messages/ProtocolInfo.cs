namespace Sockit.Protocol.Messages;

/// <summary>Constants that identify this version of the protocol.</summary>
public static class ProtocolInfo
{
    /// <summary>The protocol version announced in <see cref="HelloMessage.Protocol"/>.</summary>
    public const int Version = 1;

    /// <summary>Size in bytes of the random nonce a server puts in its hello.</summary>
    public const int NonceLength = 32;
}
