using Sockit.Cli.Commands.Files;

namespace Sockit.Cli.Tests.Commands.Files;

/// <summary>What <c>put -r</c> plans to upload from a folder: its files, what links lead to, and what it passes over.</summary>
public sealed class PutPlannerTests
{
    [Fact]
    public async Task A_link_to_a_file_is_uploaded_as_that_file_and_links_to_folders_or_nothing_are_skipped()
    {
        var folder = Directory.CreateTempSubdirectory("sockit-planner-");
        try
        {
            var tree = Directory.CreateDirectory(Path.Join(folder.FullName, "tree"));
            await File.WriteAllTextAsync(Path.Join(tree.FullName, "plain.txt"), "plain");
            var outside = Path.Join(folder.FullName, "outside.txt");
            await File.WriteAllTextAsync(outside, "longer, outside");
            File.CreateSymbolicLink(Path.Join(tree.FullName, "to-file"), outside);
            File.CreateSymbolicLink(Path.Join(tree.FullName, "to-nothing"), Path.Join(folder.FullName, "missing"));
            Directory.CreateSymbolicLink(Path.Join(tree.FullName, "to-folder"), folder.FullName);

            // Without a destination nothing is asked of the server.
            var plan = await PutPlanner.PlanAsync(null!, ["tree"], null, recursive: true, folder.FullName, "/", CancellationToken.None);

            Assert.Equal(
                [("/tree/plain.txt", 5L), ("/tree/to-file", 15L)],
                plan.Files.Select(file => (file.Target, file.Size)));
            Assert.Equal(2, plan.Skipped.Count);
            Assert.Contains(plan.Skipped, line => line.Contains("to-folder: skipped, a link to a folder", StringComparison.Ordinal));
            Assert.Contains(plan.Skipped, line => line.Contains("to-nothing: skipped, a link to nothing", StringComparison.Ordinal));
            Assert.Empty(plan.Problems);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
