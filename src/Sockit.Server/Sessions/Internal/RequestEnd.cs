namespace Sockit.Server.Sessions.Internal;

/// <summary>How a request ended for its connection: whether the connection goes on, and if not, why.</summary>
/// <param name="Close">Whether the connection must close.</param>
/// <param name="Error">What to tell the client before closing; <see langword="null"/> to close without a frame.</param>
internal readonly record struct RequestEnd(bool Close, Exception? Error)
{
    /// <summary>The connection goes on.</summary>
    public static RequestEnd Continue => default;

    /// <summary>The connection closes without a frame (the reply was cut short; nothing can follow it).</summary>
    public static RequestEnd CloseSilently => new(true, null);

    /// <summary>The connection closes after telling the client about <paramref name="error"/>.</summary>
    public static RequestEnd CloseWith(Exception error) => new(true, error);
}
