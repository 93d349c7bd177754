using System.Text;

namespace Sockit.Protocol.Tests.Support;

/// <summary>Frames of different shapes, each built by hand, that every reading strategy must agree on.</summary>
internal static class FrameSamples
{
    public static IReadOnlyList<FrameSample> All { get; } =
    [
        new("time request without body", """{"op":"time","id":1}""", [], "time", 1),
        new("echo with body", """{"op":"echo","id":2,"data_size":5,"upper":true}""", Utf8("hello"), "echo", 2),
        new(
            "python json.dumps with escaped chinese",
            """{"op": "echo", "id": 3, "data_size": 6, "text": "\u4f60\u597d"}""",
            Utf8("你好"),
            "echo",
            3),
        new(
            "raw utf-8 chinese field and unknown op",
            """{"op":"upload","id":4,"file_name":"报告 2024.txt","data_size":12}""",
            Utf8("hello, world"),
            "upload",
            4),
        new(
            "reply without op",
            """{"id":5,"ok":false,"error":"unknown_op","message":"没有这个操作"}""",
            [],
            null,
            5),
        new(
            "body that looks like a frame",
            """{"op":"echo","id":6,"data_size":17}""",
            RawFrames.Frame("""{"op":"time"}"""),
            "echo",
            6),
        new(
            "nested fields named like the known ones",
            """{"meta":{"op":"nope","id":99,"data_size":-1,"list":[{"op":1},[[]]]},"op":"echo","id":7,"data_size":1}""",
            Utf8("x"),
            "echo",
            7),
        new("empty object", "{}", [], null, null),
        new(
            "whitespace everywhere and a negative id",
            "\r\n{ \"op\" :\t\"hello\" ,\n \"id\" : -8 , \"data_size\" : 0 }\n",
            [],
            "hello",
            -8),
        new(
            "binary body with every byte value",
            """{"op":"blob","data_size":256}""",
            Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(),
            "blob",
            null),
    ];

    /// <summary>Every sample's name, for <c>MemberData</c>.</summary>
    public static TheoryData<string> Names => new(All.Select(sample => sample.Name));

    /// <summary>All samples back to back, as one connection would carry them.</summary>
    public static byte[] Stream => RawFrames.Concat([.. All.Select(sample => sample.Bytes)]);

    public static FrameSample Get(string name) => All.Single(sample => sample.Name == name);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
