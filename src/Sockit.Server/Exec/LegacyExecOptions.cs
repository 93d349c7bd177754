using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Exec;

/// <summary>
/// The listener for the tutorials' own command client (<c>Sockit:Exec:Legacy</c>): a raw command in one
/// <c>recv(1024)</c>, answered with a 4-byte length, a JSON header <c>{"data_size": N}</c> and stdout + stderr. Its
/// clients cannot log in, so it binds only to loopback unless it has an HMAC key for the tutorials' challenge.
/// </summary>
public sealed class LegacyExecOptions : ILegacyListenerOptions
{
    /// <summary>Where to listen (<c>tcp://127.0.0.1:8888</c>), or <see langword="null"/> for no listener (the default).</summary>
    public string? Address { get; set; }

    /// <summary>
    /// The shared key of the tutorials' client-legitimacy check, as text (UTF-8 bytes, as the tutorials' <c>secret_key</c>);
    /// without one only loopback addresses may be bound.
    /// </summary>
    public string? HmacKey { get; set; }

    /// <summary>The challenge's digest: <c>md5</c> (Python's old <c>hmac.new</c> default) or <c>sha256</c>.</summary>
    public string HmacDigest { get; set; } = "md5";

    /// <summary>Most bytes of output one command may return; past it the output is cut and a note added (the header needs the size before the body).</summary>
    public long MaxOutputLength { get; set; } = 256L * 1024 * 1024;
}
