namespace Sockit.Client.Tests.Fakes;

public static class FakeFramedServerExtensions
{
    /// <summary>Connects a client to the fake server and greets it; returns both ends.</summary>
    public static async Task<(SockitClient Client, FakeConnection Server)> ConnectClientAsync(
        this FakeFramedServer server, SockitClientOptions? options = null)
    {
        var connecting = SockitClient.ConnectAsync(server.Address, options);
        var connection = await server.AcceptAndGreetAsync();
        return (await connecting.Within(), connection);
    }
}
