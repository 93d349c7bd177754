using Sockit.Protocol.Errors;
using Sockit.Server.Hosting;

namespace Sockit.Server.Tests.Hosting;

public sealed class ServerConfigurationTests
{
    private static SockitServerOptions Read(params (string Key, string Value)[] values)
    {
        var settings = new SockitServerSettings
        {
            UseEnvironment = false,
            Overrides = values.ToDictionary(pair => pair.Key, pair => (string?)pair.Value),
        };
        return ServerConfiguration.ReadOptions(ServerConfiguration.Build(settings), settings);
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = Read();

        Assert.Equal(32, options.MaxRequestsInFlight);
        Assert.Equal(256 * 1024, options.InputWindow);
        Assert.Equal(TimeSpan.FromMinutes(1), options.WriteTimeout);
        Assert.Equal(1000, options.MaxConnectionsPerAddress);
        Assert.NotEmpty(options.Endpoints);
    }

    [Fact]
    public void Protocol_2_limits_are_read_from_configuration()
    {
        var options = Read(("Sockit:MaxRequestsInFlight", "4"), ("Sockit:InputWindow", "65536"));

        Assert.Equal(4, options.MaxRequestsInFlight);
        Assert.Equal(65536, options.InputWindow);
    }

    [Theory]
    [InlineData("Sockit:MaxRequestsInFlight", "0", "MaxRequestsInFlight")]
    [InlineData("Sockit:MaxRequestsInFlight", "65537", "MaxRequestsInFlight")]
    [InlineData("Sockit:InputWindow", "65535", "InputWindow")]
    [InlineData("Sockit:InputWindow", "67108865", "InputWindow")]
    [InlineData("Sockit:MaxConnections", "0", "MaxConnections")]
    [InlineData("Sockit:MaxConnectionsPerAddress", "-1", "MaxConnectionsPerAddress")]
    [InlineData("Sockit:Files:MaxTransfers", "0", "Sockit:Files:MaxTransfers")]
    [InlineData("Sockit:Files:MaxTransfers", "1000001", "Sockit:Files:MaxTransfers")]
    [InlineData("Sockit:Files:MaxTransfersPerUser", "0", "Sockit:Files:MaxTransfersPerUser")]
    [InlineData("Sockit:Files:MaxTransfersPerUser", "1000001", "Sockit:Files:MaxTransfersPerUser")]
    [InlineData("Sockit:Files:UploadWindow", "65535", "Sockit:Files:UploadWindow")]
    [InlineData("Sockit:Files:UploadWindow", "67108865", "Sockit:Files:UploadWindow")]
    [InlineData("Sockit:Files:UploadWindowBudget", "-1", "Sockit:Files:UploadWindowBudget")]
    public void Values_out_of_range_are_one_clear_error_naming_the_setting(string key, string value, string named)
    {
        var ex = Assert.Throws<SockitException>(() => Read((key, value)));

        Assert.Equal(SockitErrorCode.InvalidArgument, ex.Code);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_config_file_is_named()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"sockit-missing-{Guid.NewGuid():N}.json");
        var settings = new SockitServerSettings { ConfigFile = missing, UseEnvironment = false };

        var ex = Assert.Throws<SockitException>(() => ServerConfiguration.Build(settings));

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_that_lists_endpoints_gets_exactly_those()
    {
        var options = Read(("Sockit:Endpoints:only:Url", "tcp://127.0.0.1:0"), ("Sockit:Endpoints:only:Service", "framed"));

        var endpoint = Assert.Single(options.Endpoints);
        Assert.Equal("only", endpoint.Key);
    }

    [Fact]
    public void The_legacy_command_listener_is_off_by_default_and_read_from_sockit_exec_legacy()
    {
        Assert.Null(Read().Exec.Legacy.Address);

        var legacy = Read(
            ("Sockit:Exec:Legacy:Address", "tcp://0.0.0.0:8888"),
            ("Sockit:Exec:Legacy:HmacKey", "secret"),
            ("Sockit:Exec:Legacy:HmacDigest", "sha256")).Exec.Legacy;

        Assert.Equal(("tcp://0.0.0.0:8888", "secret", "sha256"), (legacy.Address, legacy.HmacKey, legacy.HmacDigest));
    }

    [Fact]
    public void A_legacy_command_listener_off_loopback_without_a_key_stops_the_server_before_it_starts()
    {
        var ex = Assert.Throws<SockitException>(() => Read(("Sockit:Exec:Legacy:Address", "tcp://0.0.0.0:8888")));

        Assert.Equal(SockitErrorCode.InvalidAddress, ex.Code);
        Assert.StartsWith("cannot listen on tcp://0.0.0.0:8888: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_legacy_command_listener_is_not_an_endpoint_service()
    {
        var ex = Assert.Throws<SockitException>(
            () => Read(("Sockit:Endpoints:cmd:Url", "tcp://127.0.0.1:0"), ("Sockit:Endpoints:cmd:Service", "LegacyExec")));

        Assert.Contains("Sockit:Exec:Legacy:Address", ex.Message, StringComparison.Ordinal);
    }
}
