namespace Sockit.Server.Hosting;

/// <summary>
/// How to build a server: where its configuration comes from. Sources apply in the usual order, later
/// ones winning: the embedded defaults, the JSON config file, <c>SOCKIT_</c> environment variables, then
/// <see cref="Overrides"/> and <see cref="Listen"/>.
/// </summary>
public sealed record SockitServerSettings
{
    /// <summary>A JSON configuration file; <see langword="null"/> for none. A missing file is an error.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>
    /// Endpoints given as <c>SERVICE=URL</c> (e.g. <c>framed=tcp://0.0.0.0:9000</c>). When any are given they
    /// replace every configured endpoint.
    /// </summary>
    public IReadOnlyList<string> Listen { get; init; } = [];

    /// <summary>Configuration keys set directly (e.g. <c>Sockit:MaxConnections</c> = <c>100</c>).</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>Whether to read <c>SOCKIT_</c> environment variables (tests turn this off).</summary>
    public bool UseEnvironment { get; init; } = true;

    /// <summary>The least severe log level written; <see langword="null"/> keeps the configured level.</summary>
    public Microsoft.Extensions.Logging.LogLevel? LogLevel { get; init; }

    /// <summary>Adds services, such as more <c>ISockitOperation</c>s, to the server's container.</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Adds log providers (tests use this to capture logs); by default logs go to standard error.</summary>
    public Action<Microsoft.Extensions.Logging.ILoggingBuilder>? ConfigureLogging { get; init; }
}
