namespace Sockit.Server.Auth;

/// <summary>Logins and what anonymous connections may do, bound from <c>Sockit:Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>The default of <see cref="AnonymousOps"/>: the tutorials' services.</summary>
    public static readonly IReadOnlyList<string> DefaultAnonymousOps = ["echo", "time"];

    /// <summary>
    /// The accounts file. Default: <c>users.json</c> beside the config file when there is one, else in the server
    /// user's config folder (<c>~/.config/sockit/users.json</c>, as <c>sockit user</c> uses).
    /// </summary>
    public string? UsersFile { get; set; }

    /// <summary>
    /// The operations a connection may use before logging in (<c>auth</c> and <c>whoami</c> always). Default
    /// <c>echo</c> and <c>time</c>. Listing an operation that runs commands or touches files here opens it to anyone
    /// who can connect.
    /// </summary>
    public string[]? AnonymousOps { get; set; }

    /// <summary>
    /// How long a connection may stay without logging in: counted from the connection, and again from each
    /// anonymous request served. Failed logins and refused requests do not extend it.
    /// </summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// On start, create an admin account for the OS user running the server (if missing) and a key file only that
    /// OS user can read, which <c>sockit</c> uses by itself for local endpoints.
    /// </summary>
    public bool LocalLogin { get; set; } = true;

    /// <summary>The account <see cref="LocalLogin"/> uses.</summary>
    public string LocalUser { get; set; } = "admin";

    /// <summary>Where <see cref="LocalLogin"/> writes its key. Default: <c>local-credentials.json</c> in the config folder.</summary>
    public string? LocalCredentialsFile { get; set; }

    /// <summary>
    /// Failed logins answered without delay, counted three ways: per address and user name together, per address, and
    /// per user name (from any address).
    /// </summary>
    public int FreeFailures { get; set; } = 3;

    /// <summary>The delay after the first failure past <see cref="FreeFailures"/>; it doubles with each further one.</summary>
    public TimeSpan FailureDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay before a failed login is answered.</summary>
    public TimeSpan MaxFailureDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// After this many failures as one user name from one address, logins as that name from that address are refused
    /// for <see cref="LockoutDuration"/>. Other addresses can still log in as that name: a name is only ever delayed.
    /// </summary>
    public int LockoutFailures { get; set; } = 10;

    /// <summary>After this many failures from one address, whatever the names, logins from it are refused for <see cref="LockoutDuration"/>.</summary>
    public int AddressLockoutFailures { get; set; } = 20;

    /// <summary>How long a lockout lasts.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures older than this are forgotten.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);
}
