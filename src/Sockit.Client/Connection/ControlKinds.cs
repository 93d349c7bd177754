namespace Sockit.Client.Connection;

/// <summary>The <c>kind</c> values of the frames a client sends to steer a request in flight.</summary>
internal static class ControlKinds
{
    public const string Input = "input";
    public const string End = "end";
    public const string Cancel = "cancel";
    public const string Window = "window";
}
