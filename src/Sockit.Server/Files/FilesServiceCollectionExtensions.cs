using Microsoft.Extensions.DependencyInjection;
using Sockit.Protocol.Messages;
using Sockit.Server.Sessions;

namespace Sockit.Server.Files;

/// <summary>Registers the file service: <c>ls</c>, <c>stat</c>, <c>mkdir</c>, <c>rm</c>, <c>mv</c>, <c>df</c>, <c>put</c> and <c>get</c>.</summary>
internal static class FilesServiceCollectionExtensions
{
    public static IServiceCollection AddSockitFiles(this IServiceCollection services, FilesOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<FileService>();
        services.AddSockitOperation<ListOperation>();
        services.AddSockitOperation<PutOperation>();
        services.AddSockitOperation<GetOperation>();
        foreach (var name in new[] { Ops.Stat, Ops.Mkdir, Ops.Rm, Ops.Mv, Ops.Df })
        {
            services.AddSingleton<ISockitOperation>(provider => new PathOperation(name, provider.GetRequiredService<FileService>()));
        }

        return services;
    }
}
