using Sockit.Server.Accounts;
using Sockit.Server.Sessions;

namespace Sockit.Server.Files;

/// <summary>What every operation of the file service has in common: the <c>files</c> permission and no request body.</summary>
internal abstract class FileOperation(string name) : ISockitOperation
{
    public string Name { get; } = name;

    public virtual long MaxBodyLength => 0;

    public Permissions RequiredPermissions => Permissions.Files;

    public abstract ValueTask ExecuteAsync(SockitRequest request);
}
