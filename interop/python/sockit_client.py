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

A server that speaks protocol 2 (its hello says ``"protocol": 2``) can have
several requests in flight on one connection, answer one request with
several ``"kind": "part"`` frames before the final reply, take more input
for a running request, cancel it, and send events.  :meth:`SockitClient.start`
returns a :class:`Call` for that; frames of other calls met while reading are
kept for them, in queues of bounded length::

    call = client.start("echo", body=b"abc")
    for header, body in call.parts():             # parts, if the op sends any
        ...
    header, body = call.result()                  # the final reply

Remote commands (the ``exec`` operation, for a user with the ``exec``
permission) build on that.  :meth:`SockitClient.exec` returns an
:class:`Execution` whose output streams in as it is written, and
:meth:`SockitClient.run` collects it all, like :func:`subprocess.run`::

    client.login_with_key("alice", key)
    result, out, err = client.run(["ls", "-l", "/tmp"])   # ExecResult, bytes, bytes
    print(result.exit_code, out.decode())

    execution = client.exec("tail -f app.log", timeout_s=60)
    for stream, data in execution.output():       # ("stdout" or "stderr", bytes)
        ...                                       # execution.signal("INT") to stop it
    result = execution.wait()                     # exit_code, signal_name, timed_out, ...

Files in the account's home on the server (the file operations, for a user
with the ``files`` permission) are listed, moved and transferred whole;
``put`` and ``get`` check every byte with SHA-256 and resume a transfer an
earlier one left unfinished::

    for entry in client.ls("/docs"):              # {"name", "type", "size", "mtime", "mode"}
        print(entry["name"], entry["size"])
    client.put("report.pdf", "/docs/report.pdf")  # only a verified file gets its name
    client.get("/docs/report.pdf", "copy.pdf")    # via .copy.pdf.sockit-part, resumable

The tutorials' UDP services are plain datagrams; :func:`udp_request` sends
one and waits for the reply, ignoring datagrams from anyone else.

Run ``python3 sockit_client.py --help`` for the command-line interface.
"""

from __future__ import annotations

import argparse
import base64
import calendar
import hashlib
import hmac
import json
import os
import select
import socket
import struct
import sys
import time as _time
from collections import deque
from typing import (
    Any, Callable, Deque, Dict, Iterable, Iterator, List, Mapping, NamedTuple, Optional,
    Sequence, Tuple, Union,
)

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
    "Call",
    "Execution",
    "ExecResult",
    "EXEC_SIGNALS",
    "FrameDecoder",
    "PARTIAL_SUFFIX",
    "SMALL_FILE_LENGTH",
    "connect",
    "partial_path",
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
MAX_QUEUED_FRAMES = 64  # frames kept for one request (or events) until someone reads them
MAX_INPUT_CHUNK = 64 * 1024  # largest input frame body this client sends
RECEIVE_SIZE = 64 * 1024  # how much one recv() asks for
MIN_WINDOW = 64 * 1024  # the smallest output window a server accepts: one part body
DEFAULT_EXEC_WINDOW = 1024 * 1024  # output credit exec() asks for unless told otherwise
MAX_EXEC_STDIN_BODY = 64 * 1024  # the most standard input an exec request's own body may carry
MAX_TERMINAL_SIZE = 1000  # the most rows or columns of an exec pty
SMALL_FILE_LENGTH = 1024 * 1024  # put() sends a file up to this size whole, in the request itself
TRANSFER_CHUNK = 1024 * 1024  # how much of a file put() reads at a time, and hashing reads
DEFAULT_TRANSFER_WINDOW = 1024 * 1024  # output credit get() asks for: file bytes on their way unread
PARTIAL_SUFFIX = ".sockit-part"  # get() downloads NAME into .NAME.sockit-part beside it
# The signals Execution.signal() can send, by name (numbers differ between systems).
EXEC_SIGNALS = ("INT", "TERM", "HUP", "QUIT", "KILL", "USR1", "USR2", "TSTP", "CONT", "WINCH")

Header = Dict[str, Any]
Frame = Tuple[Header, bytes]


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


class Call:
    """One request with an ``id``, from :meth:`SockitClient.start` until its final reply.

    A protocol-2 server may answer with any number of ``"kind": "part"``
    frames before the final reply (the frame without ``kind``), and frames of
    several calls may interleave on the connection.  The client reads one
    frame at a time; a frame for another call is kept in that call's queue
    until its owner asks for it, so calls can be read in any order::

        download = client.start("download", {"path": "a.txt"})
        for header, body in download.parts():   # the parts, in order
            f.write(body)
        header, body = download.result()         # the final reply

    A final reply with ``ok: false`` (``cancelled`` included) is raised as
    :class:`SockitError` by :meth:`parts` and :meth:`result`.

    A call keeps at most ``max_queued_frames`` (the client's) unread frames.
    When another one arrives, the client gives up on the call: it drops what
    was queued, cancels the request on the server, and the call's
    :meth:`parts` or :meth:`result` raises ``SockitError("queue_full")``.
    """

    def __init__(self, client: "SockitClient", request_id: int, op: Any, window: Optional[int]) -> None:
        self.client = client
        self.id = request_id
        self.op = op
        self.window = window  # output credit asked for: at most this many part bytes unread
        self.input_credit = client.input_window  # input bytes we may still send (hello's window)
        self._frames: Deque[Frame] = deque()  # read off the connection, not yet taken by parts()
        self._answered = False  # its final reply has been read off the connection
        self._final: Optional[Frame] = None  # the final reply, once parts() reached it
        self._error: Optional[SockitError] = None  # why the client gave up on it
        self._input_ended = False
        self._sent_by_send = False  # SockitClient.receive() without an id looks for these

    # -- output: parts and the final reply -------------------------------------

    def parts(self) -> Iterator[Frame]:
        """Yield each part as ``(header, body)`` until the final reply.

        The final reply is then available from :meth:`result`; if it failed,
        its :class:`SockitError` is raised here.  When the request set
        ``window``, taking a part grants the server credit for its body.
        """
        while True:
            header, body = self._next_frame()
            if header.get("kind") != "part":
                self._finish(header, body)
                return
            self._grant_output(len(body))
            yield header, body

    def result(self) -> Frame:
        """Wait for the final reply and return it as ``(header, body)``.

        Parts not taken with :meth:`parts` yet are skipped.  A failed reply
        raises :class:`SockitError` with its ``error`` code.
        """
        for _ in self.parts():
            pass
        assert self._final is not None
        return self._final

    @property
    def done(self) -> bool:
        """True once the final reply has been read from the connection."""
        return self._answered

    def _next_frame(self) -> Frame:
        if self._final is not None:
            return self._final
        while not self._frames:
            if self._error is not None:
                raise self._error
            self.client._read_and_route()
        return self._frames.popleft()

    def _finish(self, header: Header, body: bytes) -> None:
        self._final = (header, body)
        self.client._forget(self)
        _raise_if_failed(header)

    def _grant_output(self, size: int) -> None:
        if self.window is not None and size > 0 and not self._answered:
            self.client._send_control({"kind": "window", "id": self.id, "credit": size})

    # -- called by the client's router -----------------------------------------

    def _deliver(self, header: Header, body: bytes) -> None:
        """A part or the final reply of this call has been read off the connection."""
        if self._answered:
            return  # nothing comes after the final reply; ignore anything that does
        final = header.get("kind") is None
        if final:
            self._answered = True
        if self._error is not None:
            # Given up on: drop it, but keep the server's output credit flowing until the end.
            if final:
                self.client._forget(self)
            else:
                self._grant_output(len(body))
            return
        if not final and len(self._frames) >= self.client.max_queued_frames:
            self._give_up()
            self._grant_output(len(body))
            return
        self._frames.append((header, body))

    def _give_up(self) -> None:
        dropped_bytes = sum(len(body) for _, body in self._frames)
        self._frames.clear()
        self._error = SockitError(
            "queue_full",
            "request %r had more than %d frames waiting to be read; it was cancelled"
            % (self.id, self.client.max_queued_frames),
        )
        self._grant_output(dropped_bytes)
        if "cancel" in self.client.features:
            self.client._send_control({"kind": "cancel", "id": self.id})

    # -- input -----------------------------------------------------------------

    def send_input(self, data: Union[bytes, bytearray, memoryview, str]) -> int:
        """Send ``data`` (a ``str`` as UTF-8) as ``input`` frames for this request.

        At most the input window is sent ahead of the server: when the credit
        is used up, this reads frames (routing them as usual) until the
        server grants more with a ``window`` frame.  Returns the number of
        bytes sent, which is less than ``len(data)`` only when the request
        finished before taking it all (see :meth:`result` for how it ended).
        """
        return self._send_input(data, None)

    def _send_input(
        self,
        data: Union[bytes, bytearray, memoryview, str],
        after_each_frame: Optional[Callable[[], None]],
    ) -> int:
        """:meth:`send_input`, calling ``after_each_frame`` after every frame read while waiting."""
        self.client._require("input")
        if self._input_ended:
            raise ValueError("the input of request %r has already ended" % (self.id,))
        view = memoryview(_to_bytes(data))
        sent = 0
        while sent < len(view):
            while self.input_credit <= 0 and not self._answered and self._error is None:
                self.client._read_and_route()  # wait for a window frame
                if after_each_frame is not None:
                    after_each_frame()
            if self._answered or self._error is not None:
                break  # the request is over: the rest would be discarded
            size = min(len(view) - sent, self.input_credit, MAX_INPUT_CHUNK)
            self.client._send_control({"kind": "input", "id": self.id}, view[sent:sent + size])
            self.input_credit -= size
            sent += size
        return sent

    def end(self) -> None:
        """Tell the server there is no more input for this request."""
        self.client._require("input")
        if not self._input_ended and not self._answered:
            self.client._send_control({"kind": "end", "id": self.id})
        self._input_ended = True

    def cancel(self) -> None:
        """Ask the server to stop this request.

        Its final reply is then ``cancelled`` (raised by :meth:`result`),
        unless it had finished already.  Parts may still arrive before it.
        """
        self.client._require("cancel")
        if not self._answered:
            self.client._send_control({"kind": "cancel", "id": self.id})

    def __repr__(self) -> str:
        return "<Call id=%r op=%r%s>" % (self.id, self.op, " done" if self._answered else "")


# -- remote commands (the exec operation) --------------------------------------


class ExecResult(NamedTuple):
    """How a remote command ended: the fields of the final reply to ``exec``.

    ``exit_code`` is 0 to 255, or None when a signal ended the command; then
    ``signal`` and ``signal_name`` (``"KILL"``) say which.  A shell reports a
    child killed by signal N as exit code 128+N instead.  ``timed_out`` and
    ``cancelled`` say the command was ended by its ``timeout_s`` or by
    :meth:`Execution.cancel`.  ``duration_ms`` runs from start to exit, and
    the three byte counts are the output the server sent and the input it
    gave the command.  ``header`` is the whole reply header, for fields a
    newer server may add.
    """

    exit_code: Optional[int]
    signal: Optional[int]
    signal_name: Optional[str]
    timed_out: bool
    cancelled: bool
    duration_ms: Optional[int]
    stdout_bytes: int
    stderr_bytes: int
    stdin_bytes: int
    header: Header

    @classmethod
    def from_header(cls, header: Header) -> "ExecResult":
        """The result in the final reply ``header`` (absent fields: None, False or 0)."""
        return cls(
            exit_code=header.get("exit_code"),
            signal=header.get("signal"),
            signal_name=header.get("signal_name"),
            timed_out=header.get("timed_out") is True,
            cancelled=header.get("cancelled") is True,
            duration_ms=header.get("duration_ms"),
            stdout_bytes=header.get("stdout_bytes") or 0,
            stderr_bytes=header.get("stderr_bytes") or 0,
            stdin_bytes=header.get("stdin_bytes") or 0,
            header=header,
        )

    @property
    def ok(self) -> bool:
        """True when the command exited with code 0 by itself (no timeout, no cancel)."""
        return self.exit_code == 0 and not self.timed_out and not self.cancelled


Chunk = Tuple[str, bytes]  # ("stdout" or "stderr", bytes of output)


class Execution:
    """A command running on the server, from :meth:`SockitClient.exec` until its final reply.

    Its output arrives as ``(stream, data)`` chunks, ``stream`` being
    ``"stdout"`` or ``"stderr"`` and ``data`` bytes exactly as the command
    wrote them (decoding is up to you)::

        execution = client.exec("make test")
        for stream, data in execution.output():
            (sys.stdout if stream == "stdout" else sys.stderr).buffer.write(data)
        result = execution.wait()        # ExecResult: exit_code, signal, timed_out, ...

    Only the order within one stream is kept: stdout and stderr are separate
    pipes.  A failed reply (``forbidden``, ``not_found``, ...) is raised as
    :class:`SockitError` by :meth:`output` and :meth:`wait`.

    Memory stays bounded: the request carries an output ``window``, and the
    server is granted credit for a chunk only once :meth:`output` has handed
    it to you, so no more than the window waits unread in this client.
    While you do not read, the server stops reading the command's output and
    the command blocks on its next write.

    With ``exec(..., input=True)`` the command's standard input stays open
    for :meth:`write` until :meth:`close_stdin`.  As with pipes to a local
    process, a command that writes more output than the window while you
    only write to it stops reading its input, and :meth:`write` then waits
    until the client's timeout: read the output in between, or use
    :meth:`SockitClient.run`, which does both.

    Used as a context manager, leaving the block cancels a command still
    running and reads its final reply, so the connection can go on.  The
    underlying :class:`Call` is :attr:`call`; use either it or this object
    to read, not both.
    """

    def __init__(self, call: Call, input: bool = False, pty: bool = False) -> None:
        self.call = call
        self.id = call.id
        self.input = input  # stdin stays open for write() until close_stdin()
        self.pty = pty
        self._pending: Deque[Chunk] = deque()  # output read while write() waited, not yet handed out
        self._result: Optional[ExecResult] = None
        self._error: Optional[SockitError] = None  # the failed final reply, raised again on each read

    # -- output and the result --------------------------------------------------

    def output(self) -> Iterator[Chunk]:
        """Yield each chunk of output as ``(stream, data)`` until the command has ended.

        Taking a chunk grants the server credit for it.  The result is then
        available from :meth:`wait` (or :attr:`result`); a failed reply is
        raised here as :class:`SockitError`.
        """
        while True:
            chunk = self._next_chunk()
            if chunk is None:
                return
            yield chunk

    def wait(self) -> ExecResult:
        """Wait for the command to end and return its :class:`ExecResult`.

        Output not taken with :meth:`output` yet is read and discarded (and
        credited, so the command never blocks on it).  A failed reply raises
        :class:`SockitError` with its code.
        """
        while self._next_chunk() is not None:
            pass
        assert self._result is not None
        return self._result

    @property
    def result(self) -> Optional[ExecResult]:
        """The :class:`ExecResult` once :meth:`output` or :meth:`wait` has reached it, else None."""
        return self._result

    @property
    def done(self) -> bool:
        """True once the final reply has been read from the connection (unread output may remain)."""
        return self.call.done

    def _next_chunk(self) -> Optional[Chunk]:
        """The next chunk of output (granting credit for it), or None after the final reply."""
        while True:
            if self._error is not None:
                raise self._error
            if self._pending:
                stream, data = self._pending.popleft()
                self.call._grant_output(len(data))
                return stream, data
            if self._result is not None:
                return None
            header, body = self.call._next_frame()
            if header.get("kind") != "part":
                self._finish(header, body)
                continue
            self.call._grant_output(len(body))
            if body:
                return _stream_of(header), body

    def _finish(self, header: Header, body: bytes) -> None:
        try:
            self.call._finish(header, body)
        except SockitError as ex:
            self._error = ex
            raise
        self._result = ExecResult.from_header(header)

    def _keep_arrived_output(self) -> None:
        """Move parts already read off the connection into :attr:`_pending`, without credit.

        Called while :meth:`write` waits for input credit, so that output
        arriving meanwhile is not limited by the call's frame queue; the
        output window still bounds how many bytes can pile up.
        """
        frames = self.call._frames
        while frames and frames[0][0].get("kind") == "part":
            header, body = frames.popleft()
            if body:
                self._pending.append((_stream_of(header), body))

    def _take_arrived_output(self) -> List[Chunk]:
        """All output read off the connection so far, in order, granting credit for it."""
        self._keep_arrived_output()
        chunks = list(self._pending)
        self._pending.clear()
        self.call._grant_output(sum(len(data) for _, data in chunks))
        return chunks

    # -- standard input ----------------------------------------------------------

    def write(self, data: Union[bytes, bytearray, memoryview, str]) -> int:
        """Send ``data`` (a ``str`` as UTF-8) to the command's standard input.

        Needs ``exec(..., input=True)``.  At most the server's input window
        is sent ahead of what the command has taken; beyond that this waits
        for the server to grant more, keeping any output that arrives
        meanwhile for :meth:`output`.  Returns the number of bytes sent,
        less than ``len(data)`` only when the command ended first.
        """
        if not self.input:
            raise ValueError("write() needs exec(..., input=True): this command's stdin is closed")
        keep = self._keep_arrived_output if self.call.window is not None else None
        return self.call._send_input(data, keep)

    def close_stdin(self) -> None:
        """End the command's standard input (it reads end of file).

        Without ``input=True`` the input ended with the request already, and
        this does nothing.
        """
        if self.input:
            self.call.end()

    # -- steering it ---------------------------------------------------------------

    def resize(self, rows: int, cols: int) -> None:
        """Resize the command's terminal (``pty`` only); the program gets SIGWINCH.

        Does nothing once the command has ended.
        """
        if not self.pty:
            raise ValueError("resize() needs exec(..., pty=True)")
        self._control({"rows": _terminal_size("rows", rows), "cols": _terminal_size("cols", cols)})

    def signal(self, name: Any) -> None:
        """Send a signal to the command's process group.

        ``name`` is one of :data:`EXEC_SIGNALS` (``"INT"``, ``"TERM"``, ...),
        with or without ``SIG``, or a :class:`signal.Signals` member; plain
        numbers are refused, as they differ between systems.  The server
        sends no reply.  Does nothing once the command has ended.
        """
        self._control({"signal": _signal_name(name)})

    def cancel(self) -> None:
        """Ask the server to end the command (its whole process tree).

        The final reply still comes, with ``cancelled`` true in the
        :class:`ExecResult`, unless the command had ended already.  Output
        may still arrive before it.
        """
        self.call.cancel()

    def _control(self, fields: Header) -> None:
        if not self.call.done and self.call._error is None:
            head: Header = {"kind": "control", "id": self.id}
            head.update(fields)
            self.call.client._send_control(head)

    # -- lifetime ------------------------------------------------------------------

    def close(self) -> None:
        """Cancel the command if it is still running and read its final reply.

        Its remaining output is discarded, and so is a failed reply
        (``cancelled``, ...), but not a broken connection.
        """
        if self._result is not None or self._error is not None:
            return
        if not self.call.done and "cancel" in self.call.client.features:
            self.cancel()
        try:
            self.wait()
        except SockitProtocolError:
            raise
        except SockitError:
            pass

    def __enter__(self) -> "Execution":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._result is not None:
            state = " exit_code=%r" % (self._result.exit_code,)
        else:
            state = " failed" if self._error is not None else ""
        return "<Execution id=%r%s>" % (self.id, state)


def _stream_of(header: Header) -> str:
    stream = header.get("stream")
    return stream if isinstance(stream, str) else "stdout"


def _terminal_size(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an integer, not %r" % (name, value))
    if not 1 <= value <= MAX_TERMINAL_SIZE:
        raise ValueError("%s must be 1 to %d, not %d" % (name, MAX_TERMINAL_SIZE, value))
    return value


def _signal_name(sig: Any) -> str:
    name = sig if isinstance(sig, str) else getattr(sig, "name", None)  # signal.Signals.SIGINT
    if not isinstance(name, str):
        raise TypeError("a signal is named, e.g. 'INT' (numbers differ between systems), not %r"
                        % (sig,))
    name = name.upper()
    if name.startswith("SIG"):
        name = name[3:]
    if name not in EXEC_SIGNALS:
        raise ValueError("the server sends only the signals %s, not %r"
                         % (", ".join(EXEC_SIGNALS), sig))
    return name


def _exec_fields(
    command: Union[str, Sequence[str], None],
    argv: Optional[Sequence[str]],
    cwd: Any,
    env: Optional[Mapping[str, Optional[str]]],
    timeout_s: Optional[float],
    pty: bool,
    rows: Optional[int],
    cols: Optional[int],
    term: Optional[str],
) -> Header:
    """The request fields of ``exec``, checked as far as the client can."""
    if command is not None and not isinstance(command, str):
        if argv is not None:
            raise ValueError("give a command or argv, not both")
        command, argv = None, command  # a list in the command's place is an argv
    if (command is None) == (argv is None):
        raise ValueError("give either a command (a shell command line) or argv, not %s"
                         % ("both" if command is not None else "neither"))
    fields: Header = {}
    if command is not None:
        if not command:
            raise ValueError("the command is empty")
        fields["command"] = command
    else:
        if isinstance(argv, (str, bytes)):
            raise TypeError("argv is a list of strings, not %r" % (argv,))
        items = list(argv or ())
        if not items:
            raise ValueError("argv is empty")
        for item in items:
            if not isinstance(item, str):
                raise TypeError("argv items must be strings, not %r" % (item,))
        fields["argv"] = items
    if cwd is not None:
        cwd = os.fspath(cwd)
        if not isinstance(cwd, str):
            raise TypeError("cwd must be a str path, not %r" % (cwd,))
        fields["cwd"] = cwd
    if env is not None:
        changes: Dict[str, Optional[str]] = {}
        for name, value in env.items():
            if not isinstance(name, str) or not (value is None or isinstance(value, str)):
                raise TypeError("env maps names to str values, or to None to remove one; not %r: %r"
                                % (name, value))
            changes[name] = value
        fields["env"] = changes
    if timeout_s is not None:
        if isinstance(timeout_s, bool) or not isinstance(timeout_s, (int, float)):
            raise TypeError("timeout_s must be a number of seconds, not %r" % (timeout_s,))
        if not timeout_s > 0:
            raise ValueError("timeout_s must be more than 0, not %r" % (timeout_s,))
        fields["timeout_s"] = timeout_s
    if pty:
        fields["pty"] = True
        if rows is not None:
            fields["rows"] = _terminal_size("rows", rows)
        if cols is not None:
            fields["cols"] = _terminal_size("cols", cols)
        if term is not None:
            if not isinstance(term, str):
                raise TypeError("term must be a str, not %r" % (term,))
            fields["term"] = term
    elif rows is not None or cols is not None or term is not None:
        raise ValueError("rows, cols and term need pty=True")
    return fields


class SockitClient:
    """One connection to a Sockit framed endpoint.

    Connecting reads the server's hello (available as :attr:`hello`); a server
    at its connection limit answers ``server_busy``, raised as
    :class:`SockitError`.  ``timeout`` (seconds) applies to connecting and to
    every later socket operation.  Pass ``sock`` to use a socket that is
    already connected (a Unix domain socket, or one end of
    ``socket.socketpair()`` in tests) instead of ``host`` and ``port``.

    :meth:`request` sends one request and returns its reply; :meth:`send`
    and :meth:`receive` pipeline several.  On a server that speaks protocol 2,
    :meth:`start` begins a request that can stream parts, take input and be
    cancelled, :meth:`exec` and :meth:`run` run commands on the server, and
    :meth:`subscribe` with :meth:`next_event` receives events;
    frames for other requests met while reading are kept for them (at most
    ``max_queued_frames`` per request, and as many events).

    The client reads the socket only when a caller waits for something, in
    the caller's thread; it is not thread-safe.  Use it as a context manager,
    or call :meth:`close`.
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        timeout: Optional[float] = 10,
        max_header_length: int = MAX_HEADER_LENGTH,
        max_body_length: int = MAX_BODY_LENGTH,
        max_queued_frames: int = MAX_QUEUED_FRAMES,
        sock: Optional[socket.socket] = None,
    ) -> None:
        self.max_header_length = max_header_length
        self.max_body_length = max_body_length
        self.max_queued_frames = max_queued_frames
        self._next_id = 1
        self._decoder = FrameDecoder(max_header_length, max_body_length)
        self._broken: Optional[SockitProtocolError] = None  # the stream is out of step
        self._calls: Dict[int, Call] = {}  # requests whose final reply nobody has taken yet
        self._unclaimed: Deque[Frame] = deque()  # replies to requests written to sock directly
        self._events: Deque[Frame] = deque()
        self._events_dropped = 0
        if sock is None:
            self.sock = socket.create_connection((host, port), timeout=timeout)
            _probe_when_silent(self.sock)
        else:
            self.sock = sock
            self.sock.settimeout(timeout)
        try:
            header, _ = self._receive_frame()
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
        # Protocol 2 (absent from a protocol-1 hello): what the server speaks and its limits.
        self.features = set(header.get("features") or ())
        self.max_in_flight: Optional[int] = header.get("max_in_flight")
        self.input_window: int = header.get("input_window") or 0

    # -- the general request -------------------------------------------------

    def send(self, header: Header, body: bytes = b"") -> int:
        """Send one request without waiting for its reply; return its ``id``.

        An ``id`` is assigned when ``header`` has none.  A header larger than
        the server's ``max_header_length`` is refused here, before sending.
        """
        call = self._start(header, body, None)
        call._sent_by_send = True
        return call.id

    def receive(self, expected_id: Optional[int] = None) -> Tuple[Header, bytes]:
        """Read the reply to request ``expected_id``; raise :class:`SockitError` if it failed.

        For a request sent with :meth:`send`, replies to other requests that
        arrive first are kept for them, and any parts are skipped.  Without
        ``expected_id``, it is the reply to the oldest request sent with
        :meth:`send` and not yet received.  For a frame written to
        :attr:`sock` directly, it is the next reply to such a frame, and with
        ``expected_id`` a successful reply for another request is a protocol
        error.
        """
        if expected_id is None:
            call = next((c for c in self._calls.values() if c._sent_by_send), None)
        else:
            call = self._calls.get(expected_id)
        if call is not None:
            return call.result()
        return self._receive_unclaimed(expected_id)

    def request(self, header: Header, body: bytes = b"") -> Tuple[Header, bytes]:
        """Send ``header`` (naming the ``op``) and ``body``; return the reply ``(header, body)``.

        A failed reply raises :class:`SockitError` with its ``error`` code.
        After a protocol violation (``invalid_header``, ``body_too_large``, ...)
        the server closes the connection.
        """
        call = self._start(header, body, None)
        if call.id is None:  # the caller asked for a request without an id
            return self._receive_unclaimed(None)
        return call.result()

    # -- protocol 2: requests in flight, input, cancel -------------------------

    def start(
        self,
        op: str,
        fields: Optional[Header] = None,
        body: Union[bytes, str] = b"",
        window: Optional[int] = None,
    ) -> Call:
        """Send a request and return its :class:`Call` without waiting for a reply.

        ``fields`` are the operation's own header fields (an ``id`` among them
        is used as is; otherwise one is assigned).  ``window`` asks the server
        to send at most that many bytes of part bodies ahead of what the
        call's :meth:`Call.parts` has taken.  When ``max_in_flight`` requests
        are already waiting for their final reply, this first reads frames
        until one is answered.
        """
        head: Header = {"op": op}
        head.update(fields or {})
        if window is not None:
            self._require("parts")
            if isinstance(window, bool) or not isinstance(window, int) or window < 1:
                raise ValueError("window must be an integer of at least 1, not %r" % (window,))
            head["window"] = window
        return self._start(head, _to_bytes(body), window)

    def _start(self, header: Header, body: bytes, window: Optional[int]) -> Call:
        head = dict(header)
        if "id" not in head:
            while self._next_id in self._calls:
                self._next_id += 1
            head["id"] = self._next_id
            self._next_id += 1
        request_id = head["id"]
        frame = pack_frame(head, body)
        head_length = len(frame) - LENGTH_SIZE - len(body)
        limit = self.hello.get("max_header_length")
        if isinstance(limit, int) and head_length > limit:
            raise SockitError(
                "header_too_large",
                "the request header is %d bytes; the server accepts at most %d"
                % (head_length, limit),
            )
        call = Call(self, request_id, head.get("op"), window)
        if request_id is not None:
            if request_id in self._calls:
                raise SockitError(
                    "duplicate_id", "request %r has not been answered yet" % (request_id,))
            self._wait_for_a_free_slot()
            self._calls[request_id] = call
        self.sock.sendall(frame)
        return call

    def _wait_for_a_free_slot(self) -> None:
        if not isinstance(self.max_in_flight, int):
            return  # a protocol-1 server has no limit
        while sum(1 for c in self._calls.values() if not c.done) >= self.max_in_flight:
            self._read_and_route()

    def _require(self, feature: str) -> None:
        if feature not in self.features:
            raise SockitError(
                "not_supported",
                "the server does not speak %r (its hello lists the features %s)"
                % (feature, sorted(self.features) or "of protocol 1 only"),
            )

    # -- protocol 2: events --------------------------------------------------

    def subscribe(self, topics: Iterable[str]) -> Header:
        """Receive the events of ``topics`` on this connection (see :meth:`next_event`)."""
        header, _ = self.request({"op": "subscribe", "topics": list(topics)})
        return header

    def unsubscribe(self, topics: Iterable[str]) -> Header:
        """Stop receiving the events of ``topics``."""
        header, _ = self.request({"op": "unsubscribe", "topics": list(topics)})
        return header

    def next_event(self, timeout: Optional[float] = None) -> Optional[Frame]:
        """The next event as ``(header, body)``, or None if none arrives within ``timeout``.

        ``timeout`` is in seconds; None means the client's own timeout, and 0
        does not wait: it only looks at what has already arrived.  Events that arrived while other calls were reading are returned
        first.  When more than ``max_queued_frames`` events are waiting, newer
        ones are dropped, and the next one kept says how many in ``dropped``
        (added to any count the server gave), as the server does.
        """
        if timeout is None:
            timeout = self.timeout
        deadline = None if timeout is None else _time.monotonic() + timeout
        while not self._events:
            try:
                self._read_and_route(deadline)
            except socket.timeout:
                return None  # a half-read frame stays in the decoder for the next read
        return self._events.popleft()

    # -- reading and routing frames ------------------------------------------

    @property
    def timeout(self) -> Optional[float]:
        """The socket timeout in seconds (None: wait forever)."""
        return self.sock.gettimeout()

    def _receive_frame(self, deadline: Optional[float] = None) -> Frame:
        """Read the next frame off the connection (the decoder may already hold it).

        ``deadline`` (a ``time.monotonic()`` value) replaces the socket's
        timeout while waiting for data; sending is left with the usual one.
        """
        if self._broken is not None:
            raise self._broken
        try:
            frame = self._decoder.next_frame()
            while frame is None:
                data = self._recv(deadline)
                if not data:
                    raise EOFError(
                        "the server closed the connection in the middle of a frame"
                        if self._decoder.in_frame() else "the server closed the connection")
                self._decoder.feed(data)
                frame = self._decoder.next_frame()
        except SockitProtocolError as ex:
            self._broken = ex
            raise
        return frame

    def _recv(self, deadline: Optional[float]) -> bytes:
        if deadline is None:
            return self.sock.recv(RECEIVE_SIZE)
        remaining = deadline - _time.monotonic()
        if remaining <= 0:
            # Past the deadline: take only what has already arrived, without waiting.
            readable, _, _ = select.select([self.sock], [], [], 0)
            if not readable:
                raise socket.timeout("timed out")
            return self.sock.recv(RECEIVE_SIZE)
        saved = self.sock.gettimeout()
        self.sock.settimeout(remaining)
        try:
            return self.sock.recv(RECEIVE_SIZE)
        finally:
            self.sock.settimeout(saved)

    def _read_and_route(self, deadline: Optional[float] = None) -> None:
        """Read one frame and put it where its reader will look for it.

        Parts and final replies go to their call's queue, events to the event
        queue, ``window`` frames add to their call's input credit.  A failed
        frame with no ``id`` (``shutting_down``, ``idle_timeout``, ...) answers
        no particular request and is raised here, to whoever is reading.
        """
        header, body = self._receive_frame(deadline)
        kind = header.get("kind")
        request_id = header.get("id")
        call = None
        if isinstance(request_id, int) and not isinstance(request_id, bool):
            call = self._calls.get(request_id)

        if kind == "event":
            self._queue_event(header, body)
        elif kind == "window":
            credit = header.get("credit")
            if isinstance(credit, bool) or not isinstance(credit, int) or credit < 0:
                self._broken = SockitProtocolError(
                    "invalid_field", "a window frame's credit must be a non-negative integer, not %r"
                    % (credit,), header)
                raise self._broken
            if call is not None:
                call.input_credit += credit
        elif kind == "part":
            if call is not None:
                call._deliver(header, body)
            # else: a part of a request this client does not know about; skipped
        elif kind is not None:
            pass  # "probe" (the server checking that a half-closed client still reads), or a newer kind; skipped
        elif call is not None:
            call._deliver(header, body)  # the final reply
        elif request_id is None and header.get("ok") is not True:
            raise SockitError(
                str(header.get("error") or "protocol_error"), str(header.get("message") or ""), header)
        elif len(self._unclaimed) >= self.max_queued_frames:
            raise SockitError(
                "queue_full", "more than %d replies to unknown requests are waiting to be read"
                % self.max_queued_frames, header)
        else:
            self._unclaimed.append((header, body))

    def _queue_event(self, header: Header, body: bytes) -> None:
        dropped = header.get("dropped")  # events the server could not queue before this one
        if isinstance(dropped, bool) or not isinstance(dropped, int):
            dropped = 0
        if len(self._events) >= self.max_queued_frames:
            self._events_dropped += 1 + dropped  # no room: drop it, and count it
            return
        if self._events_dropped:
            header = dict(header)
            header["dropped"] = dropped + self._events_dropped
            self._events_dropped = 0
        self._events.append((header, body))

    def _receive_unclaimed(self, expected_id: Optional[int]) -> Frame:
        while not self._unclaimed:
            self._read_and_route()
        header, body = self._unclaimed.popleft()
        _raise_if_failed(header)
        if expected_id is not None and header.get("id") != expected_id:
            raise SockitProtocolError(
                "protocol_error",
                "expected the reply to request %r, got %r" % (expected_id, header.get("id")),
            )
        return header, body

    def _forget(self, call: Call) -> None:
        if self._calls.get(call.id) is call:
            del self._calls[call.id]

    def _send_control(self, header: Header, body: Union[bytes, memoryview] = b"") -> None:
        self.sock.sendall(pack_frame(header, body))

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

    # -- remote commands -----------------------------------------------------

    def exec(
        self,
        command: Union[str, Sequence[str], None] = None,
        argv: Optional[Sequence[str]] = None,
        *,
        cwd: Any = None,
        env: Optional[Mapping[str, Optional[str]]] = None,
        timeout_s: Optional[float] = None,
        stdin: Union[bytes, bytearray, memoryview, str, None] = None,
        input: bool = False,
        pty: bool = False,
        rows: Optional[int] = None,
        cols: Optional[int] = None,
        term: Optional[str] = None,
        window: Optional[int] = DEFAULT_EXEC_WINDOW,
    ) -> Execution:
        """Start a command on the server and return its :class:`Execution` at once.

        Give exactly one of ``command``, a command line for the server's
        shell (``/bin/sh -c`` on Unix), and ``argv``, a program and its
        arguments run without a shell (looked up in the server's ``PATH``).
        A list in ``command``'s place is taken as ``argv``.  The connection
        must be logged in as a user with the ``exec`` permission.

        ``cwd`` is the working folder on the server; ``env`` changes the
        server's environment for the command (``"NAME": "value"`` sets,
        ``"NAME": None`` removes); ``timeout_s`` ends it after that many
        seconds (the server's default otherwise).

        ``stdin`` (bytes, or ``str`` as UTF-8; at most 64 KiB) is sent with
        the request as the start of the command's standard input.  Without
        ``input`` that is all of it; with ``input=True`` it stays open for
        :meth:`Execution.write` until :meth:`Execution.close_stdin`.

        ``pty=True`` runs the command on a pseudo-terminal of ``rows`` by
        ``cols`` (24x80 by default) with ``TERM`` set to ``term``: all its
        output then comes as ``"stdout"``, and :meth:`Execution.resize`
        works.

        ``window`` is the output credit: at most that many bytes of output
        are sent ahead of what :meth:`Execution.output` has taken (at least
        65,536; 1 MiB by default).  None asks for no window: the server then
        sends as fast as the connection allows, and the call's frame queue
        (``max_queued_frames``) is all that bounds what waits unread.

        Arguments the client can tell are wrong raise :class:`ValueError` or
        :class:`TypeError` before anything is sent; the server's refusals
        (``forbidden``, ``not_found``, ``invalid_argument``, ...) are raised
        as :class:`SockitError` when the output or the result is read.
        """
        fields = _exec_fields(command, argv, cwd, env, timeout_s, pty, rows, cols, term)
        if input:
            self._require("input")
            fields["input"] = True
        if window is not None and (isinstance(window, bool) or not isinstance(window, int)
                                   or window < MIN_WINDOW):
            raise ValueError("window must be an integer of at least %d (one part), or None; not %r"
                             % (MIN_WINDOW, window))
        body = b"" if stdin is None else _to_bytes(stdin)
        if len(body) > MAX_EXEC_STDIN_BODY:
            raise ValueError(
                "stdin is %d bytes; a request carries at most %d: use input=True and write() "
                "for more, or run()" % (len(body), MAX_EXEC_STDIN_BODY))
        call = self.start("exec", fields, body, window=window)
        return Execution(call, input=input, pty=pty)

    def run(
        self,
        command: Union[str, Sequence[str], None] = None,
        argv: Optional[Sequence[str]] = None,
        *,
        cwd: Any = None,
        env: Optional[Mapping[str, Optional[str]]] = None,
        timeout_s: Optional[float] = None,
        stdin: Union[bytes, bytearray, memoryview, str, None] = b"",
        pty: bool = False,
        rows: Optional[int] = None,
        cols: Optional[int] = None,
        term: Optional[str] = None,
        window: Optional[int] = DEFAULT_EXEC_WINDOW,
    ) -> Tuple[ExecResult, bytes, bytes]:
        """Run a command on the server to its end; return ``(result, stdout, stderr)``.

        Like :func:`subprocess.run` with both outputs captured: ``stdin``
        (bytes, or ``str`` as UTF-8, of any size) is the command's whole
        standard input, and its stdout and stderr are collected separately
        as bytes (with ``pty``, everything is in stdout).  ``result`` is the
        :class:`ExecResult`; a non-zero exit code is not an error, but a
        failed reply raises :class:`SockitError`.  The other arguments are
        those of :meth:`exec`.

        Both outputs are held in memory until the command ends; for large
        or endless output use :meth:`exec` and read it as it comes.  Input
        and output are interleaved, so a command that writes while it reads
        (``cat``, ``sort``, ...) cannot stall on either.
        """
        data = memoryview(b"" if stdin is None else _to_bytes(stdin))
        first, rest = data[:MAX_EXEC_STDIN_BODY], data[MAX_EXEC_STDIN_BODY:]
        execution = self.exec(
            command, argv, cwd=cwd, env=env, timeout_s=timeout_s, stdin=first,
            input=len(rest) > 0, pty=pty, rows=rows, cols=cols, term=term, window=window)
        out, err = bytearray(), bytearray()

        def collect(chunk: Chunk) -> None:
            (err if chunk[0] == "stderr" else out).extend(chunk[1])

        def take_arrived_output() -> None:
            # While waiting to write, take (and credit) all output that has arrived, so the
            # command never waits for us to read while we wait for it to read.
            for chunk in execution._take_arrived_output():
                collect(chunk)

        try:
            if rest:
                execution.call._send_input(rest, take_arrived_output)
                execution.close_stdin()
            for chunk in execution.output():
                collect(chunk)
            result = execution.wait()
        except BaseException:
            if not execution.done and "cancel" in self.features:
                try:
                    execution.cancel()  # do not leave it running for nobody
                except OSError:
                    pass  # the connection is gone; the error that stopped us says more
            raise
        return result, bytes(out), bytes(err)

    # -- files (the home on the server) ---------------------------------------

    def ls(self, path: str = "/") -> Iterator[Header]:
        """Yield the entries of the remote folder ``path``, in name order (or the one entry of a file).

        An entry is a dict: ``name``, ``type`` (``"file"``, ``"folder"``,
        ``"link"`` or ``"special"``), ``size``, ``mtime`` (UTC, ISO 8601) and
        ``mode`` (octal text).  Entries come as the server streams them, so a
        large folder is never held whole.  Leaving the loop early cancels the
        listing on the server, and the connection can go on.
        """
        call = self.start("ls", {"path": _remote("path", path)})
        try:
            for header, _ in call.parts():
                entries = header.get("entries")
                for entry in entries if isinstance(entries, list) else ():
                    yield entry
        except GeneratorExit:
            self._abandon(call)
            raise

    def stat(self, path: str) -> Header:
        """The entry of the remote file or folder ``path`` (as :meth:`ls` gives them)."""
        header, _ = self.request({"op": "stat", "path": _remote("path", path)})
        return header["entry"]

    def mkdir(self, path: str, parents: bool = False) -> None:
        """Create the remote folder ``path``; with ``parents`` the folders above it too, and an existing one is fine."""
        head: Header = {"op": "mkdir", "path": _remote("path", path)}
        if parents:
            head["parents"] = True
        self.request(head)

    def rm(self, path: str, recursive: bool = False) -> None:
        """Remove a remote file, or with ``recursive`` a folder and everything in it (a folder without it: ``is_a_folder``)."""
        head: Header = {"op": "rm", "path": _remote("path", path)}
        if recursive:
            head["recursive"] = True
        self.request(head)

    def mv(self, src: str, dst: str, overwrite: bool = False) -> None:
        """Rename or move a remote file or folder; a taken ``dst`` is ``already_exists`` unless ``overwrite``."""
        self.request({"op": "mv", "from": _remote("src", src), "to": _remote("dst", dst),
                      "overwrite": bool(overwrite)})

    def df(self) -> Header:
        """The account's quota and its use, in bytes: ``{"quota", "used", "free"}`` (``quota`` and ``free`` None for no quota)."""
        header, _ = self.request({"op": "df"})
        return {"quota": header.get("quota"), "used": header.get("used"), "free": header.get("free")}

    def put(
        self,
        local_path: Any,
        remote_path: str,
        overwrite: bool = False,
        restart: bool = False,
        progress: Optional[Callable[[int], None]] = None,
    ) -> Header:
        """Upload the local file ``local_path`` to ``remote_path``; return the server's reply.

        The file's SHA-256 is computed first; the server checks the bytes it
        got against it before the file takes its name there, so a file under
        its name is always complete.  A file of up to 1 MiB
        (:data:`SMALL_FILE_LENGTH`) goes whole in the request.  A larger one
        streams as input, and resumes what an interrupted upload of the same
        target left: the server says how much it kept and the SHA-256 of it,
        and that is checked against the start of this file first; if they
        differ (or with ``restart``), the upload starts over.  An existing
        ``remote_path`` is ``already_exists`` unless ``overwrite``.
        ``progress`` is called with the bytes of the file done so far.

        The reply carries ``size``, ``sha256`` and ``resumed`` (the bytes an
        earlier upload had sent).  A refusal raises :class:`SockitError`
        (``checksum_mismatch`` when the file changed while it was sent).
        """
        remote = _remote("remote_path", remote_path)
        with open(local_path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            fields: Header = {"path": remote, "size": size, "sha256": _sha256_of(f, size),
                              "mtime": _mtime_of(f)}
            if overwrite:
                fields["overwrite"] = True
            if size <= SMALL_FILE_LENGTH:
                f.seek(0)
                header, _ = self.request(dict(fields, op="put"), f.read(size))
                _report(progress, size)
                return header
            return self._put_streamed(f, fields, size, restart, progress)

    def _put_streamed(
        self, f: Any, fields: Header, size: int, restart: bool, progress: Optional[Callable[[int], None]]
    ) -> Header:
        self._require("input")
        head = dict(fields, input=True)
        if restart:
            head["restart"] = True
        call = self.start("put", head)
        first = next(call.parts(), None)  # the server's offset; a refusal is raised here
        if first is None:
            return call.result()[0]
        offset = first[0].get("offset")
        if (isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= size
                or (offset > 0 and _sha256_of(f, offset) != first[0].get("prefix_sha256"))):
            # The server kept bytes that are not the start of this file (it changed since): start over.
            self._abandon(call)
            if restart:
                raise SockitProtocolError(
                    "protocol_error", "the server resumed an upload it was told to restart", first[0])
            return self._put_streamed(f, fields, size, True, progress)
        f.seek(offset)
        _report(progress, offset)
        sent = offset
        while sent < size:
            chunk = f.read(min(TRANSFER_CHUNK, size - sent))
            if not chunk:
                break  # the file got shorter: the server says so when the input ends
            taken = call.send_input(chunk)
            sent += taken
            if taken < len(chunk):
                break  # the server has answered already (a quota, a wrong size): its reply says why
            _report(progress, sent)
        call.end()
        return call.result()[0]

    def get(
        self,
        remote_path: str,
        local_path: Any,
        overwrite: bool = False,
        progress: Optional[Callable[[int], None]] = None,
    ) -> Header:
        """Download the remote file ``remote_path`` to ``local_path``; return the server's final reply.

        The bytes go to a partial file beside the target,
        ``.NAME.sockit-part`` (:func:`partial_path`); a download that breaks
        off leaves it, and the next ``get`` of the same target asks only for
        the rest.  The SHA-256 of the whole partial must be the server's
        before it is renamed to ``local_path``, with the server's modification
        time; if not, it is removed and ``checksum_mismatch`` raised (download
        again).  A partial longer than
        the remote file (of another version of it) is started over.  An
        existing ``local_path`` is ``already_exists`` unless ``overwrite``.
        ``progress`` is called with the bytes of the file done so far.
        """
        remote = _remote("remote_path", remote_path)
        if not overwrite and os.path.exists(local_path):
            raise SockitError("already_exists", "%s exists; get it with overwrite=True to replace it"
                              % (os.fspath(local_path),))
        partial = partial_path(local_path)
        try:
            try:
                reply, digest, received, mtime = self._download(remote, partial, progress)
            except SockitError as ex:
                kept = os.path.getsize(partial) if os.path.exists(partial) else 0
                if ex.code != "invalid_argument" or kept == 0 or self.stat(remote).get("size", kept) >= kept:
                    raise
                os.remove(partial)  # longer than the file: it was of another version of it
                reply, digest, received, mtime = self._download(remote, partial, progress)
        except BaseException:
            if os.path.exists(partial) and os.path.getsize(partial) == 0:
                os.remove(partial)  # nothing to resume from: leave nothing behind
            raise
        if digest != reply.get("sha256") or received != reply.get("size"):
            os.remove(partial)
            raise SockitError(
                "checksum_mismatch",
                "%s: the downloaded bytes do not match the server's SHA-256; the partial was removed, "
                "download again" % (remote,), reply)
        if not overwrite and os.path.exists(local_path):
            raise SockitError("already_exists", "%s appeared meanwhile; the verified download is kept in %s"
                              % (os.fspath(local_path), partial))
        _keep_mtime(partial, mtime)
        os.replace(partial, local_path)
        return reply

    def _download(
        self, remote: str, partial: str, progress: Optional[Callable[[int], None]]
    ) -> Tuple[Header, str, int, Any]:
        """Append the rest of ``remote`` to ``partial``; the final reply, the SHA-256 of the partial, its length
        and the file's ``mtime`` as the server gave it."""
        mtime = None
        with open(partial, "ab+") as f:
            offset = f.seek(0, os.SEEK_END)
            digest = hashlib.sha256()
            _hash_into(f, offset, digest)
            _report(progress, offset)
            call = self.start("get", {"path": remote, "offset": offset}, window=DEFAULT_TRANSFER_WINDOW)
            received = offset
            first = True
            for header, body in call.parts():
                if first:
                    first = False  # the file's size and mtime, before its bytes
                    mtime = header.get("mtime")
                    continue
                f.write(body)
                digest.update(body)
                received += len(body)
                _report(progress, received)
            reply, _ = call.result()
            f.flush()
            os.fsync(f.fileno())
        return reply, digest.hexdigest(), received, mtime

    def _abandon(self, call: Call) -> None:
        """End ``call`` early, as cancelled or with its input ended, and read its final reply, whatever it says."""
        if not call.done:
            if "cancel" in self.features:
                call.cancel()
            elif "input" in self.features:
                call.end()
        try:
            call.result()
        except SockitError:
            pass

    # -- lifetime ------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (safe to call twice)."""
        self.sock.close()

    def __enter__(self) -> "SockitClient":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def partial_path(local_path: Any) -> str:
    """Where :meth:`SockitClient.get` writes ``local_path`` until it is verified: ``.NAME.sockit-part`` beside it."""
    folder, name = os.path.split(os.path.abspath(os.fspath(local_path)))
    return os.path.join(folder, "." + name + PARTIAL_SUFFIX)


def _remote(what: str, path: Any) -> str:
    if not isinstance(path, str):
        raise TypeError("%s is a remote path, a str, not %r" % (what, path))
    return path


def _report(progress: Optional[Callable[[int], None]], done: int) -> None:
    if progress is not None:
        progress(done)


def _hash_into(f: Any, length: int, digest: Any) -> None:
    """Add the first ``length`` bytes of the open file ``f`` to ``digest``."""
    f.seek(0)
    left = length
    while left > 0:
        chunk = f.read(min(TRANSFER_CHUNK, left))
        if not chunk:
            raise EOFError("the file got shorter while it was read")
        digest.update(chunk)
        left -= len(chunk)


def _sha256_of(f: Any, length: int) -> str:
    """The SHA-256, in hex, of the first ``length`` bytes of the open file ``f``."""
    digest = hashlib.sha256()
    _hash_into(f, length, digest)
    return digest.hexdigest()


def _keep_mtime(path: str, mtime: Any) -> None:
    """Give ``path`` the server's ``mtime`` (UTC, ISO 8601, as ``2026-11-30T14:00:00.123Z``), keeping its access
    time, as an upload gives the server's copy the local time; a time that does not parse is ignored."""
    if not isinstance(mtime, str) or not mtime.endswith("Z"):
        return
    whole, _, fraction = mtime[:-1].partition(".")
    try:
        seconds = calendar.timegm(_time.strptime(whole, "%Y-%m-%dT%H:%M:%S"))
        nanoseconds = int((fraction + "000000000")[:9]) if fraction.isdigit() else 0
        os.utime(path, ns=(os.stat(path).st_atime_ns, seconds * 1_000_000_000 + nanoseconds))
    except (ValueError, OverflowError, OSError):
        pass


def _mtime_of(f: Any) -> str:
    """The open file's modification time, UTC, as ISO 8601 with milliseconds."""
    mtime = os.fstat(f.fileno()).st_mtime
    return _time.strftime("%Y-%m-%dT%H:%M:%S", _time.gmtime(mtime)) + ".%03dZ" % (int(mtime * 1000) % 1000)


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


def _probe_when_silent(sock: socket.socket) -> None:
    """TCP keep-alive as the Sockit server and .NET client set it: a server that vanishes without a FIN or a reset
    (its machine gone, the network cut) is noticed within about two minutes instead of a call waiting for ever."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in (("TCP_KEEPIDLE", 60), ("TCP_KEEPINTVL", 10), ("TCP_KEEPCNT", 5)):
        if hasattr(socket, name):  # Linux names; other systems keep their defaults
            sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)


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
