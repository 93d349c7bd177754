using Sockit.Protocol.Errors;
using Sockit.Protocol.Files;
using Sockit.Protocol.Messages;
using Sockit.Server.Files.Jail;
using Sockit.Server.Sessions;

namespace Sockit.Server.Files;

/// <summary><c>stat</c>, <c>mkdir</c>, <c>rm</c>, <c>mv</c> and <c>df</c>: one path (or two), one reply.</summary>
internal sealed class PathOperation(string name, FileService files) : FileOperation(name)
{
    public override ValueTask ExecuteAsync(SockitRequest request)
    {
        using var home = files.OpenHome(request);
        switch (Name)
        {
            case Ops.Stat:
            {
                var entry = home.Stat(PathOf(request));
                return request.ReplyAsync(new StatReply { Id = request.Id, Entry = FileEntries.ToWire(entry) }, FilesJsonContext.Default.StatReply);
            }

            case Ops.Mkdir:
            {
                var header = request.ReadArguments(FilesJsonContext.Default.PathRequest);
                files.RefuseWhenFull(request, home);
                files.AddUsage(home.UserName, home.CreateFolder(JailPath.Parse(header.Path ?? ""), header.Parents));
                break;
            }

            case Ops.Rm:
            {
                var header = request.ReadArguments(FilesJsonContext.Default.PathRequest);
                var path = JailPath.Parse(header.Path ?? "");
                home.Delete(path, header.Recursive);
                files.ForgetUsage(home.UserName);
                break;
            }

            case Ops.Mv:
            {
                var header = request.ReadArguments(FilesJsonContext.Default.MoveRequest);
                home.Move(JailPath.Parse(Required(header.From, "from")), JailPath.Parse(Required(header.To, "to")), header.Overwrite);
                break;
            }

            default:
            {
                long used = files.Usage(home, recount: true);
                long? quota = request.Session.User?.QuotaBytes;
                return request.ReplyAsync(
                    new DiskUsageReply { Id = request.Id, Quota = quota, Used = used, Free = quota is long q ? Math.Max(0, q - used) : null },
                    FilesJsonContext.Default.DiskUsageReply);
            }
        }

        return request.ReplyAsync(new FileReply { Op = Name, Id = request.Id }, FilesJsonContext.Default.FileReply);
    }

    private static JailPath PathOf(SockitRequest request) =>
        JailPath.Parse(request.ReadArguments(FilesJsonContext.Default.PathRequest).Path ?? "");

    private static string Required(string? value, string field) =>
        value ?? throw new SockitException(SockitErrorCode.InvalidArgument, $"mv needs '{field}'");
}
