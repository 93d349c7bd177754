using Sockit.Cli.Commands.Files;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Tests.Commands.Files;

public sealed class FtpArgumentsTests
{
    private static readonly string[] TransferFlags = ["r", "f", "q", "restart"];

    [Fact]
    public void Short_flags_combine_and_long_ones_are_spelled_out()
    {
        var arguments = FtpArguments.Parse("put", ["-rf", "--restart", "a", "--", "-b"], TransferFlags);

        Assert.True(arguments.Has("r"));
        Assert.True(arguments.Has("f"));
        Assert.True(arguments.Has("restart"));
        Assert.False(arguments.Has("q"));
        Assert.Equal(["a", "-b"], arguments.Paths);
    }

    [Fact]
    public void A_flag_the_command_does_not_take_is_refused()
    {
        var refused = Assert.Throws<SockitException>(() => FtpArguments.Parse("ls", ["-r"], ["l"]));

        Assert.Equal(SockitErrorCode.InvalidArgument, refused.Code);
        Assert.Equal("ls: unknown option -r (see 'help ls')", refused.Message);
    }

    [Fact]
    public void A_lone_dash_is_a_path() =>
        Assert.Equal(["-"], FtpArguments.Parse("get", ["-"], TransferFlags).Paths);
}
