using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Server.Exec;
using Sockit.Server.Files.Legacy;
using Sockit.Server.Hosting;
using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Tests.Hosting.Connections;

public sealed class LegacyListenerTests
{
    [Theory]
    [InlineData("tcp://127.0.0.1:0")]
    [InlineData("127.0.0.5:8888")]
    [InlineData("tcp://[::1]:9999")]
    [InlineData("unix:/tmp/sockit-legacy.sock")]
    public void Without_a_key_loopback_and_unix_sockets_are_allowed(string address)
    {
        foreach (var (listener, options) in Both(address, null))
        {
            var parsed = listener.Parse(options);

            Assert.True(parsed.Scheme is AddressScheme.Tcp or AddressScheme.Unix);
        }
    }

    [Theory]
    [InlineData("tcp://0.0.0.0:8888")]
    [InlineData("tcp://[::]:8888")]
    [InlineData("tcp://192.168.1.10:8888")]
    [InlineData("tcp://localhost:8888")]
    [InlineData("tcp://example.com:8888")]
    public void Without_a_key_any_other_address_is_refused_saying_why(string address)
    {
        foreach (var (listener, options) in Both(address, null))
        {
            var ex = Assert.Throws<SockitException>(() => listener.Parse(options));

            Assert.Equal(SockitErrorCode.InvalidAddress, ex.Code);
            Assert.StartsWith(
                $"cannot listen on {SockitAddress.Parse(address, AddressScheme.Tcp, 0)}: the {listener.Description}'s clients cannot log in",
                ex.Message,
                StringComparison.Ordinal);
            Assert.Contains($"{listener.Section}:HmacKey, {listener.KeyOption}", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_messages_name_each_listeners_own_settings()
    {
        var exec = Assert.Throws<SockitException>(() => LegacyListener.Exec.Parse(new LegacyExecOptions { Address = "tcp://0.0.0.0:1" }));
        var upload = Assert.Throws<SockitException>(() => LegacyListener.Upload.Parse(new LegacyUploadOptions { Address = "tcp://0.0.0.0:1" }));

        Assert.Contains("the legacy command listener's clients cannot log in", exec.Message, StringComparison.Ordinal);
        Assert.Contains("(Sockit:Exec:Legacy:HmacKey, serve --legacy-exec-key-file)", exec.Message, StringComparison.Ordinal);
        Assert.Contains("the legacy upload listener's clients cannot log in", upload.Message, StringComparison.Ordinal);
        Assert.Contains("(Sockit:Files:Legacy:HmacKey, serve --legacy-upload-key-file)", upload.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_key_any_address_is_allowed_and_an_empty_key_is_none()
    {
        foreach (var (listener, options) in Both("tcp://0.0.0.0:8888", "k"))
        {
            Assert.Equal("0.0.0.0", listener.Parse(options).Host);
        }

        foreach (var (listener, options) in Both("tcp://0.0.0.0:8888", ""))
        {
            Assert.Throws<SockitException>(() => listener.Parse(options));
            Assert.Null(LegacyListener.ChallengeOf(options));
        }
    }

    [Theory]
    [InlineData("tls://127.0.0.1:8888")]
    [InlineData("udp://127.0.0.1:8888")]
    public void Tls_and_udp_are_refused(string address)
    {
        foreach (var (listener, options) in Both(address, "k"))
        {
            var ex = Assert.Throws<SockitException>(() => listener.Parse(options));

            Assert.Contains($"the {listener.Description} takes tcp://HOST:PORT or unix:PATH", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_address_without_a_port_takes_the_port_of_the_tutorials_server()
    {
        // Tutorial 000's command server listens on 8888; tutorial 003's examples, the upload header among them, on 8088.
        Assert.Equal(8888, LegacyListener.Exec.Parse(new LegacyExecOptions { Address = "127.0.0.1" }).Port);
        Assert.Equal(8088, LegacyListener.Upload.Parse(new LegacyUploadOptions { Address = "127.0.0.1" }).Port);
    }

    [Fact]
    public void Each_listener_is_reported_as_its_own_service()
    {
        Assert.Equal((ServiceKind.LegacyExec, "legacy-exec"), (LegacyListener.Exec.Service, LegacyListener.Exec.EndpointName));
        Assert.Equal((ServiceKind.LegacyUpload, "legacy-upload"), (LegacyListener.Upload.Service, LegacyListener.Upload.EndpointName));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("  ", false)]
    [InlineData("127.0.0.1:8888", true)]
    public void Only_a_non_empty_address_asks_for_a_listener(string? address, bool configured)
    {
        foreach (var (_, options) in Both(address, null))
        {
            Assert.Equal(configured, LegacyListener.IsConfigured(options));
        }
    }

    [Fact]
    public void The_check_says_which_challenge_clients_must_pass()
    {
        Assert.Equal(
            "clients must pass the HMAC-SHA256 challenge",
            LegacyListener.CheckOf(new LegacyUploadOptions { HmacKey = "k", HmacDigest = "sha256" }));
        Assert.Equal(
            "no HMAC key: clients are not checked, so only local ones can reach it",
            LegacyListener.CheckOf(new LegacyExecOptions()));
    }

    private static (LegacyListener Listener, ILegacyListenerOptions Options)[] Both(string? address, string? key) =>
    [
        (LegacyListener.Exec, new LegacyExecOptions { Address = address, HmacKey = key }),
        (LegacyListener.Upload, new LegacyUploadOptions { Address = address, HmacKey = key }),
    ];
}
