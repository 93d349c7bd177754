using Microsoft.Extensions.DependencyInjection;
using Sockit.Server.Sessions;

namespace Sockit.Server.Exec;

/// <summary>Registers remote commands: the <c>exec</c> operation and its limits.</summary>
internal static class ExecServiceCollectionExtensions
{
    public static IServiceCollection AddSockitExec(this IServiceCollection services, ExecOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<ExecLimiter>();
        services.AddSockitOperation<ExecOperation>();
        return services;
    }
}
