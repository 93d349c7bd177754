using Microsoft.Extensions.DependencyInjection;

namespace Sockit.Server.Sessions;

/// <summary>Registers operations of the framed protocol.</summary>
public static class SockitOperationServiceCollectionExtensions
{
    /// <summary>
    /// Adds <typeparamref name="TOperation"/> to the operations the server offers (one instance, shared by every
    /// connection: keep per-connection state in <see cref="SockitSession.Features"/>).
    /// </summary>
    public static IServiceCollection AddSockitOperation<TOperation>(this IServiceCollection services)
        where TOperation : class, ISockitOperation
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<ISockitOperation, TOperation>();
        return services;
    }
}
