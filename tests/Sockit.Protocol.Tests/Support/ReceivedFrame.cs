namespace Sockit.Protocol.Tests.Support;

/// <summary>What a reader produced for one frame, in a form that compares by value.</summary>
/// <param name="Op">The head's <c>op</c>.</param>
/// <param name="Id">The head's <c>id</c>.</param>
/// <param name="DataSize">The head's <c>data_size</c>.</param>
/// <param name="Header">The raw header, decoded as UTF-8.</param>
/// <param name="BodyHex">The body bytes, as hex so that binary bodies compare exactly.</param>
internal sealed record ReceivedFrame(string? Op, long? Id, long DataSize, string Header, string BodyHex);
