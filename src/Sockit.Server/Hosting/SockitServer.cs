using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Server.Hosting.Connections;
using Sockit.Server.Echo;
using Sockit.Server.Events;
using Sockit.Server.Exec;
using Sockit.Server.Files;
using Sockit.Server.Files.Legacy;
using Sockit.Server.Exec.Legacy;
using Sockit.Server.Sessions;
using Sockit.Server.Sessions.Internal;
using Sockit.Server.Time;
using Sockit.Server.Tls;
using Sockit.Server.Hosting.Transport;
using Sockit.Server.Udp;

namespace Sockit.Server.Hosting;

/// <summary>
/// A Sockit server: Kestrel (no HTTP) for the stream endpoints, plain sockets for UDP, on the generic host.
/// Create it, start it, read <see cref="Endpoints"/> for the addresses bound, stop it.
/// </summary>
public sealed partial class SockitServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EndpointRegistry _registry;
    private readonly EndpointCertificates _certificates;

    private SockitServer(WebApplication app, SockitServerOptions options, EndpointRegistry registry, EndpointCertificates certificates)
    {
        _app = app;
        Options = options;
        _registry = registry;
        _certificates = certificates;
    }

    /// <summary>The options the server runs with.</summary>
    public SockitServerOptions Options { get; }

    /// <summary>The server's services (for tests and embedding).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The stream connections being served now, over every endpoint.</summary>
    public int OpenConnections => _app.Services.GetRequiredService<ConnectionLimiter>().Current;

    /// <summary>
    /// The most stream connections served at once: <see cref="SockitServerOptions.MaxConnections"/>, lowered at start to
    /// what the open-file limit allows.
    /// </summary>
    public int ConnectionLimit => _app.Services.GetRequiredService<ConnectionLimiter>().Limit;

    /// <summary>The endpoints listening, with the ports actually bound. Complete once <see cref="StartAsync"/> returned.</summary>
    public IReadOnlyList<BoundEndpoint> Endpoints => _registry.Snapshot();

    /// <summary>Builds a server from <paramref name="settings"/>; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <exception cref="SockitException">The configuration is not valid.</exception>
    public static SockitServer Create(SockitServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var configuration = ServerConfiguration.Build(settings);
        var options = ServerConfiguration.ReadOptions(configuration, settings);
        var registry = new EndpointRegistry();
        var certificates = EndpointCertificates.Load(options, TlsBaseDirectory(settings));

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "sockit" });
        builder.Configuration.AddConfiguration(configuration);
        ConfigureLogging(builder.Logging, builder.Services, configuration, settings);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(registry);
        var descriptors = DescriptorBudget.Take();
        services.AddSingleton(descriptors);
        services.AddSingleton(new ConnectionLimiter(descriptors.ConnectionLimit(options.MaxConnections), options.MaxConnectionsPerAddress));
        services.AddSingleton(_ => new FrameDeadlines(FrameDeadlines.ResolutionFor(options.IdleTimeout, options.HeaderTimeout, options.Auth.LoginTimeout)));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OperationRegistry>();
        services.AddSingleton<SessionDirectory>();
        services.AddSingleton<ISessionDirectory>(provider => provider.GetRequiredService<SessionDirectory>());
        services.AddSockitOperation<EchoOperation>();
        services.AddSockitOperation<TimeOperation>();
        services.AddSockitEvents();
        services.AddSockitExec(options.Exec);
        services.AddSockitFiles(options.Files);
        AddAuth(services, options, settings);
        if (options.TrimMemoryWhenIdle)
        {
            services.AddHostedService<IdleMemoryTrimmer>();
        }

        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        settings.ConfigureServices?.Invoke(services);

        builder.WebHost.UseKestrelCore();

        // Registered after Kestrel's own transport, so Kestrel binds through this one.
        services.AddSingleton<SocketListenerFactory>();
        services.AddSingleton<IConnectionListenerFactory>(provider => provider.GetRequiredService<SocketListenerFactory>());
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            BindStreamEndpoints(kestrel, options, registry, certificates);
        });
        AddUdpEndpoints(services, options, registry);

        var app = builder.Build();
        certificates.Report(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sockit.Server.Tls"), DateTimeOffset.UtcNow);
        return new SockitServer(app, options, registry, certificates);
    }

    /// <summary>Binds every endpoint and starts serving.</summary>
    /// <exception cref="SockitException">An endpoint could not be bound (address in use, not available).</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // Before anything listens, so the first local client already finds its key.
        _app.Services.GetRequiredService<Auth.LocalLogin>().Ensure();
        if (LegacyListener.IsConfigured(Options.Files.Legacy))
        {
            // Made now, so a folder that cannot be stops the start rather than the first upload.
            new LegacyUploadFolder(Options.Files.Legacy, Options.Files).Open().Dispose();
        }

        try
        {
            await _app.StartAsync(cancellationToken).ConfigureAwait(false);
            ReportConnectionBudget();
            ReportLegacyListeners();
        }
        catch (IOException ex) when (ex.InnerException is AddressInUseException)
        {
            throw ListenFailure.AddressInUse(ex);
        }
        catch (IOException ex)
        {
            throw new SockitException(SockitErrorCode.InvalidAddress, "cannot listen: " + ex.Message, ex);
        }
        catch (SocketException ex)
        {
            // UDP endpoints name themselves (UdpEndpointService); Kestrel does not say which stream endpoint failed.
            var streams = Options.Endpoints.Values.Select(e => e.Url)
                .Where(url => !url.StartsWith("udp://", StringComparison.OrdinalIgnoreCase)).ToList();
            streams.AddRange(LegacyListeners(Options).Select(legacy => legacy.Listener.Parse(legacy.Options).ToString()));

            throw ListenFailure.FromSocket(ex, streams.Count == 1 ? streams[0] : "one of " + string.Join(", ", streams));
        }
    }

    /// <summary>Stops accepting, lets in-flight replies finish within the shutdown timeout, then closes.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>
    /// Waits until the server is asked to stop (Ctrl+C, SIGTERM or <see cref="StopAsync"/>), then stops it, letting
    /// requests in progress finish within <see cref="SockitServerOptions.ShutdownTimeout"/>; completes once it has stopped.
    /// </summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _certificates.Dispose();
    }

    private void ReportConnectionBudget()
    {
        var logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sockit.Server.Hosting.Transport");
        var descriptors = _app.Services.GetRequiredService<DescriptorBudget>();
        var limiter = _app.Services.GetRequiredService<ConnectionLimiter>();
        var options = Options;
        if (descriptors.RaisedFrom is { } from && descriptors.SoftLimit is { } to)
        {
            TransportLog.DescriptorLimitRaised(logger, from, to);
        }

        // Lowering the built-in default is expected on most machines; lowering a limit someone chose deserves a warning.
        if (limiter.Limit < options.MaxConnections && options.MaxConnections != SockitServerOptions.DefaultMaxConnections)
        {
            TransportLog.ConnectionLimitLowered(
                logger, options.MaxConnections, limiter.Limit, descriptors.SoftLimit ?? 0, descriptors.InUse, descriptors.Reserve);
        }

        // Commands and transfers share the reserve; a server that will say server_busy early should say why at start.
        int commands = _app.Services.GetService<Exec.ExecLimiter>()?.MaxRunning ?? options.Exec.MaxRunning;
        int transfers = _app.Services.GetService<Files.FileService>()?.Transfers.Limit ?? options.Files.MaxTransfers;
        if (commands < options.Exec.MaxRunning || transfers < options.Files.MaxTransfers)
        {
            TransportLog.WorkLimitsLowered(
                logger, commands, options.Exec.MaxRunning, transfers, options.Files.MaxTransfers, descriptors.SoftLimit ?? 0);
        }

        TransportLog.ConnectionBudget(
            logger,
            limiter.Limit,
            limiter.PerAddressLimit == 0 ? "no limit" : limiter.PerAddressLimit.ToString(CultureInfo.InvariantCulture),
            descriptors.SoftLimit?.ToString(CultureInfo.InvariantCulture) ?? "none",
            descriptors.InUse,
            descriptors.Reserve);
    }

    private void ReportLegacyListeners()
    {
        var loggers = _app.Services.GetRequiredService<ILoggerFactory>();
        foreach (var endpoint in Endpoints)
        {
            if (endpoint.Service == ServiceKind.LegacyExec)
            {
                ExecLog.LegacyListening(
                    loggers.CreateLogger("Sockit.Server.Exec"), endpoint.Address.ToString(), LegacyListener.CheckOf(Options.Exec.Legacy));
            }
            else if (endpoint.Service == ServiceKind.LegacyUpload)
            {
                LegacyUploadLog.Listening(
                    loggers.CreateLogger("Sockit.Server.Files"),
                    endpoint.Address.ToString(),
                    LegacyListener.CheckOf(Options.Files.Legacy),
                    new LegacyUploadFolder(Options.Files.Legacy, Options.Files).Path);
            }
        }
    }

    /// <summary>The listeners for the tutorials' own clients that <paramref name="options"/> ask for.</summary>
    private static IEnumerable<(LegacyListener Listener, ILegacyListenerOptions Options)> LegacyListeners(SockitServerOptions options)
    {
        (LegacyListener, ILegacyListenerOptions)[] all = [(LegacyListener.Exec, options.Exec.Legacy), (LegacyListener.Upload, options.Files.Legacy)];
        return all.Where(legacy => LegacyListener.IsConfigured(legacy.Item2));
    }

    private static void ConfigureLogging(
        ILoggingBuilder logging,
        IServiceCollection services,
        Microsoft.Extensions.Configuration.IConfiguration configuration,
        SockitServerSettings settings)
    {
        logging.AddConfiguration(configuration.GetSection("Logging"));
        logging.SetMinimumLevel(settings.LogLevel ?? LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);

        // A failed start is reported once, by whoever called StartAsync; the host's own copy would repeat it.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        if (settings.ConfigureLogging is { } configure)
        {
            configure(logging);
            return;
        }

        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.IncludeScopes = true;
            console.TimestampFormat = "HH:mm:ss ";
        });

        // Standard output is the server's own report (what it listens on); logs go to standard error.
        services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    private static void BindStreamEndpoints(
        KestrelServerOptions kestrel, SockitServerOptions options, EndpointRegistry registry, EndpointCertificates certificates)
    {
        foreach (var (name, endpoint) in options.Endpoints)
        {
            var address = SockitAddress.Parse(endpoint.Url, AddressScheme.Tcp, 0);
            if (address.Scheme == AddressScheme.Udp)
            {
                continue;
            }

            BindStream(kestrel, registry, name, address, endpoint.Service, endpoint.Optional, listen =>
            {
                if (address.Scheme == AddressScheme.Tls)
                {
                    UseTls(listen, name, certificates.For(name), options);
                }
            });
        }

        foreach (var (listener, legacy) in LegacyListeners(options))
        {
            BindStream(kestrel, registry, listener.EndpointName, listener.Parse(legacy), listener.Service, optional: false, _ => { });
        }
    }

    private static void BindStream(
        KestrelServerOptions kestrel,
        EndpointRegistry registry,
        string name,
        SockitAddress address,
        ServiceKind service,
        bool optional,
        Action<ListenOptions> configure)
    {
        if (address.Scheme == AddressScheme.Unix)
        {
            UnixSocketFiles.RemoveStale(address.Path);
            kestrel.ListenUnixSocket(address.Path, listen => UseHandler(listen, service));
            registry.AddDeferred(() => new BoundEndpoint(name, service, address));
            return;
        }

        // A host name is looked up by the transport as it binds, asynchronously; an IP literal needs no lookup.
        EndPoint bindTo = EndpointResolver.TryParseLiteral(address.Host, out var ip)
            ? new IPEndPoint(ip, address.Port)
            : new DnsEndPoint(address.Host, address.Port);
        if (ip?.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6 && optional)
        {
            return;
        }

        var listenOptions = (ListenOptions?)null;
        kestrel.Listen(bindTo, listen =>
        {
            listenOptions = listen;
            configure(listen);
            UseHandler(listen, service);
        });
        registry.AddDeferred(() => new BoundEndpoint(
            name, service, address with { Port = ((IPEndPoint)listenOptions!.EndPoint).Port }));
    }

    private static void UseHandler(ListenOptions listen, ServiceKind service)
    {
        switch (service)
        {
            case ServiceKind.Framed:
                listen.UseConnectionHandler<SessionConnectionHandler>();
                break;
            case ServiceKind.UpperEcho:
                listen.UseConnectionHandler<UpperEchoConnectionHandler>();
                break;
            case ServiceKind.LegacyExec:
                listen.UseConnectionHandler<LegacyExecConnectionHandler>();
                break;
            case ServiceKind.LegacyUpload:
                listen.UseConnectionHandler<LegacyUploadConnectionHandler>();
                break;
            default:
                throw new SockitException(SockitErrorCode.InvalidArgument, $"{service} is not served over a stream socket");
        }
    }

    private static void AddUdpEndpoints(IServiceCollection services, SockitServerOptions options, EndpointRegistry registry)
    {
        foreach (var (name, endpoint) in options.Endpoints)
        {
            var address = SockitAddress.Parse(endpoint.Url, AddressScheme.Tcp, 0);
            if (address.Scheme != AddressScheme.Udp)
            {
                continue;
            }

            var service = endpoint.Service;
            services.AddSingleton<IHostedService>(provider => new UdpEndpointService(
                name,
                service,
                address,
                service == ServiceKind.Time
                    ? new TimeDatagramHandler(provider.GetRequiredService<TimeProvider>())
                    : new UpperEchoDatagramHandler(),
                new ReplyRateLimiter(options.Udp, provider.GetRequiredService<TimeProvider>()),
                registry,
                provider.GetRequiredService<ILoggerFactory>().CreateLogger("Sockit.Server.Udp")));
        }
    }
}
