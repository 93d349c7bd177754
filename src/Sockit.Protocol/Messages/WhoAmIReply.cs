namespace Sockit.Protocol.Messages;

/// <summary>Who the connection is logged in as.</summary>
public sealed class WhoAmIReply
{
    /// <summary>Always <c>whoami</c>.</summary>
    public string Op { get; set; } = Ops.WhoAmI;

    /// <summary>The request's id, when it had one.</summary>
    public long? Id { get; set; }

    /// <summary>Always <see langword="true"/>.</summary>
    public bool Ok { get; set; } = true;

    /// <summary>The user name, or <see langword="null"/> for an anonymous connection.</summary>
    public string? User { get; set; }

    /// <summary>The user's permissions; empty when anonymous.</summary>
    public IReadOnlyList<string> Permissions { get; set; } = [];

    /// <summary>The operations this connection may use without logging in.</summary>
    public IReadOnlyList<string> AnonymousOps { get; set; } = [];
}
