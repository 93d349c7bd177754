#!/usr/bin/env python3
"""Baseline (b) for the load test: the tutorials' socketserver.ThreadingTCPServer speaking Sockit's framed echo.

One thread per connection, blocking recv/sendall, json and struct from the standard library, nothing else:
the server a reader of the tutorials would write. It greets with a hello frame, then answers
{"op":"echo","id":..,"data_size":N} + body with {"op":"echo","id":..,"ok":true,"data_size":N} + body.

Usage: python3 bench/python_server.py --port 0
Prints "port=N" once listening. Exits when its standard input closes (the load tool holds it open), so it
never outlives the tool that started it.
"""

import argparse
import json
import os
import socketserver
import struct
import sys
import threading

PREFIX = struct.Struct("<i")


def recv_exact(conn, count):
    """recv() may return fewer bytes than asked; loop until count bytes or the peer closed (None)."""
    chunks = []
    while count:
        chunk = conn.recv(count)
        if not chunk:
            return None
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def send_frame(conn, header, body=b""):
    data = json.dumps(header, separators=(",", ":")).encode("utf-8")
    # One sendall per frame, so a reply leaves in one segment and Nagle never holds it back.
    conn.sendall(PREFIX.pack(len(data)) + data + body)


class FramedEchoHandler(socketserver.BaseRequestHandler):
    def handle(self):
        conn = self.request
        try:
            send_frame(conn, {"op": "hello", "ok": True, "server": "python-baseline", "protocol": 1, "ops": ["echo"]})
            while True:
                prefix = recv_exact(conn, 4)
                if prefix is None:
                    return
                (length,) = PREFIX.unpack(prefix)
                raw = recv_exact(conn, length)
                if raw is None:
                    return
                header = json.loads(raw)
                size = header.get("data_size", 0)
                body = recv_exact(conn, size) if size else b""
                if body is None:
                    return
                reply = {"op": "echo", "ok": True, "data_size": len(body)}
                if "id" in header:
                    reply["id"] = header["id"]
                send_frame(conn, reply, body)
        except (ConnectionError, OSError):
            # The load tool closes its connections at the end of a run; that is not an error here.
            return


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The default backlog of 5 would drop SYNs when 64 connections arrive at once; that measures the
    # backlog, not the server.
    request_queue_size = 1024


def watch_parent():
    """Answer "stats" lines (memory is read from /proc by the tool) and exit when stdin closes."""
    for line in sys.stdin:
        if line.strip() == "stats":
            print("stats", flush=True)
    os._exit(0)


def serve(handler, description):
    """Parse --port, listen on loopback with one thread per connection, print "port=N" and serve until the load
    tool closes standard input. Shared with bench/python_exec_server.py."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with Server(("127.0.0.1", args.port), handler) as server:
        print(f"port={server.server_address[1]}", flush=True)
        threading.Thread(target=watch_parent, daemon=True).start()
        server.serve_forever()


if __name__ == "__main__":
    serve(FramedEchoHandler, __doc__.splitlines()[0])
