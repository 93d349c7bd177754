using Sockit.Server.Files;
using Sockit.Server.Files.Legacy;

namespace Sockit.Server.Tests.Files.Legacy;

public sealed class LegacyUploadOptionsTests
{
    [Fact]
    public void Without_a_folder_uploads_go_to_a_name_in_the_data_root_that_no_account_can_have()
    {
        var files = new FilesOptions { DataRoot = "/srv/sockit/homes" };

        Assert.Equal("/srv/sockit/homes/(legacy-uploads)", new LegacyUploadOptions().ResolveFolder(files));
        Assert.Equal("/srv/sockit/homes/(legacy-uploads)", new LegacyUploadFolder(new LegacyUploadOptions(), files).Path);
    }

    [Theory]
    [InlineData("/srv/uploads", "/srv/uploads")]
    [InlineData("/srv/uploads/", "/srv/uploads")]
    [InlineData("/srv/./x/../uploads", "/srv/uploads")]
    public void A_configured_folder_is_used_as_a_full_path(string folder, string resolved)
    {
        Assert.Equal(resolved, new LegacyUploadOptions { Folder = folder }.ResolveFolder(new FilesOptions()));
    }

    [Fact]
    public void A_relative_folder_is_relative_to_the_working_folder()
    {
        Assert.Equal(
            Path.Combine(Environment.CurrentDirectory, "uploads"), new LegacyUploadOptions { Folder = "uploads" }.ResolveFolder(new FilesOptions()));
    }

    [Fact]
    public void The_listener_is_off_by_default_and_checks_md5_answers_when_given_a_key()
    {
        var options = new LegacyUploadOptions();

        Assert.Null(options.Address);
        Assert.Null(options.HmacKey);
        Assert.Equal("md5", options.HmacDigest);
        Assert.Equal(1024L * 1024 * 1024, options.MaxFileSize);
    }
}
