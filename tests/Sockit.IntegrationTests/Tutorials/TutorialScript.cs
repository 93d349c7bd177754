using System.Globalization;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Tutorials;

/// <summary>The tutorials' Python clients in <c>Tutorials/Scripts</c>, pointed at a test's server.</summary>
public static class TutorialScript
{
    /// <summary>A script's text with the tutorials' <c>("127.0.0.1",8888)</c> port replaced by <paramref name="port"/>.</summary>
    public static string Load(string name, int port)
    {
        var text = Read(name);
        Assert.Contains("(\"127.0.0.1\",8888)", text, StringComparison.Ordinal);
        return text.Replace("8888", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>
    /// <paramref name="client"/> as the tutorials add their client-legitimacy check to a client: the <c>conn_auth</c> helper
    /// of <c>conn_auth.py</c> defined first, and called on the socket <c>c</c> right after it connects.
    /// </summary>
    public static string WithConnAuth(string client, string digest = "md5")
    {
        const string connected = "c.connect((\"127.0.0.1\",";
        int connect = client.IndexOf(connected, StringComparison.Ordinal);
        Assert.True(connect >= 0, "the client connects no socket named c");
        int lineEnd = client.IndexOf('\n', connect) + 1;
        var helper = Read("conn_auth.py").Replace("'md5')", $"'{digest}')", StringComparison.Ordinal);
        return helper + client[..lineEnd] + "\nconn_auth(c)\n" + client[lineEnd..];
    }

    private static string Read(string name) =>
        File.ReadAllText(Path.Combine(SockitProcess.RepositoryRoot, "tests", "Sockit.IntegrationTests", "Tutorials", "Scripts", name));
}
