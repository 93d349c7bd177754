namespace Sockit.Cli;

/// <summary>
/// Ctrl+C was pressed at a question asked at the terminal. Reported like any other cancellation (exit code 130),
/// though no signal was raised: while a question waits, Ctrl+C arrives as a key.
/// </summary>
internal sealed class PromptCancelledException : OperationCanceledException
{
    public PromptCancelledException()
        : base("the question was cancelled with Ctrl+C")
    {
    }

    public PromptCancelledException(string message)
        : base(message)
    {
    }

    public PromptCancelledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
