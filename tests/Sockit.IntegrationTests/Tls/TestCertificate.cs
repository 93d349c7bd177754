using System.Security.Cryptography.X509Certificates;

namespace Sockit.IntegrationTests.Tls;

/// <summary>A certificate written for a test: its files, its fingerprint and its public part.</summary>
public sealed record TestCertificate(string CertificateFile, string KeyFile, string Fingerprint, X509Certificate2 Certificate);
