namespace Sockit.Protocol.Errors;

/// <summary>
/// A stable error code, shared by server and client. On the wire it is the <c>error</c> field of a failed reply.
/// </summary>
/// <remarks>
/// Codes are strings so a client can carry codes that a newer server introduces; the well-known ones are
/// the static members of this type and are documented in <c>docs/protocol.md</c>. Never rename one.
/// </remarks>
/// <param name="Value">The code as it appears on the wire, in snake_case.</param>
public readonly record struct SockitErrorCode(string Value)
{
    /// <summary>The 4-byte header length is zero or negative.</summary>
    public static readonly SockitErrorCode InvalidHeaderLength = new("invalid_header_length");

    /// <summary>The 4-byte header length exceeds the server's header limit.</summary>
    public static readonly SockitErrorCode HeaderTooLarge = new("header_too_large");

    /// <summary>The header is not valid UTF-8 JSON.</summary>
    public static readonly SockitErrorCode InvalidHeader = new("invalid_header");

    /// <summary>The header is valid JSON but not an object.</summary>
    public static readonly SockitErrorCode HeaderNotObject = new("header_not_object");

    /// <summary>A header field has the wrong type or an out-of-range value.</summary>
    public static readonly SockitErrorCode InvalidField = new("invalid_field");

    /// <summary>The header's <c>data_size</c> exceeds the limit for the operation.</summary>
    public static readonly SockitErrorCode BodyTooLarge = new("body_too_large");

    /// <summary>The stream ended in the middle of a frame.</summary>
    public static readonly SockitErrorCode TruncatedFrame = new("truncated_frame");

    /// <summary>A request has no <c>op</c> field.</summary>
    public static readonly SockitErrorCode MissingOp = new("missing_op");

    /// <summary>The server does not offer the requested operation.</summary>
    public static readonly SockitErrorCode UnknownOp = new("unknown_op");

    /// <summary>The request is well-formed but one of its arguments is not acceptable to the operation.</summary>
    public static readonly SockitErrorCode InvalidArgument = new("invalid_argument");

    /// <summary>A <c>time</c> request's format contains a directive that is not valid.</summary>
    public static readonly SockitErrorCode InvalidFormat = new("invalid_format");

    /// <summary>The connection sent nothing for longer than the idle timeout.</summary>
    public static readonly SockitErrorCode IdleTimeout = new("idle_timeout");

    /// <summary>A frame was started but its header did not arrive within the header timeout.</summary>
    public static readonly SockitErrorCode HeaderTimeout = new("header_timeout");

    /// <summary>The client read none of its replies for longer than the idle timeout; the server gives up on it.</summary>
    public static readonly SockitErrorCode WriteTimeout = new("write_timeout");

    /// <summary>The server is at its connection limit.</summary>
    public static readonly SockitErrorCode ServerBusy = new("server_busy");

    /// <summary>The server is shutting down.</summary>
    public static readonly SockitErrorCode ShuttingDown = new("shutting_down");

    /// <summary>The server failed while handling the request; the request may be retried.</summary>
    public static readonly SockitErrorCode InternalError = new("internal_error");

    /// <summary>Client side: the server actively refused the connection.</summary>
    public static readonly SockitErrorCode ConnectionRefused = new("connection_refused");

    /// <summary>Client side: the server's host name could not be resolved.</summary>
    public static readonly SockitErrorCode HostNotFound = new("host_not_found");

    /// <summary>Client side: the address could not be parsed.</summary>
    public static readonly SockitErrorCode InvalidAddress = new("invalid_address");

    /// <summary>The peer closed or reset the connection.</summary>
    public static readonly SockitErrorCode ConnectionClosed = new("connection_closed");

    /// <summary>A connect, reply or other deadline passed.</summary>
    public static readonly SockitErrorCode Timeout = new("timeout");

    /// <summary>Any other network failure.</summary>
    public static readonly SockitErrorCode NetworkError = new("network_error");

    /// <summary>The peer sent something that breaks the protocol in a way no other code describes.</summary>
    public static readonly SockitErrorCode ProtocolError = new("protocol_error");

    /// <summary>
    /// A login failed: wrong password, unknown user, or a proof or signature that does not check out. The message
    /// never says which, so a failed attempt reveals nothing about the account.
    /// </summary>
    public static readonly SockitErrorCode AuthFailed = new("auth_failed");

    /// <summary>
    /// Too many failed logins from this address, as this user name or in all: logins from it are refused for a while,
    /// whatever the credentials (other addresses are not affected). Unknown user names are locked out the same way,
    /// so this says nothing about the account either.
    /// </summary>
    public static readonly SockitErrorCode AuthLocked = new("auth_locked");

    /// <summary>The operation needs a login, and this connection has not logged in.</summary>
    public static readonly SockitErrorCode Unauthenticated = new("unauthenticated");

    /// <summary>The logged-in user lacks the permission the operation needs.</summary>
    public static readonly SockitErrorCode Forbidden = new("forbidden");

    /// <summary>A connection that had not logged in stayed past the login deadline, and was closed.</summary>
    public static readonly SockitErrorCode LoginTimeout = new("login_timeout");

    /// <summary>A request reused an <c>id</c> that is still in flight on the connection; the first request runs on.</summary>
    public static readonly SockitErrorCode DuplicateId = new("duplicate_id");

    /// <summary>A request with an <c>id</c> came while the connection already had its limit of requests in flight.</summary>
    public static readonly SockitErrorCode TooManyRequests = new("too_many_requests");

    /// <summary>The request was cancelled: by a <c>cancel</c> frame, or on the client's side by its cancellation token.</summary>
    public static readonly SockitErrorCode Cancelled = new("cancelled");

    /// <summary>A peer sent more body bytes for a request than the other side had granted; the connection is closed.</summary>
    public static readonly SockitErrorCode FlowControl = new("flow_control");

    /// <summary>Something the request names does not exist: a program, a working folder, a file.</summary>
    public static readonly SockitErrorCode NotFound = new("not_found");

    /// <summary>The server cannot do what the request asks on this platform or in this configuration.</summary>
    public static readonly SockitErrorCode NotSupported = new("not_supported");

    // Files in a user's home. The path in a message is the one the client wrote, never the server's own.

    /// <summary>
    /// A path leaves the user's home: a <c>..</c> component, or a symbolic link, mount point or magic link on the way.
    /// Nothing outside the home was touched.
    /// </summary>
    public static readonly SockitErrorCode OutsideHome = new("outside_home");

    /// <summary>The name a request would create or move to is already taken, and the request does not overwrite.</summary>
    public static readonly SockitErrorCode AlreadyExists = new("already_exists");

    /// <summary>A path goes through, or an operation needs, a folder, and that name is something else.</summary>
    public static readonly SockitErrorCode NotAFolder = new("not_a_folder");

    /// <summary>An operation on a file (read, upload, non-recursive delete) named a folder.</summary>
    public static readonly SockitErrorCode IsAFolder = new("is_a_folder");

    /// <summary>A folder that must be empty for the operation (removed alone, or replaced by a move) is not.</summary>
    public static readonly SockitErrorCode NotEmpty = new("not_empty");

    /// <summary>The user's quota, or the server's disk, has no room for what the request would write.</summary>
    public static readonly SockitErrorCode QuotaExceeded = new("quota_exceeded");

    /// <summary>Someone else is using the thing the request names (for instance, another upload of the same file).</summary>
    public static readonly SockitErrorCode Busy = new("busy");

    /// <summary>
    /// A path or a name is not acceptable: control characters, invalid UTF-8, <c>.</c> or <c>..</c> as a name, a name
    /// over 255 bytes, a path over 4,096 bytes or 64 components, or a name reserved for partial uploads.
    /// </summary>
    public static readonly SockitErrorCode InvalidName = new("invalid_name");

    /// <summary>The path names a device, a FIFO or a socket; the server neither opens nor reads those.</summary>
    public static readonly SockitErrorCode SpecialFile = new("special_file");

    /// <summary>The data that arrived does not match the checksum the client announced for it.</summary>
    public static readonly SockitErrorCode ChecksumMismatch = new("checksum_mismatch");

    // TLS, client side: the connection never reaches the framed protocol, so these never travel on the wire.

    /// <summary>Client side: the TLS handshake did not complete (for instance, the server does not speak TLS).</summary>
    public static readonly SockitErrorCode TlsFailed = new("tls_failed");

    /// <summary>
    /// Client side: the server's certificate is not trusted: it does not match the pinned fingerprint, the system
    /// does not trust it (or it names another host), or it is unknown and was not accepted.
    /// </summary>
    public static readonly SockitErrorCode CertificateUntrusted = new("certificate_untrusted");

    /// <summary>Client side: the server's certificate differs from the one the known-hosts file remembers for it.</summary>
    public static readonly SockitErrorCode CertificateChanged = new("certificate_changed");

    /// <summary>Client side: the server's certificate has expired or is not valid yet.</summary>
    public static readonly SockitErrorCode CertificateExpired = new("certificate_expired");

    /// <inheritdoc />
    public override string ToString() => Value;
}
