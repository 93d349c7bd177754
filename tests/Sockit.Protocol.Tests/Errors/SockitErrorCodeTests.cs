using System.Reflection;
using Sockit.Protocol.Errors;

namespace Sockit.Protocol.Tests.Errors;

public class SockitErrorCodeTests
{
    public static TheoryData<string, string> WellKnownCodes => new()
    {
        { nameof(SockitErrorCode.InvalidHeaderLength), "invalid_header_length" },
        { nameof(SockitErrorCode.HeaderTooLarge), "header_too_large" },
        { nameof(SockitErrorCode.InvalidHeader), "invalid_header" },
        { nameof(SockitErrorCode.HeaderNotObject), "header_not_object" },
        { nameof(SockitErrorCode.InvalidField), "invalid_field" },
        { nameof(SockitErrorCode.BodyTooLarge), "body_too_large" },
        { nameof(SockitErrorCode.TruncatedFrame), "truncated_frame" },
        { nameof(SockitErrorCode.MissingOp), "missing_op" },
        { nameof(SockitErrorCode.UnknownOp), "unknown_op" },
        { nameof(SockitErrorCode.InvalidArgument), "invalid_argument" },
        { nameof(SockitErrorCode.InvalidFormat), "invalid_format" },
        { nameof(SockitErrorCode.IdleTimeout), "idle_timeout" },
        { nameof(SockitErrorCode.HeaderTimeout), "header_timeout" },
        { nameof(SockitErrorCode.WriteTimeout), "write_timeout" },
        { nameof(SockitErrorCode.ServerBusy), "server_busy" },
        { nameof(SockitErrorCode.ShuttingDown), "shutting_down" },
        { nameof(SockitErrorCode.InternalError), "internal_error" },
        { nameof(SockitErrorCode.ConnectionRefused), "connection_refused" },
        { nameof(SockitErrorCode.HostNotFound), "host_not_found" },
        { nameof(SockitErrorCode.InvalidAddress), "invalid_address" },
        { nameof(SockitErrorCode.ConnectionClosed), "connection_closed" },
        { nameof(SockitErrorCode.Timeout), "timeout" },
        { nameof(SockitErrorCode.NetworkError), "network_error" },
        { nameof(SockitErrorCode.ProtocolError), "protocol_error" },
        { nameof(SockitErrorCode.AuthFailed), "auth_failed" },
        { nameof(SockitErrorCode.AuthLocked), "auth_locked" },
        { nameof(SockitErrorCode.Unauthenticated), "unauthenticated" },
        { nameof(SockitErrorCode.Forbidden), "forbidden" },
        { nameof(SockitErrorCode.LoginTimeout), "login_timeout" },
        { nameof(SockitErrorCode.DuplicateId), "duplicate_id" },
        { nameof(SockitErrorCode.TooManyRequests), "too_many_requests" },
        { nameof(SockitErrorCode.Cancelled), "cancelled" },
        { nameof(SockitErrorCode.FlowControl), "flow_control" },
        { nameof(SockitErrorCode.NotFound), "not_found" },
        { nameof(SockitErrorCode.NotSupported), "not_supported" },
        { nameof(SockitErrorCode.OutsideHome), "outside_home" },
        { nameof(SockitErrorCode.AlreadyExists), "already_exists" },
        { nameof(SockitErrorCode.NotAFolder), "not_a_folder" },
        { nameof(SockitErrorCode.IsAFolder), "is_a_folder" },
        { nameof(SockitErrorCode.NotEmpty), "not_empty" },
        { nameof(SockitErrorCode.QuotaExceeded), "quota_exceeded" },
        { nameof(SockitErrorCode.Busy), "busy" },
        { nameof(SockitErrorCode.InvalidName), "invalid_name" },
        { nameof(SockitErrorCode.SpecialFile), "special_file" },
        { nameof(SockitErrorCode.ChecksumMismatch), "checksum_mismatch" },
        { nameof(SockitErrorCode.TlsFailed), "tls_failed" },
        { nameof(SockitErrorCode.CertificateUntrusted), "certificate_untrusted" },
        { nameof(SockitErrorCode.CertificateChanged), "certificate_changed" },
        { nameof(SockitErrorCode.CertificateExpired), "certificate_expired" },
    };

    [Theory]
    [MemberData(nameof(WellKnownCodes))]
    public void Wire_values_never_change(string member, string wire)
    {
        var code = (SockitErrorCode)typeof(SockitErrorCode).GetField(member)!.GetValue(null)!;

        Assert.Equal(wire, code.Value);
        Assert.Equal(wire, code.ToString());
    }

    [Fact]
    public void Every_well_known_code_is_listed_above_and_unique()
    {
        var values = typeof(SockitErrorCode)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(SockitErrorCode))
            .Select(field => ((SockitErrorCode)field.GetValue(null)!).Value)
            .ToList();

        Assert.Equal(WellKnownCodes.Count, values.Count);
        Assert.Equal(values.Count, values.Distinct().Count());
    }

    [Fact]
    public void Codes_compare_by_value_so_unknown_codes_from_a_newer_server_still_work()
    {
        Assert.Equal(SockitErrorCode.IdleTimeout, new SockitErrorCode("idle_timeout"));
        Assert.NotEqual(SockitErrorCode.IdleTimeout, new SockitErrorCode("lease_expired"));
        Assert.Equal("lease_expired", new SockitRemoteException(new SockitErrorCode("lease_expired"), "lease expired", 3).Code.Value);
    }

    [Fact]
    public void Timeout_exceptions_default_to_the_timeout_code()
    {
        Assert.Equal(SockitErrorCode.Timeout, new SockitTimeoutException("late").Code);
        Assert.Equal(SockitErrorCode.HeaderTimeout, new SockitTimeoutException("late", SockitErrorCode.HeaderTimeout).Code);
    }
}
