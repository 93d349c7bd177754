"""A small, standard-library-only Python client for a Sockit server.

It speaks the framed protocol the tutorials build up to: a 4-byte length made
with ``struct.pack("i", ...)``, then a UTF-8 JSON header, then exactly
``data_size`` bytes of body::

    head_data = json.dumps(head).encode("utf-8")
    sock.sendall(struct.pack("i", len(head_data)) + head_data + body)

The server speaks first with a ``hello`` frame.  Every request carries an
``op`` and an ``id``; the reply carries the same ``id`` and ``ok``, and a
failed reply carries ``error`` (a stable code) and ``message``.

Typical use::

    from sockit_client import SockitClient

    with SockitClient("127.0.0.1", 9000) as client:
        print(client.hello["version"])
        print(client.echo("hello", upper=True))   # b'HELLO'
        print(client.time("%H:%M"))              # '14:05'

The tutorials' UDP services are plain datagrams; :func:`udp_request` sends
one and waits for the reply, ignoring datagrams from anyone else.

Run ``python3 sockit_client.py --help`` for the command-line interface.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import socket
import struct
import sys
import time as _time
from typing import Any, Dict, Optional, Tuple, Union

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "LENGTH_FORMAT",
    "MAX_HEADER_LENGTH",
    "MAX_BODY_LENGTH",
    "MAX_DATAGRAM_SIZE",
    "SockitError",
    "SockitProtocolError",
    "SockitClient",
    "connect",
    "recvall",
    "pack_frame",
    "read_frame",
    "udp_request",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9000  # the framed service; raw TCP upper-echo is 9001, UDP time 9002

# The tutorials write struct.pack("i", n).  "<i" is the same 4-byte int32 with
# the byte order and size pinned to what the server reads (little-endian), so
# the client also works on a big-endian machine.
LENGTH_FORMAT = "<i"
LENGTH_SIZE = struct.calcsize(LENGTH_FORMAT)  # 4

MAX_HEADER_LENGTH = 64 * 1024  # largest reply header this client will read
MAX_BODY_LENGTH = 64 * 1024 * 1024  # largest reply body this client will read
MAX_DATAGRAM_SIZE = 65535  # largest UDP datagram, as in tutorial 002

Header = Dict[str, Any]


class SockitError(Exception):
    """A failed reply from the server, or a problem this client detected.

    ``code`` is the stable error code (``"invalid_format"``, ``"unknown_op"``,
    ``"server_busy"``, ...), ``message`` the human-readable text and
    ``header`` the whole reply header when there was one.
    """

    def __init__(self, code: str, message: str = "", header: Optional[Header] = None) -> None:
        super().__init__("{}: {}".format(code, message) if message else code)
        self.code = code
        self.message = message
        self.header = header


class SockitProtocolError(SockitError):
    """The server sent something that is not a valid frame (detected locally).

    The connection cannot be used after this: the byte stream is out of step.
    """


def recvall(sock: socket.socket, length: int) -> bytes:
    """Receive exactly ``length`` bytes, however TCP splits them.

    Raises :class:`EOFError` if the peer closes the connection first, like the
    ``recvall`` in tutorial 002.
    """
    data = bytearray()
    while len(data) < length:
        more = sock.recv(min(length - len(data), 1024 * 1024))
        if not more:
            raise EOFError(
                "was expecting %d bytes but only received %d bytes before the socket closed"
                % (length, len(data))
            )
        data += more
    return bytes(data)


def pack_frame(header: Header, body: bytes = b"") -> bytes:
    """Build one frame: length prefix, JSON header, body.

    ``data_size`` is set from ``body`` (a copy of ``header`` is changed, never
    the caller's dict).
    """
    head = dict(header)
    head["data_size"] = len(body)
    head_data = json.dumps(head, ensure_ascii=False).encode("utf-8")
    return struct.pack(LENGTH_FORMAT, len(head_data)) + head_data + bytes(body)


def _check_head_length(head_length: int, max_header_length: int) -> None:
    if head_length <= 0:
        raise SockitProtocolError(
            "invalid_header_length", "the server announced a %d-byte header" % head_length
        )
    if head_length > max_header_length:
        raise SockitProtocolError(
            "header_too_large",
            "the server announced a %d-byte header; the limit is %d"
            % (head_length, max_header_length),
        )


def _parse_header(head_data: bytes, max_body_length: int) -> Header:
    try:
        head = json.loads(head_data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as ex:
        raise SockitProtocolError(
            "invalid_header", "the reply header is not UTF-8 JSON: %s" % ex
        ) from ex
    if not isinstance(head, dict):
        raise SockitProtocolError(
            "header_not_object", "the reply header is JSON but not an object"
        )

    data_size = head.get("data_size", 0)
    if isinstance(data_size, bool) or not isinstance(data_size, int) or data_size < 0:
        raise SockitProtocolError(
            "invalid_field", "data_size must be a non-negative integer, not %r" % (data_size,)
        )
    if data_size > max_body_length:
        raise SockitProtocolError(
            "body_too_large",
            "the server announced a %d-byte body; the limit is %d" % (data_size, max_body_length),
        )
    return head


def _data_size(head: Header) -> int:
    return head.get("data_size", 0)


def read_frame(
    sock: socket.socket,
    max_header_length: int = MAX_HEADER_LENGTH,
    max_body_length: int = MAX_BODY_LENGTH,
) -> Tuple[Header, bytes]:
    """Read one frame and return ``(header, body)``.

    The header length and ``data_size`` are checked against the limits before
    anything they announce is read or allocated.  Raises
    :class:`SockitProtocolError` for a malformed frame and :class:`EOFError`
    if the connection closes in the middle of one.

    It reads exactly one frame's bytes and no more, so it can be mixed with
    other reads of ``sock``.  A timeout in the middle of a frame loses the
    bytes read so far; :class:`FrameDecoder` does not have that problem.
    """
    data = recvall(sock, LENGTH_SIZE)
    head_length = struct.unpack(LENGTH_FORMAT, data)[0]
    _check_head_length(head_length, max_header_length)
    head = _parse_header(recvall(sock, head_length), max_body_length)
    data_size = _data_size(head)
    body = recvall(sock, data_size) if data_size else b""
    return head, body


class FrameDecoder:
    """Splits a byte stream into frames, whatever pieces it arrives in.

    :func:`read_frame` waits in ``recv`` until a whole frame is there.  The
    decoder works the other way round: hand it whatever ``recv`` returned
    with :meth:`feed`, then take the complete frames out with
    :meth:`next_frame`.  Bytes of a frame that has not fully arrived stay in
    the decoder, so a ``recv`` that times out loses nothing::

        decoder = FrameDecoder()
        decoder.feed(sock.recv(65536))
        frame = decoder.next_frame()     # (header, body), or None: not all there yet

    The same limits as :func:`read_frame` are checked as early: the header
    length as soon as its 4 bytes are in, ``data_size`` as soon as the
    header is.  A malformed frame raises :class:`SockitProtocolError`, after
    which the stream is out of step and the decoder must not be used again.
    """

    def __init__(
        self, max_header_length: int = MAX_HEADER_LENGTH, max_body_length: int = MAX_BODY_LENGTH
    ) -> None:
        self.max_header_length = max_header_length
        self.max_body_length = max_body_length
        self._buffer = bytearray()
        self._header: Optional[Header] = None  # a parsed header whose body is not all in yet

    def feed(self, data: bytes) -> None:
        """Add bytes just received."""
        self._buffer += data

    def next_frame(self) -> Optional[Tuple[Header, bytes]]:
        """The next complete frame as ``(header, body)``, or None if it has not all arrived."""
        if self._header is None:
            if len(self._buffer) < LENGTH_SIZE:
                return None
            head_length = struct.unpack(LENGTH_FORMAT, bytes(self._buffer[:LENGTH_SIZE]))[0]
            _check_head_length(head_length, self.max_header_length)
            if len(self._buffer) < LENGTH_SIZE + head_length:
                return None
            head_data = bytes(self._buffer[LENGTH_SIZE:LENGTH_SIZE + head_length])
            self._header = _parse_header(head_data, self.max_body_length)
            del self._buffer[:LENGTH_SIZE + head_length]

        data_size = _data_size(self._header)
        if len(self._buffer) < data_size:
            return None
        body = bytes(self._buffer[:data_size])
        del self._buffer[:data_size]
        header, self._header = self._header, None
        return header, body

    def in_frame(self) -> bool:
        """True when part of a frame has arrived but not all of it."""
        return self._header is not None or len(self._buffer) > 0


def _raise_if_failed(header: Header) -> None:
    if header.get("ok") is not True:
        raise SockitError(
            str(header.get("error") or "protocol_error"),
            str(header.get("message") or ""),
            header,
        )


def _to_bytes(data: Union[bytes, bytearray, memoryview, str]) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


class SockitClient:
    """One connection to a Sockit framed endpoint.

    Connecting reads the server's hello (available as :attr:`hello`); a server
    at its connection limit answers ``server_busy``, raised as
    :class:`SockitError`.  ``timeout`` (seconds) applies to connecting and to
    every later socket operation.

    Requests are answered in order, so several may be sent before their
    replies are read (:meth:`send` then :meth:`receive`); :meth:`request`
    does both.  Use the client as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        timeout: Optional[float] = 10,
        max_header_length: int = MAX_HEADER_LENGTH,
        max_body_length: int = MAX_BODY_LENGTH,
    ) -> None:
        self.max_header_length = max_header_length
        self.max_body_length = max_body_length
        self._next_id = 1
        self.sock = socket.create_connection((host, port), timeout=timeout)
        try:
            header, _ = read_frame(self.sock, max_header_length, max_body_length)
            _raise_if_failed(header)  # e.g. server_busy
            if header.get("op") != "hello":
                raise SockitProtocolError(
                    "protocol_error", "expected a hello frame, got %r" % (header.get("op"),)
                )
        except BaseException:
            self.sock.close()
            raise
        self.hello: Header = header
        self._nonce_used = False

    # -- the general request -------------------------------------------------

    def send(self, header: Header, body: bytes = b"") -> int:
        """Send one request without waiting for its reply; return its ``id``.

        An ``id`` is assigned when ``header`` has none.  A header larger than
        the server's ``max_header_length`` is refused here, before sending.
        """
        head = dict(header)
        if "id" not in head:
            head["id"] = self._next_id
            self._next_id += 1
        frame = pack_frame(head, body)
        head_length = len(frame) - LENGTH_SIZE - len(body)
        limit = self.hello.get("max_header_length")
        if isinstance(limit, int) and head_length > limit:
            raise SockitError(
                "header_too_large",
                "the request header is %d bytes; the server accepts at most %d"
                % (head_length, limit),
            )
        self.sock.sendall(frame)
        return head["id"]

    def receive(self, expected_id: Optional[int] = None) -> Tuple[Header, bytes]:
        """Read the next reply; raise :class:`SockitError` if it failed.

        With ``expected_id``, a successful reply for another request is a
        protocol error.
        """
        header, body = read_frame(self.sock, self.max_header_length, self.max_body_length)
        _raise_if_failed(header)
        if expected_id is not None and header.get("id") != expected_id:
            raise SockitProtocolError(
                "protocol_error",
                "expected the reply to request %r, got %r" % (expected_id, header.get("id")),
            )
        return header, body

    def request(self, header: Header, body: bytes = b"") -> Tuple[Header, bytes]:
        """Send ``header`` (naming the ``op``) and ``body``; return the reply ``(header, body)``.

        A failed reply raises :class:`SockitError` with its ``error`` code.
        After a protocol violation (``invalid_header``, ``body_too_large``, ...)
        the server closes the connection.
        """
        request_id = self.send(header, body)
        return self.receive(request_id)

    # -- the operations ------------------------------------------------------

    def echo(self, data: Union[bytes, str], upper: bool = False) -> bytes:
        """Echo ``data`` (a ``str`` is sent as UTF-8); with ``upper`` the server upper-cases it."""
        head: Header = {"op": "echo"}
        if upper:
            head["upper"] = True
        _, body = self.request(head, _to_bytes(data))
        return body

    def time(self, fmt: Optional[str] = None) -> str:
        """The server's local time, formatted with strftime ``fmt`` (default ``%Y-%m-%d %X``)."""
        head: Header = {"op": "time"}
        if fmt:
            head["format"] = fmt
        header, _ = self.request(head)
        return str(header["time"])

    # -- logging in ----------------------------------------------------------

    def login_with_key(self, user: str, key: bytes) -> Header:
        """Log in with a key from ``sockit user key``: the tutorials' HMAC challenge, with SHA-256.

        The hello carries a random nonce (base64); the answer is
        ``HMAC-SHA256(key, nonce)`` in hex.  A nonce is good for one attempt:
        a second attempt on the same connection first asks for a fresh one.
        A refusal raises :class:`SockitError` (``auth_failed``, ``auth_locked``).
        """
        nonce = None if self._nonce_used else self.hello.get("nonce")
        if not nonce:
            challenge, _ = self.request({"op": "auth", "mechanism": "HMAC-SHA256"})
            nonce = challenge["nonce"]
        self._nonce_used = True
        answer = hmac.new(key, base64.b64decode(nonce), hashlib.sha256).hexdigest()
        header, _ = self.request(
            {"op": "auth", "mechanism": "HMAC-SHA256", "user": user, "response": answer})
        return header

    def whoami(self) -> Header:
        """Who the connection is logged in as: ``user`` (None when anonymous) and ``permissions``."""
        header, _ = self.request({"op": "whoami"})
        return header

    # -- lifetime ------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (safe to call twice)."""
        self.sock.close()

    def __enter__(self) -> "SockitClient":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def read_key(path: str) -> Tuple[Optional[str], bytes]:
    """Read a key file: the base64 line ``sockit user key`` prints, or the JSON
    ``{"user", "key_id", "key"}`` file that ``sockit user key --out`` and the server's local login write.
    Returns ``(user or None, key)``."""
    with open(path, "r", encoding="utf-8") as f:
        text = f.read().strip()
    if text.startswith("{"):
        data = json.loads(text)
        return data.get("user"), base64.b64decode(data["key"])
    return None, base64.b64decode(text)


def connect(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: Optional[float] = 10,
    **kwargs: Any,
) -> SockitClient:
    """Open a :class:`SockitClient` (same arguments)."""
    return SockitClient(host, port, timeout, **kwargs)


def udp_request(
    host: str,
    port: int,
    data: Union[bytes, str],
    timeout: float = 5,
    sock: Optional[socket.socket] = None,
) -> bytes:
    """Send one datagram to ``(host, port)`` and return the reply datagram.

    Like tutorial 002's client, a datagram from any other address is ignored
    (not mistaken for the reply).  ``timeout`` bounds the whole wait; when it
    passes :class:`socket.timeout` is raised.  Pass ``sock`` to use a socket of
    your own (it is left open); otherwise one is made and closed.
    """
    family, _, _, _, address = socket.getaddrinfo(host, port, 0, socket.SOCK_DGRAM)[0]
    expected = address[:2]
    own = sock is None
    s = socket.socket(family, socket.SOCK_DGRAM) if sock is None else sock
    try:
        s.sendto(_to_bytes(data), address)
        deadline = _time.monotonic() + timeout
        while True:
            remaining = deadline - _time.monotonic()
            if remaining <= 0:
                raise socket.timeout("no reply from %s:%d within %s s" % (host, port, timeout))
            s.settimeout(remaining)
            reply, sender = s.recvfrom(MAX_DATAGRAM_SIZE)
            if sender[:2] == expected:
                return reply
            # message from an unexpected host: not our reply, keep waiting
    finally:
        if own:
            s.close()


# -- command line ------------------------------------------------------------


def _write_body(body: bytes) -> None:
    try:
        print(body.decode("utf-8"))
    except UnicodeDecodeError:
        sys.stdout.buffer.write(body + b"\n")


def main(argv: Optional[list] = None) -> int:
    """The command line: ``python3 sockit_client.py {hello,echo,time,udp-echo,udp-time} ...``."""
    parser = argparse.ArgumentParser(
        description="Sockit client: the framed protocol and the tutorials' UDP services"
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--host", default=DEFAULT_HOST, help="server host (default %(default)s)")
    common.add_argument(
        "-p", "--port", type=int, help="server port (default 9000; udp-time: 9002)"
    )
    common.add_argument("--timeout", type=float, default=10, help="seconds (default %(default)s)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    commands.add_parser("hello", parents=[common], help="print the server's hello")
    echo = commands.add_parser("echo", parents=[common], help="framed echo")
    echo.add_argument("text")
    echo.add_argument("--upper", action="store_true", help="ask the server to upper-case it")
    time_cmd = commands.add_parser("time", parents=[common], help="framed time")
    time_cmd.add_argument(
        "format", nargs="?", default=None, help="strftime format (default %%Y-%%m-%%d %%X)"
    )
    udp_echo = commands.add_parser("udp-echo", parents=[common], help="UDP upper-echo datagram")
    udp_echo.add_argument("text")
    udp_time = commands.add_parser("udp-time", parents=[common], help="UDP time datagram")
    udp_time.add_argument(
        "format", nargs="?", default="", help="strftime format (empty: the default)"
    )

    args = parser.parse_args(argv)
    port = args.port
    if port is None:
        port = 9002 if args.command == "udp-time" else DEFAULT_PORT
    try:
        if args.command == "udp-echo":
            _write_body(udp_request(args.host, port, args.text, args.timeout))
            return 0
        if args.command == "udp-time":
            reply = udp_request(args.host, port, args.format, args.timeout)
            _write_body(reply)
            return 1 if reply.startswith(b"error: ") else 0
        with SockitClient(args.host, port, args.timeout) as client:
            if args.command == "hello":
                print(json.dumps(client.hello, ensure_ascii=False, indent=2))
            elif args.command == "echo":
                _write_body(client.echo(args.text, upper=args.upper))
            else:
                print(client.time(args.format))
        return 0
    except SockitError as ex:
        print("error: %s" % ex, file=sys.stderr)
        return 1
    except (OSError, EOFError) as ex:
        print("error: %s:%d: %s" % (args.host, port, ex), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
