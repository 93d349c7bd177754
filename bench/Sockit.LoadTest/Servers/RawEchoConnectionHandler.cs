using System.Buffers;
using System.Buffers.Binary;
using Microsoft.AspNetCore.Connections;

namespace Sockit.LoadTest.Servers;

/// <summary>
/// The least a framed echo server can do: read a 4-byte little-endian length, send the prefix and that many
/// bytes back as they arrive. No JSON, no hello, no limits beyond a sanity bound, no timeouts.
/// </summary>
public sealed class RawEchoConnectionHandler : ConnectionHandler
{
    private const int PrefixLength = 4;
    private const int MaxPayload = 64 * 1024 * 1024;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        long remaining = 0;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                bool wrote = false;
                while (true)
                {
                    if (remaining == 0)
                    {
                        if (buffer.Length < PrefixLength)
                        {
                            break;
                        }

                        int length = ReadPrefix(buffer);
                        if (length is < 0 or > MaxPayload)
                        {
                            return;
                        }

                        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(PrefixLength), length);
                        output.Advance(PrefixLength);
                        wrote = true;
                        buffer = buffer.Slice(PrefixLength);
                        remaining = length;
                        continue;
                    }

                    if (buffer.IsEmpty)
                    {
                        break;
                    }

                    // The payload is streamed back as it comes, as Sockit's echo streams a body it has not got whole.
                    var piece = buffer.Slice(0, Math.Min(remaining, buffer.Length));
                    foreach (var segment in piece)
                    {
                        output.Write(segment.Span);
                    }

                    wrote = true;
                    remaining -= piece.Length;
                    buffer = buffer.Slice(piece.End);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (wrote)
                {
                    // One flush per read, as Sockit flushes once every frame already received is answered.
                    var flush = await output.FlushAsync().ConfigureAwait(false);
                    if (flush.IsCompleted)
                    {
                        return;
                    }
                }

                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (ConnectionResetException)
        {
            // The load tool drops its connections at the end of a run.
        }
    }

    private static int ReadPrefix(ReadOnlySequence<byte> buffer)
    {
        if (buffer.FirstSpan.Length >= PrefixLength)
        {
            return BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan);
        }

        Span<byte> bytes = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(bytes);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }
}
