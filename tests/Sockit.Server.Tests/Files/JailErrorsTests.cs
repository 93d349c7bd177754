using Sockit.Protocol.Errors;
using Sockit.Server.Files.Jail;

namespace Sockit.Server.Tests.Files;

public sealed class JailErrorsTests
{
    public static TheoryData<int, string> Mapping => new()
    {
        { JailLibC.ENOENT, "not_found" },
        { JailLibC.EEXIST, "already_exists" },
        { JailLibC.ENOTDIR, "not_a_folder" },
        { JailLibC.EISDIR, "is_a_folder" },
        { JailLibC.ELOOP, "outside_home" },
        { JailLibC.EXDEV, "outside_home" },
        { JailLibC.ENOTEMPTY, "not_empty" },
        { JailLibC.EACCES, "forbidden" },
        { JailLibC.EPERM, "forbidden" },
        { JailLibC.EROFS, "forbidden" },
        { JailLibC.ENOSPC, "quota_exceeded" },
        { JailLibC.EDQUOT, "quota_exceeded" },
        { JailLibC.ENAMETOOLONG, "invalid_name" },
        { JailLibC.EWOULDBLOCK, "busy" },
        { JailLibC.EBUSY, "busy" },
        { JailLibC.ENXIO, "special_file" },
        { JailLibC.EINVAL, "invalid_argument" },
        { JailLibC.ENOSYS, "not_supported" },
        { 5, "internal_error" },
    };

    [Theory]
    [MemberData(nameof(Mapping))]
    public void Error_numbers_map_to_stable_codes(int errno, string code)
    {
        var exception = JailErrors.For(errno, "cannot do /a");

        Assert.Equal(new SockitErrorCode(code), exception.Code);
        Assert.StartsWith("cannot do /a: ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unexpected_error_keeps_the_system_text_and_number()
    {
        Assert.Contains("errno 5", JailErrors.For(5, "cannot read /a").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_full_disk_on_write_is_quota_exceeded_and_the_server_path_is_not_told()
    {
        var full = new IOException("No space left on device : '/srv/sockit/homes/ann/.a.sockit-part'", JailLibC.ENOSPC);

        var exception = JailErrors.ForIo(full, "cannot store the upload");

        Assert.Equal(SockitErrorCode.QuotaExceeded, exception.Code);
        Assert.Equal("cannot store the upload: no room left", exception.Message);
    }

    [Fact]
    public void An_io_failure_without_an_error_number_is_internal_error_and_the_server_path_is_not_told()
    {
        var failure = new IOException("disk gone: '/srv/sockit/homes/ann/a'");

        var exception = JailErrors.ForIo(failure, "cannot read /a");

        Assert.Equal(SockitErrorCode.InternalError, exception.Code);
        Assert.DoesNotContain("/srv", exception.Message, StringComparison.Ordinal);
    }
}
