using System.Text;
using Sockit.Protocol.Errors;
using Sockit.Server.Echo;
using Sockit.Server.Hosting;

namespace Sockit.Server.Tests.Echo;

public sealed class EchoOperationTests
{
    private static readonly EchoOperation Echo = new(new SockitServerOptions());

    [Fact]
    public async Task A_body_that_has_arrived_comes_back_in_one_reply()
    {
        await using var harness = new EchoHarness();
        var request = await harness.ReceiveAsync("""{"op":"echo","id":4,"data_size":5}""", "hello"u8.ToArray());

        await Echo.ExecuteAsync(request);

        var (header, body) = Assert.Single(await harness.FramesAsync());
        Assert.Equal("""{"op":"echo","id":4,"ok":true,"data_size":5}""", header);
        Assert.Equal("hello", Encoding.UTF8.GetString(body));
        Assert.True(request.HasReplied);
    }

    [Fact]
    public async Task A_body_still_arriving_is_passed_back_as_it_comes()
    {
        await using var harness = new EchoHarness();
        var body = Encoding.UTF8.GetBytes(new string('x', 100_000));
        var request = await harness.ReceiveAsync("""{"op":"echo","data_size":100000}""", body, sent: 10);

        var running = Echo.ExecuteAsync(request).AsTask();
        Assert.False(running.IsCompleted);
        await harness.SendAsync(body.AsMemory(10));
        await running;

        var (header, echoed) = Assert.Single(await harness.FramesAsync());
        Assert.Equal("""{"op":"echo","ok":true,"data_size":100000}""", header);
        Assert.Equal(body, echoed);
    }

    [Fact]
    public async Task Upper_is_unicode_aware_and_may_change_the_length()
    {
        await using var harness = new EchoHarness();
        var request = await harness.ReceiveAsync("""{"op":"echo","id":1,"upper":true,"data_size":2}""", [0xc9, 0x90]);

        await Echo.ExecuteAsync(request);

        var (header, body) = Assert.Single(await harness.FramesAsync());
        Assert.Equal("""{"op":"echo","id":1,"ok":true,"data_size":3}""", header);
        Assert.Equal(new byte[] { 0xe2, 0xb1, 0xaf }, body);
    }

    [Fact]
    public async Task Upper_refuses_a_body_that_is_not_utf8_before_replying()
    {
        await using var harness = new EchoHarness();
        var request = await harness.ReceiveAsync("""{"op":"echo","id":3,"upper":true,"data_size":3}""", [0xff, 0xfe, 0x41]);

        var ex = await Assert.ThrowsAsync<SockitException>(() => Echo.ExecuteAsync(request).AsTask());

        Assert.Equal(SockitErrorCode.InvalidArgument, ex.Code);
        Assert.False(request.HasReplied);
        Assert.Empty(await harness.FramesAsync());
    }

    [Fact]
    public async Task Upper_with_a_wrongly_typed_flag_is_invalid_field()
    {
        await using var harness = new EchoHarness();
        var request = await harness.ReceiveAsync("""{"op":"echo","upper":"yes"}""", []);

        var ex = await Assert.ThrowsAsync<SockitProtocolException>(() => Echo.ExecuteAsync(request).AsTask());

        Assert.Equal(SockitErrorCode.InvalidField, ex.Code);
    }

    [Fact]
    public void The_limit_is_the_configured_echo_limit()
    {
        var echo = new EchoOperation(new SockitServerOptions { MaxEchoBodyLength = 123 });

        Assert.Equal(123, echo.MaxBodyLength);
    }
}
