using System.Globalization;
using Microsoft.Extensions.Configuration;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Server.Files.Jail;
using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Hosting;

/// <summary>Builds the server's configuration from its sources and reads the options out of it.</summary>
internal static class ServerConfiguration
{
    /// <summary>The prefix of environment variables the server reads, e.g. <c>SOCKIT_Sockit__MaxConnections</c>.</summary>
    public const string EnvironmentPrefix = "SOCKIT_";

    public static IConfigurationRoot Build(SockitServerSettings settings)
    {
        var builder = new ConfigurationBuilder();
        if (settings.ConfigFile is { } file)
        {
            var path = Path.GetFullPath(file);
            if (!File.Exists(path))
            {
                throw new SockitException(SockitErrorCode.InvalidArgument, $"config file not found: {path}");
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        if (settings.UseEnvironment)
        {
            builder.AddEnvironmentVariables(EnvironmentPrefix);
        }

        builder.AddInMemoryCollection(settings.Overrides);
        if (settings.LogLevel is { } level)
        {
            // The explicit level wins over any Logging:LogLevel:Default a file or the environment set.
            builder.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = level.ToString() });
        }

        IConfigurationRoot configured;
        try
        {
            configured = builder.Build();
        }
        catch (InvalidDataException ex)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"cannot read the config file: {ex.Message}", ex);
        }

        // The embedded endpoints apply only when no source names any: a config that lists endpoints gets exactly those.
        if (configured.GetSection($"{SockitServerOptions.SectionName}:Endpoints").GetChildren().Any())
        {
            return configured;
        }

        return new ConfigurationBuilder()
            .AddInMemoryCollection(DefaultConfiguration.Values)
            .AddConfiguration(configured)
            .Build();
    }

    /// <summary>Binds the options; endpoints given with <c>--listen</c> replace every configured one.</summary>
    public static SockitServerOptions ReadOptions(IConfiguration configuration, SockitServerSettings settings)
    {
        var options = new SockitServerOptions();
        try
        {
            configuration.GetSection(SockitServerOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"bad configuration: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        if (settings.Listen.Count > 0)
        {
            options.Endpoints.Clear();
            foreach (var (name, endpoint) in ParseListen(settings.Listen))
            {
                options.Endpoints[name] = endpoint;
            }
        }

        Validate(options);
        return options;
    }

    private static void Validate(SockitServerOptions options)
    {
        static void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new SockitException(SockitErrorCode.InvalidArgument, "bad configuration: " + message);
            }
        }

        Require(options.MaxConnections > 0, "Sockit:MaxConnections must be at least 1");
        Require(options.MaxConnectionsPerAddress >= 0, "Sockit:MaxConnectionsPerAddress must not be negative (0 for no limit)");
        Require(options.MaxHeaderLength is > 0 and <= 16 * 1024 * 1024, "Sockit:MaxHeaderLength must be between 1 and 16777216");
        Require(options.MaxBodyLength >= 0, "Sockit:MaxBodyLength must not be negative");
        Require(options.MaxEchoBodyLength >= 0 && options.MaxEchoBodyLength <= int.MaxValue, "Sockit:MaxEchoBodyLength must be between 0 and 2147483647");
        Require(IsTimeout(options.IdleTimeout), "Sockit:IdleTimeout must be positive (or -00:00:00.001 for none)");
        Require(options.MaxRequestsInFlight is >= 1 and <= 65536, "Sockit:MaxRequestsInFlight must be between 1 and 65536");
        Require(options.InputWindow is >= 65536 and <= 64 * 1024 * 1024, "Sockit:InputWindow must be between 65536 and 67108864 bytes");
        Require(IsTimeout(options.WriteTimeout), "Sockit:WriteTimeout must be positive (or -00:00:00.001 for none)");
        Require(IsTimeout(options.HeaderTimeout), "Sockit:HeaderTimeout must be positive (or -00:00:00.001 for none)");
        Require(options.ShutdownTimeout >= TimeSpan.Zero, "Sockit:ShutdownTimeout must not be negative");
        Require(options.Endpoints.Count > 0, "no endpoints are configured");
        var auth = options.Auth;
        Require(auth.LoginTimeout > TimeSpan.Zero || auth.LoginTimeout == Timeout.InfiniteTimeSpan, "Sockit:Auth:LoginTimeout must be positive (or -00:00:00.001 for none)");
        Require(auth.FreeFailures >= 0, "Sockit:Auth:FreeFailures must not be negative");
        Require(auth.LockoutFailures > 0, "Sockit:Auth:LockoutFailures must be at least 1");
        Require(auth.AddressLockoutFailures > 0, "Sockit:Auth:AddressLockoutFailures must be at least 1");
        Require(auth.FailureDelay >= TimeSpan.Zero && auth.MaxFailureDelay >= TimeSpan.Zero, "Sockit:Auth:FailureDelay and MaxFailureDelay must not be negative");
        Require(auth.LockoutDuration >= TimeSpan.Zero && auth.FailureWindow > TimeSpan.Zero, "Sockit:Auth:LockoutDuration must not be negative and FailureWindow must be positive");
        Require(!string.IsNullOrWhiteSpace(auth.LocalUser), "Sockit:Auth:LocalUser must name an account");
        var exec = options.Exec;
        Require(exec.DefaultTimeout > TimeSpan.Zero && exec.MaxTimeout >= exec.DefaultTimeout && exec.MaxTimeout.TotalDays <= 24, "Sockit:Exec:DefaultTimeout must be positive and at most Sockit:Exec:MaxTimeout, itself at most 24 days");
        Require(exec.MaxRunning >= 1 && exec.MaxRunningPerUser >= 1, "Sockit:Exec:MaxRunning and MaxRunningPerUser must be at least 1");
        Require(exec.KillGrace >= TimeSpan.Zero && exec.KillGrace <= TimeSpan.FromMinutes(1), "Sockit:Exec:KillGrace must be from 0 to 1 minute");
        Require(!string.IsNullOrWhiteSpace(exec.Shell), "Sockit:Exec:Shell must name a shell");
        Require(exec.Legacy.MaxOutputLength >= 1024, "Sockit:Exec:Legacy:MaxOutputLength must be at least 1024");
        Require(options.Files.MaxWholeUploadLength is >= 0 and <= 64 * 1024 * 1024, "Sockit:Files:MaxWholeUploadLength must be from 0 to 64 MiB");
        Require(options.Files.MaxTransfers is >= 1 and <= 1_000_000, "Sockit:Files:MaxTransfers must be from 1 to 1,000,000");
        Require(options.Files.MaxTransfersPerUser is >= 1 and <= 1_000_000, "Sockit:Files:MaxTransfersPerUser must be from 1 to 1,000,000");
        Require(options.Files.UploadWindow is >= 64 * 1024 and <= 64 * 1024 * 1024, "Sockit:Files:UploadWindow must be from 64 KiB to 64 MiB");
        Require(options.Files.UploadWindowBudget >= 0, "Sockit:Files:UploadWindowBudget must not be negative");
        var upload = options.Files.Legacy;
        Require(upload.MaxFileSize >= 0, "Sockit:Files:Legacy:MaxFileSize must not be negative");
        var folder = upload.ResolveFolder(options.Files);
        Require(
            Path.GetDirectoryName(folder) is not null && JailPath.IsValidName(Path.GetFileName(folder)),
            $"Sockit:Files:Legacy:Folder must be a folder below the root, whose own name is a valid file name, not {folder}");
        foreach (var (listener, legacy) in new (LegacyListener, ILegacyListenerOptions)[] { (LegacyListener.Exec, exec.Legacy), (LegacyListener.Upload, upload) })
        {
            Require(legacy.HmacDigest is "md5" or "sha256", $"{listener.Section}:HmacDigest must be md5 or sha256");
            if (LegacyListener.IsConfigured(legacy))
            {
                listener.Parse(legacy);
            }
        }

        var udp = options.Udp;
        Require(udp.RepliesPerSecond >= 0 && double.IsFinite(udp.RepliesPerSecond), "Sockit:Udp:RepliesPerSecond must not be negative (0 for no limit)");
        Require(udp.ReplyBurst >= 1, "Sockit:Udp:ReplyBurst must be at least 1");
        Require(udp.MaxTrackedSources >= 1, "Sockit:Udp:MaxTrackedSources must be at least 1");
        foreach (var (name, endpoint) in options.Endpoints)
        {
            if (!SockitAddress.TryParse(endpoint.Url, AddressScheme.Tcp, 0, out var address, out var error))
            {
                throw new SockitException(SockitErrorCode.InvalidAddress, $"endpoint '{name}': {error}");
            }

            bool fits = (address.Scheme, endpoint.Service) switch
            {
                (AddressScheme.Udp, ServiceKind.Framed) => false,
                (AddressScheme.Tcp or AddressScheme.Tls or AddressScheme.Unix, ServiceKind.Time) => false,
                _ => true,
            };
            Require(fits, $"endpoint '{name}': {endpoint.Service} cannot be served over {address.Scheme}");
            Require(
                endpoint.Service != ServiceKind.LegacyExec,
                $"endpoint '{name}': the legacy command listener is set with Sockit:Exec:Legacy:Address (serve --legacy-exec), not as an endpoint");
            Require(
                endpoint.Service != ServiceKind.LegacyUpload,
                $"endpoint '{name}': the legacy upload listener is set with Sockit:Files:Legacy:Address (serve --legacy-upload), not as an endpoint");
        }
    }

    private static bool IsTimeout(TimeSpan value) => value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan;

    private static Dictionary<string, EndpointOptions> ParseListen(IReadOnlyList<string> listen)
    {
        var endpoints = new Dictionary<string, EndpointOptions>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < listen.Count; i++)
        {
            var item = listen[i];
            int equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !Enum.TryParse<ServiceKind>(item[..equals].Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var service))
            {
                throw new SockitException(
                    SockitErrorCode.InvalidArgument,
                    $"--listen '{item}' must be SERVICE=URL with SERVICE one of framed, upper-echo, time");
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"{item[..equals].ToLowerInvariant()}-{i + 1}");
            endpoints[name] = new EndpointOptions { Url = item[(equals + 1)..], Service = service };
        }

        return endpoints;
    }
}
