using System.Text.Json;
using Sockit.Protocol.Exec;

namespace Sockit.Protocol.Tests.Exec;

/// <summary>The <c>exec</c> headers as they go on the wire, and the signal names both sides share.</summary>
public sealed class ExecMessagesTests
{
    private static readonly ExecJsonContext Json = ExecJsonContext.Default;

    [Fact]
    public void A_request_writes_only_the_fields_it_sets()
    {
        Assert.Equal(
            """{"op":"exec","id":4,"command":"ls -l"}""",
            JsonSerializer.Serialize(new ExecRequest { Id = 4, Command = "ls -l" }, Json.ExecRequest));
        Assert.Equal(
            """{"op":"exec","id":5,"window":1048576,"argv":["cat","-"],"cwd":"/tmp","env":{"A":"1","B":null},"timeout_s":2.5,"input":true,"pty":true,"rows":30,"cols":100,"term":"vt100","data_size":3}""",
            JsonSerializer.Serialize(
                new ExecRequest
                {
                    Id = 5,
                    Window = 1048576,
                    Argv = ["cat", "-"],
                    Cwd = "/tmp",
                    Env = new Dictionary<string, string?> { ["A"] = "1", ["B"] = null },
                    TimeoutS = 2.5,
                    Input = true,
                    Pty = true,
                    Rows = 30,
                    Cols = 100,
                    Term = "vt100",
                    DataSize = 3,
                },
                Json.ExecRequest));
    }

    [Fact]
    public void Output_parts_controls_and_replies_have_their_wire_names()
    {
        Assert.Equal(
            """{"kind":"part","op":"exec","id":1,"stream":"stderr","data_size":9}""",
            JsonSerializer.Serialize(new ExecOutput { Id = 1, Stream = ExecStreams.Stderr, DataSize = 9 }, Json.ExecOutput));
        Assert.Equal(
            """{"kind":"control","id":1,"rows":50,"cols":132}""",
            JsonSerializer.Serialize(new ExecControl { Id = 1, Rows = 50, Cols = 132 }, Json.ExecControl));
        Assert.Equal(
            """{"op":"exec","id":1,"ok":true,"signal":9,"signal_name":"KILL","timed_out":true,"cancelled":false,"duration_ms":1500,"stdout_bytes":10,"stderr_bytes":0,"stdin_bytes":0,"data_size":0}""",
            JsonSerializer.Serialize(
                new ExecReply { Id = 1, Signal = 9, SignalName = "KILL", TimedOut = true, DurationMs = 1500, StdoutBytes = 10 },
                Json.ExecReply));
    }

    [Fact]
    public void A_reply_with_an_exit_code_reads_back()
    {
        var reply = JsonSerializer.Deserialize(
            """{"op":"exec","id":2,"ok":true,"exit_code":127,"timed_out":false,"cancelled":false,"duration_ms":3,"stdout_bytes":0,"stderr_bytes":31,"stdin_bytes":0}""",
            Json.ExecReply)!;

        Assert.Equal((127, (int?)null, 31L), (reply.ExitCode, reply.Signal, reply.StderrBytes));
    }

    [Theory]
    [InlineData("INT", 2)]
    [InlineData("sigterm", 15)]
    [InlineData("SIGKILL", 9)]
    [InlineData("winch", 28)]
    public void Sendable_signals_are_found_by_name_in_any_case_with_or_without_sig(string name, int number)
    {
        Assert.True(ExecSignals.TryGetSendable(name, out int found));
        Assert.Equal(number, found);
    }

    [Theory]
    [InlineData("SEGV")]
    [InlineData("STOP")]
    [InlineData("9")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_signals_and_numbers_cannot_be_sent(string? name) =>
        Assert.False(ExecSignals.TryGetSendable(name, out _));

    [Theory]
    [InlineData(9, "KILL")]
    [InlineData(13, "PIPE")]
    [InlineData(64, "SIG64")]
    public void Signals_are_named_for_replies(int number, string name) => Assert.Equal(name, ExecSignals.NameOf(number));
}
