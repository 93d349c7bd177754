using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Interop;

/// <summary>The examples in docs/protocol.md run as printed and say what a standard server really answers.</summary>
public sealed partial class ProtocolDocTests
{
    [Fact]
    [Trait("Category", "Interop")]
    public async Task The_minimal_python_client_prints_what_the_doc_says()
    {
        var doc = await File.ReadAllTextAsync(Path.Combine(SockitProcess.RepositoryRoot, "docs", "protocol.md"));
        var section = doc[doc.IndexOf("## 9. A minimal Python client", StringComparison.Ordinal)..];
        var script = PythonBlock().Match(section).Groups["code"].Value;
        var expected = OutputBlock().Match(section).Groups["output"].Value;
        await using var server = await TestServer.StartAsync();

        var printed = await RunPythonAsync(script.Replace("9000", server.Framed.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        Assert.Contains("(\"127.0.0.1\", 9000)", script, StringComparison.Ordinal);
        Assert.Equal(expected.ReplaceLineEndings("\n"), printed.ReplaceLineEndings("\n"));
    }

    private static async Task<string> RunPythonAsync(string script)
    {
        var (exitCode, output, error) = await PythonScript.RunAsync(script);
        Assert.True(exitCode == 0, error);
        return output;
    }

    [GeneratedRegex("```python\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex PythonBlock();

    [GeneratedRegex("Output against a default server:\n\n```\n(?<output>.*?)```", RegexOptions.Singleline)]
    private static partial Regex OutputBlock();
}
