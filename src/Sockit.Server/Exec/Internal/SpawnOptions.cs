namespace Sockit.Server.Exec.Internal;

/// <summary>What to start and how; read once by <see cref="SpawnedProcess.Start(SpawnOptions)"/>.</summary>
internal sealed class SpawnOptions
{
    /// <summary>
    /// The program: a path, or a bare name looked up in this process's <c>PATH</c> (as <c>posix_spawnp</c> does; the
    /// child's <see cref="Environment"/> does not change the search). Also passed as <c>argv[0]</c>.
    /// </summary>
    public required string FileName { get; init; }

    /// <summary>The arguments after <c>argv[0]</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// The child's whole environment, or <see langword="null"/> for a copy of this process's. The copy is taken from
    /// .NET's view, which includes <see cref="System.Environment.SetEnvironmentVariable(string, string)"/> changes that
    /// the native <c>environ</c> does not.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>The child's working directory, or <see langword="null"/> for this process's. Needs glibc 2.29.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// In <see cref="SpawnMode.Pipes"/> mode, stdin is <c>/dev/null</c> and <see cref="SpawnedProcess.StandardInput"/>
    /// is <see langword="null"/>: for a command that gets no input, this saves a socket pair (two descriptors and a
    /// socket object) per command.
    /// </summary>
    public bool NoStandardInput { get; init; }

    /// <summary>Pipes or a pseudo-terminal.</summary>
    public SpawnMode Mode { get; init; } = SpawnMode.Pipes;

    /// <summary>The terminal size in <see cref="SpawnMode.Pty"/> mode; ignored for pipes.</summary>
    public WindowSize WindowSize { get; init; } = new(24, 80);
}
