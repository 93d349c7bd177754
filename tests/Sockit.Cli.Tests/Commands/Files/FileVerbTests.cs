using Sockit.Cli.Commands.Files;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Tests.Commands.Files;

public sealed class FileVerbTests
{
    [Fact]
    public void A_message_that_names_the_file_is_not_prefixed_with_it_again()
    {
        var refused = new SockitException(SockitErrorCode.InvalidArgument, "/dev/zero is not a regular file (a pipe, socket or device): only files can be uploaded");

        Assert.Equal("sockit: /dev/zero is not a regular file (a pipe, socket or device): only files can be uploaded", FileVerb.Describe("/dev/zero", refused));
    }

    [Fact]
    public void A_message_that_does_not_name_the_file_gets_it_in_front()
    {
        var missing = new FileNotFoundException("no such local file or folder");

        Assert.Equal("sockit: /tmp/a.bin: no such local file or folder", FileVerb.Describe("/tmp/a.bin", missing));
        Assert.Equal(
            "sockit: a: a.bin is a folder",
            FileVerb.Describe("a", new SockitException(SockitErrorCode.InvalidArgument, "a.bin is a folder")));
    }
}
