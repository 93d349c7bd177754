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
}
