using System.Text.Json.Serialization;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>What a <c>test-stream</c> request asks its operation to do.</summary>
internal sealed class StreamRequest
{
    /// <summary>Names the request for the probe; its <c>id</c> (as text) when absent.</summary>
    public string? Tag { get; set; }

    /// <summary>How many parts to send before anything else.</summary>
    public int Parts { get; set; }

    /// <summary>The body size of each of those parts (at most 64 KiB).</summary>
    public int PartSize { get; set; }

    /// <summary>Whether to read the input after the parts and send each chunk back as a part.</summary>
    public bool EchoInput { get; set; }

    /// <summary>The buffer size for each read of the input.</summary>
    public int ReadSize { get; set; } = 64 * 1024;

    /// <summary>
    /// Whether the operation waits for the test's gates: <c>tag/i</c> before part <c>i</c>, <c>tag/input</c> before it
    /// reads the input, <c>tag/end</c> before its final reply.
    /// </summary>
    public bool Gated { get; set; }

    /// <summary>Whether the operation first yields its thread, so it goes on beside the connection's loop.</summary>
    public bool Yield { get; set; }

    /// <summary>Throw an <see cref="IOException"/> of its own, as a failing disk would, instead of the final reply.</summary>
    public bool FailIo { get; set; }
}

/// <summary>An intermediate frame of <c>test-stream</c>.</summary>
internal sealed class StreamPart
{
    public string Kind { get; set; } = "part";

    public string Op { get; set; } = "";

    public long? Id { get; set; }

    /// <summary>The part's number among the generated parts, or among the input echoes.</summary>
    public int Seq { get; set; }

    /// <summary><c>gen</c> for a generated part, <c>input</c> for a chunk of input sent back.</summary>
    public string Source { get; set; } = "";

    public long DataSize { get; set; }
}

/// <summary>The final reply of <c>test-stream</c>.</summary>
internal sealed class StreamReply
{
    public string Op { get; set; } = "";

    public long? Id { get; set; }

    public bool Ok { get; set; } = true;

    public int Parts { get; set; }

    public long InputBytes { get; set; }

    public long BodyBytes { get; set; }
}

/// <summary>Any frame a server sends, with every field these tests look at; absent fields stay null.</summary>
internal sealed class WireFrame
{
    public string? Kind { get; set; }

    public string? Op { get; set; }

    public long? Id { get; set; }

    public bool? Ok { get; set; }

    public string? Error { get; set; }

    public string? Message { get; set; }

    public int? Seq { get; set; }

    public string? Source { get; set; }

    public long? Credit { get; set; }

    public string? Topic { get; set; }

    public string? Event { get; set; }

    public long? GraceMs { get; set; }

    public long? Dropped { get; set; }

    public IReadOnlyList<string>? Topics { get; set; }

    public int? Parts { get; set; }

    public long? InputBytes { get; set; }

    public long? BodyBytes { get; set; }

    public long? DataSize { get; set; }

    /// <summary>An <c>exec</c> part's stream: <c>stdout</c> or <c>stderr</c>.</summary>
    public string? Stream { get; set; }

    /// <summary>An <c>exec</c> reply's exit code.</summary>
    public int? ExitCode { get; set; }

    /// <summary>An <c>exec</c> reply's signal.</summary>
    public int? Signal { get; set; }

    /// <summary>Whether an <c>exec</c> reply says the command timed out.</summary>
    public bool? TimedOut { get; set; }

    /// <summary>Whether an <c>exec</c> reply says the command was cancelled.</summary>
    public bool? Cancelled { get; set; }

    public override string ToString() =>
        $"kind={Kind} op={Op} id={Id} ok={Ok} error={Error} seq={Seq} source={Source} credit={Credit} event={Event}";
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StreamRequest))]
[JsonSerializable(typeof(StreamPart))]
[JsonSerializable(typeof(StreamReply))]
[JsonSerializable(typeof(WireFrame))]
internal sealed partial class SessionsJsonContext : JsonSerializerContext;
