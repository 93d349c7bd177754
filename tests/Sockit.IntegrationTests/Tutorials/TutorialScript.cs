using System.Globalization;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Tutorials;

/// <summary>The tutorials' Python clients in <c>Tutorials/Scripts</c>, pointed at a test's server.</summary>
public static class TutorialScript
{
    /// <summary>
    /// A script's text with the tutorial's <c>("127.0.0.1",PORT)</c> (8888 for tutorial 000's clients, 8088 for tutorial
    /// 003's) pointed at <paramref name="port"/>.
    /// </summary>
    public static string Load(string name, int port, int tutorialPort = 8888)
    {
        var text = Read(name);
        var tutorials = string.Create(CultureInfo.InvariantCulture, $"(\"127.0.0.1\",{tutorialPort})");
        Assert.Contains(tutorials, text, StringComparison.Ordinal);
        return text.Replace(tutorials, string.Create(CultureInfo.InvariantCulture, $"(\"127.0.0.1\",{port})"), StringComparison.Ordinal);
    }

    /// <summary>
    /// <paramref name="client"/> as the tutorials add their client-legitimacy check to a client: the <c>conn_auth</c> helper
    /// of <c>conn_auth.py</c> defined first, and called on the client's socket right after it connects.
    /// </summary>
    public static string WithConnAuth(string client, string digest = "md5")
    {
        const string connected = ".connect((\"127.0.0.1\",";
        int connect = client.IndexOf(connected, StringComparison.Ordinal);
        Assert.True(connect >= 0, "the client connects no socket");
        var socket = client[(client.LastIndexOf('\n', connect) + 1)..connect];
        int lineEnd = client.IndexOf('\n', connect) + 1;
        var helper = Read("conn_auth.py").Replace("'md5')", $"'{digest}')", StringComparison.Ordinal);
        return helper + client[..lineEnd] + $"\nconn_auth({socket})\n" + client[lineEnd..];
    }

    private static string Read(string name) =>
        File.ReadAllText(Path.Combine(SockitProcess.RepositoryRoot, "tests", "Sockit.IntegrationTests", "Tutorials", "Scripts", name));
}
