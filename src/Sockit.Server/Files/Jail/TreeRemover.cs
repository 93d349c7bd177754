using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Sockit.Server.Files.Jail.JailLibC;

namespace Sockit.Server.Files.Jail;

/// <summary>
/// Removes a folder and everything in it, walking with descriptors: each folder is opened relative to the one above
/// it with no link followed, and each name is removed with <c>unlinkat</c> on that folder's descriptor. A link is
/// removed as a link; what it points to is never reached. The walk keeps its own stack, so depth costs a descriptor
/// and a small buffer a level, never the thread's stack.
/// </summary>
internal static class TreeRemover
{
    /// <summary>Removes the folder <paramref name="name"/> (NUL-terminated) in <paramref name="parent"/>.</summary>
    /// <param name="parent">The folder that holds it.</param>
    /// <param name="name">Its name.</param>
    /// <param name="what">What failed, for error messages.</param>
    /// <param name="beforeFolderOpened">Called just before each folder is opened; tests swap a folder for a link there.</param>
    public static void Remove(SafeFileHandle parent, byte[] name, string what, Action? beforeFolderOpened)
    {
        var stack = new Stack<(DirectoryReader Reader, byte[] Name)>();
        try
        {
            Descend(parent, name);
            while (stack.Count > 0)
            {
                var (reader, folderName) = stack.Peek();
                if (reader.Next() is { } child)
                {
                    // Trying unlink first spares a stat per name: Linux answers EISDIR for a folder, and a link to a
                    // folder is a link, so it goes.
                    if (!RemoveName(reader.Folder, child, 0, what))
                    {
                        Descend(reader.Folder, child);
                    }

                    continue;
                }

                if (reader.StartOverIfAnySeen())
                {
                    continue;
                }

                stack.Pop();
                reader.Dispose();
                var above = stack.Count > 0 ? stack.Peek().Reader.Folder : parent;
                _ = RemoveName(above, folderName, AT_REMOVEDIR, what);
            }
        }
        finally
        {
            foreach (var (reader, _) in stack)
            {
                reader.Dispose();
            }
        }

        void Descend(SafeFileHandle above, byte[] folderName)
        {
            beforeFolderOpened?.Invoke();
            var folder = OpenAt2(above, folderName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, ResolveInside, out var errno);
            if (folder is not null)
            {
                stack.Push((new DirectoryReader(folder, what), folderName));
            }
            else if (errno is ELOOP or ENOTDIR)
            {
                // Swapped for a link or a file since it was seen as a folder: remove that name, never what a link points
                // to. Should it have turned back into a folder meanwhile, the pass over the folder above meets it again.
                _ = RemoveName(above, folderName, 0, what);
            }
            else if (errno != ENOENT)
            {
                throw JailErrors.For(errno, what);
            }
        }
    }

    // Removes a name that may already be gone; false when it is a folder and flags asked for anything else (EISDIR).
    private static bool RemoveName(SafeFileHandle folder, byte[] name, int flags, string what)
    {
        if (UnlinkAt(folder, name, flags) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == EISDIR && flags == 0)
        {
            return false;
        }

        return errno == ENOENT ? true : throw JailErrors.For(errno, what);
    }
}
