namespace Sockit.Client.Connection;

/// <summary>The names a protocol 2 server lists in its hello's <c>features</c>.</summary>
internal static class ProtocolFeatures
{
    /// <summary>Requests may send <c>part</c> frames before their final reply.</summary>
    public const string Parts = "parts";

    /// <summary>Requests with an <c>id</c> may overlap, up to the hello's <c>max_in_flight</c>.</summary>
    public const string Concurrent = "concurrent";

    /// <summary>Running requests take <c>input</c> and <c>end</c> frames, within the hello's <c>window</c>.</summary>
    public const string Input = "input";

    /// <summary>Running requests can be stopped with a <c>cancel</c> frame.</summary>
    public const string Cancel = "cancel";

    /// <summary>The connection can subscribe to server events.</summary>
    public const string Events = "events";
}
