using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sockit.Protocol.Errors;

namespace Sockit.Server.Tls;

/// <summary>Loads the certificate a TLS endpoint presents, failing with one line that names the file and the setting.</summary>
internal static class ServerCertificateLoader
{
    /// <summary>Loads the certificate and its private key.</summary>
    /// <param name="options">The TLS settings in force for the endpoint.</param>
    /// <param name="setting">The configuration key that named the certificate, for messages.</param>
    /// <param name="baseDirectory">What relative paths are relative to.</param>
    /// <exception cref="SockitException">With <see cref="SockitErrorCode.InvalidArgument"/>.</exception>
    public static X509Certificate2 Load(ServerTlsOptions options, string setting, string baseDirectory)
    {
        var certificatePath = Path.GetFullPath(options.CertificateFile!, baseDirectory);
        var keyPath = string.IsNullOrEmpty(options.KeyFile) ? null : Path.GetFullPath(options.KeyFile, baseDirectory);
        RequireFile(certificatePath, setting);
        if (keyPath is not null)
        {
            RequireFile(keyPath, setting.Replace("CertificateFile", "KeyFile", StringComparison.Ordinal));
        }

        X509Certificate2 certificate;
        try
        {
            certificate = IsPkcs12(certificatePath)
                ? X509CertificateLoader.LoadPkcs12FromFile(certificatePath, options.Password)
                : LoadPem(certificatePath, keyPath, options.Password);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new SockitException(
                SockitErrorCode.InvalidArgument,
                $"cannot load the TLS certificate {certificatePath} ({setting}): {ex.Message.TrimEnd('.')}",
                ex);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new SockitException(
                SockitErrorCode.InvalidArgument,
                $"the TLS certificate {certificatePath} ({setting}) has no private key; name its key file in KeyFile");
        }

        return certificate;
    }

    private static X509Certificate2 LoadPem(string certificatePath, string? keyPath, string? password)
    {
        var certificate = string.IsNullOrEmpty(password)
            ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, keyPath);
        if (!OperatingSystem.IsWindows())
        {
            return certificate;
        }

        // Windows' TLS stack cannot use the ephemeral key a PEM import gives; a PKCS#12 round trip persists it.
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }

    private static bool IsPkcs12(string path)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // Anything else is PEM if it reads as PEM; DER-encoded PKCS#12 files start with a binary SEQUENCE tag.
        using var reader = new StreamReader(path);
        var buffer = new char[4096];
        int read = reader.ReadBlock(buffer);
        return !new string(buffer, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
    }

    private static void RequireFile(string path, string setting)
    {
        if (!File.Exists(path))
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"TLS file not found: {path} ({setting})");
        }
    }
}
