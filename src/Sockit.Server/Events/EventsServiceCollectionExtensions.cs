using Microsoft.Extensions.DependencyInjection;
using Sockit.Protocol.Messages;
using Sockit.Server.Sessions;

namespace Sockit.Server.Events;

/// <summary>Registers server events: the <c>subscribe</c> and <c>unsubscribe</c> operations.</summary>
internal static class EventsServiceCollectionExtensions
{
    public static IServiceCollection AddSockitEvents(this IServiceCollection services)
    {
        services.AddSingleton<ISockitOperation>(new SubscribeOperation(Ops.Subscribe));
        services.AddSingleton<ISockitOperation>(new SubscribeOperation(Ops.Unsubscribe));
        return services;
    }
}
