namespace Sockit.LoadTest.Client;

/// <summary>The modes that compare variants within one run print their lines and medians the same way.</summary>
internal static class SummaryLines
{
    /// <summary>One line on standard output, numbers formatted the same everywhere.</summary>
    public static void Line(FormattableString text) => Console.Out.WriteLine(FormattableString.Invariant(text));

    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
