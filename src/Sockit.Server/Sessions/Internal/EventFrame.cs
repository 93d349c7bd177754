namespace Sockit.Server.Sessions.Internal;

/// <summary>An event, encoded once as a whole frame and shared by every subscriber it goes to.</summary>
/// <param name="Bytes">The frame: prefix, header and body. Never changed after encoding.</param>
internal sealed record EventFrame(ReadOnlyMemory<byte> Bytes);
