using Sockit.Client.Tls;
using Sockit.Protocol.Tls;

namespace Sockit.Client.Tests.Tls;

public sealed class KnownHostsFileTests : IDisposable
{
    private static readonly byte[] First = [.. Enumerable.Repeat((byte)0xAB, 32)];
    private static readonly byte[] Second = [.. Enumerable.Repeat((byte)0x01, 32)];
    private readonly string _directory = Directory.CreateTempSubdirectory("sockit-known-hosts-").FullName;

    private string FilePath => Path.Combine(_directory, "sub", "known_hosts");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_missing_file_knows_nobody() =>
        Assert.Empty(new KnownHostsFile(FilePath).Find("example.com:9443"));

    [Fact]
    public void Lines_are_found_by_host_and_port_ignoring_comments_blank_and_broken_lines()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, $"""
            # my servers

            Example.com:9443 {CertificateFingerprint.Format(First)}
            example.com:9444 {CertificateFingerprint.Format(Second)}
            example.com:9443 not-a-fingerprint
            example.com:9443   {Convert.ToHexString(Second).ToLowerInvariant()}   trailing words
            """);

        var found = new KnownHostsFile(FilePath).Find("example.com:9443");

        Assert.Equal([3, 6], found.Select(line => line.Line));
        Assert.Equal(First, found[0].Fingerprint);
        Assert.Equal(Second, found[1].Fingerprint);
    }

    [Fact]
    public void Adding_creates_the_folder_and_file_and_appends_one_line_per_server()
    {
        var file = new KnownHostsFile(FilePath);

        file.Add("a.example:1", First);
        file.Add("[::1]:2", Second);

        Assert.Equal(
            [$"a.example:1 {CertificateFingerprint.Format(First)}", $"[::1]:2 {CertificateFingerprint.Format(Second)}"],
            File.ReadAllLines(FilePath));
        Assert.Equal(Second, Assert.Single(file.Find("[::1]:2")).Fingerprint);
    }

    [Fact]
    public void Adding_to_a_file_edited_without_a_final_newline_starts_a_new_line()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, "# edited by hand");

        new KnownHostsFile(FilePath).Add("a.example:1", First);

        Assert.Equal(["# edited by hand", $"a.example:1 {CertificateFingerprint.Format(First)}"], File.ReadAllLines(FilePath));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_new_file_and_folder_are_private_to_their_owner()
    {
        new KnownHostsFile(FilePath).Add("a.example:1", First);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(FilePath)!));
    }
}
