using BenchmarkDotNet.Running;

namespace Sockit.Benchmarks;

public static class Program
{
    /// <summary>Any BenchmarkDotNet switch works, e.g. <c>--filter '*' --job short</c> or <c>--inProcess</c>.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
