namespace Sockit.Server.Exec.Internal;

/// <summary>A terminal's size in character cells, as <c>stty size</c> and full-screen programs see it.</summary>
/// <param name="Rows">Lines of text.</param>
/// <param name="Columns">Characters per line.</param>
internal readonly record struct WindowSize(ushort Rows, ushort Columns);
