namespace Sockit.Server.Tls;

/// <summary>
/// The certificate a <c>tls://</c> endpoint presents, from <c>Sockit:Tls</c> or an endpoint's own <c>Tls</c>
/// section. Relative paths are relative to the config file's folder, or the current folder without one.
/// </summary>
public sealed class ServerTlsOptions
{
    /// <summary>
    /// The certificate: a PEM file (<c>-----BEGIN CERTIFICATE-----</c>) or a PKCS#12 file (<c>.pfx</c>, <c>.p12</c>).
    /// </summary>
    public string? CertificateFile { get; set; }

    /// <summary>The PEM private key of a PEM certificate; without it the key is looked for in the certificate file.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The password of a PKCS#12 file or of an encrypted PEM key.</summary>
    public string? Password { get; set; }
}
