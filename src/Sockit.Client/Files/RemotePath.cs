namespace Sockit.Client.Files;

/// <summary>
/// Paths on the server as the file service reads them: <c>/</c>-separated and relative to the user's home, which is
/// <c>/</c>. A client keeps its own working folder and resolves <c>.</c> and <c>..</c> here, since the server refuses
/// <c>..</c>.
/// </summary>
public static class RemotePath
{
    /// <summary>
    /// Resolves <paramref name="path"/> against <paramref name="workingFolder"/>: an absolute path (starting with
    /// <c>/</c>) stands alone, a relative one is joined; <c>.</c> and empty names are dropped and <c>..</c> goes up,
    /// never above <c>/</c>. The result starts with <c>/</c>.
    /// </summary>
    public static string Resolve(string workingFolder, string path)
    {
        ArgumentNullException.ThrowIfNull(workingFolder);
        ArgumentNullException.ThrowIfNull(path);
        var names = new List<string>();
        foreach (var name in (path.StartsWith('/') ? path : workingFolder + "/" + path).Split('/'))
        {
            if (name is "" or ".")
            {
                continue;
            }

            if (name == "..")
            {
                if (names.Count > 0)
                {
                    names.RemoveAt(names.Count - 1);
                }

                continue;
            }

            names.Add(name);
        }

        return "/" + string.Join('/', names);
    }

    /// <summary>The last name of <paramref name="path"/> (<c>"b.txt"</c> for <c>/a/b.txt</c>); empty for <c>/</c>.</summary>
    public static string NameOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.TrimEnd('/');
        return trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }
}
