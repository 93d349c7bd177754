#!/usr/bin/env python3
"""Baseline for the file benchmark: the tutorials' file upload (seed 003), both halves, in their style.

The sender does what the tutorial prints: the file's MD5 first, then struct.pack("i") with the length of a JSON
header holding file_name, file_size and md5, the header, and the bytes with sendall. The receiver is the half a
reader of the tutorial writes next: socketserver, the header, then recv() in a loop into the file, hashing as it
goes, and the MD5 checked at the end. Standard library only.

Usage:
  python3 bench/python_upload.py serve --folder DIR [--recv 65536]   prints "port=N"; exits when stdin closes
  python3 bench/python_upload.py send --port N FILE                   exits 0 once the receiver has stored it

The receiver answers each upload with one line, "ok" or "bad md5", so that the sender's exit marks the moment the
file is stored (the tutorial's client reads nothing; without the answer the time would stop before the last bytes
were written).
"""

import argparse
import hashlib
import json
import os
import socket
import socketserver
import struct
import sys
import threading

PREFIX = struct.Struct("i")


def recv_exact(conn, count):
    """recv() may return fewer bytes than asked: loop until count bytes, or None when the peer closed."""
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def serve(args):
    folder, bufsize = args.folder, args.recv

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            conn = self.request
            head_len = recv_exact(conn, 4)
            if head_len is None:
                return
            header = json.loads(recv_exact(conn, PREFIX.unpack(head_len)[0]).decode("utf-8"))
            name = os.path.basename(header["file_name"])
            size = header["file_size"]
            md5 = hashlib.md5()
            path = os.path.join(folder, name)
            with open(path + ".part", "wb") as f:
                left = size
                while left > 0:
                    chunk = conn.recv(min(bufsize, left))
                    if not chunk:
                        break
                    f.write(chunk)
                    md5.update(chunk)
                    left -= len(chunk)
            if left == 0 and md5.hexdigest() == header["md5"]:
                os.replace(path + ".part", path)
                conn.sendall(b"ok\n")
            else:
                os.remove(path + ".part")
                conn.sendall(b"bad md5\n")

    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"port={server.server_address[1]}", flush=True)
    sys.stdin.read()


def send(args):
    md5 = hashlib.md5()
    with open(args.file, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            md5.update(block)
    size = os.path.getsize(args.file)
    header = {"file_size": size, "file_name": os.path.basename(args.file), "md5": md5.hexdigest()}
    head_bytes = bytes(json.dumps(header), encoding="utf-8")
    conn = socket.create_connection(("127.0.0.1", args.port))
    conn.send(PREFIX.pack(len(head_bytes)))
    conn.send(head_bytes)
    with open(args.file, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            conn.sendall(block)
    answer = conn.makefile("rb").readline().strip()
    conn.close()
    if answer != b"ok":
        sys.exit(f"upload failed: {answer!r}")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--folder", required=True)
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--recv", type=int, default=64 * 1024)
    c = sub.add_parser("send")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("file")
    args = parser.parse_args()
    serve(args) if args.mode == "serve" else send(args)


if __name__ == "__main__":
    main()
