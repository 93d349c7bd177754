using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;
using Sockit.Protocol.Text;
using Sockit.Server.Sessions;

namespace Sockit.Server.Events;

/// <summary>
/// <c>subscribe</c> and <c>unsubscribe</c>: which server event topics a connection receives. Topics are names of up to
/// 64 characters from <c>a-z 0-9 . _ : -</c>; a connection may hold at most 32.
/// </summary>
internal sealed class SubscribeOperation(string name) : ISockitOperation
{
    /// <summary>The most topics one connection may subscribe to.</summary>
    public const int MaxTopics = 32;

    private const int MaxTopicLength = 64;

    public string Name { get; } = name;

    public long MaxBodyLength => 0;

    public ValueTask ExecuteAsync(SockitRequest request)
    {
        var header = request.Head.Deserialize(SockitJsonContext.Default.SubscribeRequest);
        var topics = header.Topics ?? [];
        if (topics.Count == 0)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"{Name} needs topics, e.g. \"topics\":[\"server\"]");
        }

        foreach (var topic in topics)
        {
            if (!IsTopicName(topic))
            {
                throw new SockitException(
                    SockitErrorCode.InvalidArgument,
                    $"'{UntrustedText.Escape(topic)}' is not a topic: use up to {MaxTopicLength} characters of a-z 0-9 . _ : -");
            }
        }

        var session = request.Session;
        if (Name == Ops.Subscribe)
        {
            if (session.Topics.Union(topics, StringComparer.Ordinal).Count() > MaxTopics)
            {
                throw new SockitException(SockitErrorCode.InvalidArgument, $"a connection may subscribe to at most {MaxTopics} topics");
            }

            session.Subscribe(topics);
        }
        else
        {
            session.Unsubscribe(topics);
        }

        return request.ReplyAsync(
            new SubscribeReply { Op = Name, Id = request.Id, Topics = session.Topics },
            SockitJsonContext.Default.SubscribeReply);
    }

    private static bool IsTopicName(string? topic) =>
        topic is { Length: > 0 and <= MaxTopicLength } && topic.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or ':' or '-');
}
