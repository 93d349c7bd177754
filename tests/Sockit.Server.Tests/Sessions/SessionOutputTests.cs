using System.Buffers;
using System.IO.Pipelines;
using Sockit.Protocol.Errors;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Tests.Sessions;

/// <summary>The one way out of a connection: batching and the write deadline (the gate itself: <see cref="OutputGateTests"/>).</summary>
public sealed class SessionOutputTests
{
    [Fact]
    public async Task A_flush_the_client_does_not_take_fails_at_the_write_deadline()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512));
        using var output = new SessionOutput(pipe.Writer, TimeSpan.FromMilliseconds(100));
        await output.EnterAsync();
        output.Writer.Write(new byte[4096].AsSpan());

        var timeout = await Assert.ThrowsAsync<SockitTimeoutException>(() => output.FlushAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(SockitErrorCode.WriteTimeout, timeout.Code);
    }

    [Fact]
    public async Task A_flush_the_client_takes_in_time_completes_and_the_next_deadline_starts_afresh()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512));
        using var output = new SessionOutput(pipe.Writer, TimeSpan.FromSeconds(10));
        await output.EnterAsync();

        for (int round = 0; round < 3; round++)
        {
            output.Writer.Write(new byte[4096].AsSpan());
            var flushing = output.FlushAsync().AsTask();
            Assert.False(flushing.IsCompleted);
            var read = await pipe.Reader.ReadAsync();
            Assert.Equal(4096, read.Buffer.Length);
            pipe.Reader.AdvanceTo(read.Buffer.End);
            await flushing.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Writes_wait_for_a_flush_and_the_output_is_backed_up_past_MaxUnflushed()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024));
        using var output = new SessionOutput(pipe.Writer, TimeSpan.FromSeconds(10));

        output.Writer.Write(new byte[SessionOutput.MaxUnflushed - 1].AsSpan());
        Assert.False(output.IsBackedUp);
        Assert.False(pipe.Reader.TryRead(out _));
        output.Writer.Write(new byte[1].AsSpan());
        Assert.True(output.IsBackedUp);

        await output.FlushPendingAsync();
        Assert.True(pipe.Reader.TryRead(out var read));
        Assert.Equal(SessionOutput.MaxUnflushed, read.Buffer.Length);
        Assert.False(output.IsBackedUp);
    }
}
