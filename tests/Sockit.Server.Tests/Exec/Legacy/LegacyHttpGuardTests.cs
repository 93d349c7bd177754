using System.Text;
using Sockit.Server.Exec.Legacy;

namespace Sockit.Server.Tests.Exec.Legacy;

public sealed class LegacyHttpGuardTests
{
    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: 127.0.0.1:8888\r\nContent-Length: 9\r\n\r\nrm -rf ~\n")]
    [InlineData("GET /favicon.ico HTTP/1.1\r\n")]
    [InlineData("GET / HTTP/1.0")]
    [InlineData("echo first\nhost: example.com\n")]
    [InlineData("PUT /x HTTP/1.1\r\nHOST: a\r\n")]
    public void Http_requests_are_told_apart(string received)
    {
        Assert.True(LegacyHttpGuard.LooksLikeHttp(Encoding.UTF8.GetBytes(received)));
    }

    [Theory]
    [InlineData("ls -l")]
    [InlineData("dir")]
    [InlineData("curl -sI http://example.com | grep HTTP/1.1")]
    [InlineData("echo 'GET / HTTP/1.1'; hostname")]
    [InlineData("echo a\nGET / HTTP/1.1")]
    [InlineData("get / HTTP/1.1")]
    [InlineData("")]
    [InlineData("X HTTP/1.1")]
    [InlineData(" HTTP/1.1")]
    public void Commands_are_not_http(string received)
    {
        Assert.False(LegacyHttpGuard.LooksLikeHttp(Encoding.UTF8.GetBytes(received)));
    }
}
