namespace Sockit.Client.Exec;

/// <summary>
/// A chunk of a remote command's output, as the server read it from the command (at most 64 KiB). The bytes are the
/// command's, unchanged: decode them as the command wrote them.
/// </summary>
/// <remarks><see cref="Data"/> is valid only until the enumeration moves on; copy what you need to keep.</remarks>
public readonly record struct ExecChunk(ExecOutputKind Stream, ReadOnlyMemory<byte> Data);
