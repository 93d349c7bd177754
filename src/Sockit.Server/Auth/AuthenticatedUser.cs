using Sockit.Server.Accounts;

namespace Sockit.Server.Auth;

/// <summary>Who a connection is logged in as, read from the accounts file when the login succeeded.</summary>
/// <param name="Name">The user name.</param>
/// <param name="Permissions">What the user may do (as of the login: a change applies from the next login).</param>
/// <param name="QuotaBytes">The user's disk quota, if any.</param>
public sealed record AuthenticatedUser(string Name, Permissions Permissions, long? QuotaBytes);
