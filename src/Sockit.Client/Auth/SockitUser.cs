namespace Sockit.Client.Auth;

/// <summary>Who a connection is logged in as.</summary>
/// <param name="Name">The user name.</param>
/// <param name="Permissions">The user's permissions as the server reported them (<c>exec</c>, <c>files</c>, <c>chat</c>, <c>admin</c>).</param>
public sealed record SockitUser(string Name, IReadOnlyList<string> Permissions);
