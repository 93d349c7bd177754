#!/usr/bin/env python3
"""Pipelines framed requests at a Sockit server and never reads the replies, from several connections at once.

Measures what the server accepts before it cuts such clients off (docs/security.md, "limits and abuse"). Watch the
server's memory meanwhile, e.g. `grep VmRSS /proc/PID/status`. Loopback only; every run ends by itself.

    python3 bench/attacks/unread_flood.py --port 9000 --connections 10 --seconds 30 --kind upper
    python3 bench/attacks/unread_flood.py --port 9000 --connections 100 --seconds 30 --kind time --expand 160

upper: upper-cased 64 KiB echoes, each write ending inside a small echo's body, so the server always finds the next
header waiting. time: batches of 16 `time` requests whose format is `%c` repeated --expand times (about twelvefold).
"""
import argparse
import ipaddress
import json
import socket
import struct
import threading
import time


def frame(header, body=b""):
    encoded = json.dumps(header).encode()
    return struct.pack("<i", len(encoded)) + encoded + body


def chunks(kind, expand):
    """The first write and the write repeated after it."""
    if kind == "upper":
        body = b"a" * 65536
        flood = frame({"op": "echo", "data_size": len(body), "upper": True}, body)
        straddler = frame({"op": "echo", "data_size": 16, "upper": True}, b"b" * 16)
        split = len(straddler) - 8
        return straddler[:split], straddler[split:] + flood + straddler[:split]
    return b"", frame({"op": "time", "format": "%c" * expand}) * 16


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--kind", choices=["upper", "time"], default="upper")
    parser.add_argument("--expand", type=int, default=160)
    args = parser.parse_args()
    if not ipaddress.ip_address(args.host).is_loopback:
        parser.error("this tool only targets loopback addresses")

    first, repeated = chunks(args.kind, args.expand)
    sent = [0] * args.connections
    ended = [None] * args.connections

    def run(index):
        client = socket.create_connection((args.host, args.port))
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        client.settimeout(args.seconds + 5)
        deadline = time.monotonic() + args.seconds
        try:
            client.sendall(first)
            while time.monotonic() < deadline:
                client.sendall(repeated)
                sent[index] += len(repeated)
            ended[index] = "still open"
        except OSError as error:
            ended[index] = type(error).__name__
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes = {outcome: ended.count(outcome) for outcome in set(ended)}
    print(f"{args.kind}: {sum(sent) / 1e6:.1f} MB of requests accepted; connections: {outcomes}")


if __name__ == "__main__":
    main()
