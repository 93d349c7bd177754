using System.Buffers;
using System.Threading.Channels;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.Server.Sessions.Internal;

/// <summary>Writes a connection's queued events, each in turn with the requests' frames.</summary>
internal static class EventPump
{
    /// <summary>
    /// Sends events until the queue completes or the output closes. <paramref name="takeDropped"/> returns (and resets)
    /// how many events were dropped since it was last asked, which the client hears of before the next event.
    /// </summary>
    /// <remarks>
    /// A client that takes none of its events for the write deadline is reset through <paramref name="onWriteTimeout"/>,
    /// as one that does not read its replies is: it may never send another frame that would make the loop notice.
    /// </remarks>
    public static async Task RunAsync(
        SessionOutput output, ChannelReader<EventFrame> events, Func<long> takeDropped, Action<string> onWriteTimeout)
    {
        // The pump starts inside a request (subscribe); it must not run on that request's stack.
        await Task.Yield();
        try
        {
            await foreach (var frame in events.ReadAllAsync().ConfigureAwait(false))
            {
                await output.EnterAsync().ConfigureAwait(false);
                try
                {
                    long dropped = takeDropped();
                    if (dropped > 0)
                    {
                        FrameWriter.WriteHeader(
                            output.Writer,
                            new ServerEvent { Event = "dropped", Dropped = dropped },
                            SockitJsonContext.Default.ServerEvent);
                    }

                    output.Writer.Write(frame.Bytes.Span);
                    await output.FlushAsync().ConfigureAwait(false);
                }
                finally
                {
                    output.Exit();
                }
            }
        }
        catch (Protocol.Errors.SockitTimeoutException ex)
        {
            onWriteTimeout(ex.Message);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException
            || Hosting.Connections.ConnectionFailures.IsAbruptDisconnect(ex))
        {
            // The connection is closing or gone: its loop deals with that; the events are moot.
        }
    }
}
