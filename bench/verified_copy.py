#!/usr/bin/env python3
"""Anchor for the file benchmark: the least work a verified upload can do, in plain Python.

The sender reads the file in 1 MiB pieces, hashes each with SHA-256 and sends it; the receiver reads 1 MiB at a
time into one reused buffer, hashes and writes each piece to a partial file, then compares the two digests and
renames the partial into place. Both hashes are OpenSSL's (hashlib), so the per-byte work is what any verified
transfer must pay on this machine (read, hash at both ends, cross the socket, write), and Python's own cost is
per megabyte, not per byte. No framing, no flow control, no concurrency: a ceiling to measure a real tool
against, not a protocol. Standard library only.

Usage:
  python3 bench/verified_copy.py serve --folder DIR   prints "port=N"; exits when stdin closes
  python3 bench/verified_copy.py send --port N FILE   exits 0 once the receiver has stored the file, verified

Wire: the sender sends the file's bytes and then shuts down its sending half; after that, its SHA-256 (32 bytes)
would be too late to overlap anything, so the receiver answers with its own digest and the sender compares.
"""

import argparse
import hashlib
import os
import socket
import sys
import threading

PIECE = 1 << 20


def serve(args):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def receive(conn):
        with conn:
            digest = hashlib.sha256()
            buffer = bytearray(PIECE)
            view = memoryview(buffer)
            path = os.path.join(args.folder, "verified_copy.bin")
            with open(path + ".part", "wb") as out:
                while True:
                    count = conn.recv_into(buffer)
                    if not count:
                        break
                    digest.update(view[:count])
                    out.write(view[:count])
            os.replace(path + ".part", path)
            conn.sendall(digest.digest())

    def accept():
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=receive, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    print(f"port={listener.getsockname()[1]}", flush=True)
    sys.stdin.read()


def send(args):
    digest = hashlib.sha256()
    buffer = bytearray(PIECE)
    view = memoryview(buffer)
    with socket.create_connection(("127.0.0.1", args.port)) as conn, open(args.file, "rb") as source:
        while True:
            count = source.readinto(buffer)
            if not count:
                break
            digest.update(view[:count])
            conn.sendall(view[:count])
        conn.shutdown(socket.SHUT_WR)
        answer = b""
        while len(answer) < 32:
            chunk = conn.recv(32 - len(answer))
            if not chunk:
                break
            answer += chunk
    if answer != digest.digest():
        print("verified_copy: the receiver's SHA-256 differs from the sender's", file=sys.stderr)
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    verbs = parser.add_subparsers(dest="verb", required=True)
    serve_args = verbs.add_parser("serve")
    serve_args.add_argument("--folder", required=True)
    send_args = verbs.add_parser("send")
    send_args.add_argument("--port", type=int, required=True)
    send_args.add_argument("file")
    args = parser.parse_args()
    serve(args) if args.verb == "serve" else send(args)


if __name__ == "__main__":
    main()
