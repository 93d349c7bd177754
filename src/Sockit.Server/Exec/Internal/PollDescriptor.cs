using System.Runtime.InteropServices;

namespace Sockit.Server.Exec.Internal;

/// <summary>One <c>struct pollfd</c>: the descriptor, the events asked for, and those the kernel reports.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollDescriptor
{
    public int Descriptor;
    public short Events;
    public short ReturnedEvents;
}
