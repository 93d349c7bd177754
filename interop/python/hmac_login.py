"""The tutorials' client authentication, talking to Sockit.

In the tutorial the server sends 32 random bytes when a client connects, the
client answers hmac.new(secret_key, msg).digest(), and the server compares the
two.  Sockit does the same over its framed protocol, with SHA-256, a user name
and a key per user:

  1. read the hello frame (4-byte little-endian length, JSON header); its
     "nonce" is the 32 random bytes, in base64;
  2. send {"op": "auth", "mechanism": "HMAC-SHA256", "user": ..., "response":
     hex of HMAC-SHA256(key, nonce)};
  3. the reply says "ok": true and "done": true, or "error": "auth_failed".

Only the standard library, written the way the tutorials write their clients.
Run:  python3 hmac_login.py HOST PORT USER KEYFILE
"""

import base64
import hashlib
import hmac
import json
import socket
import struct
import sys


def recvall(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError("the server closed the connection")
        data += chunk
    return data


def recv_frame(conn):
    header_len = struct.unpack("<i", recvall(conn, 4))[0]
    header = json.loads(recvall(conn, header_len).decode("utf-8"))
    body = recvall(conn, header.get("data_size") or 0)
    return header, body


def send_frame(conn, header):
    header_bytes = json.dumps(header).encode("utf-8")
    conn.sendall(struct.pack("<i", len(header_bytes)) + header_bytes)


def conn_auth(conn, user, secret_key):
    """Answer the server's challenge; True when the server accepted it."""
    hello, _ = recv_frame(conn)
    msg = base64.b64decode(hello["nonce"])
    digest = hmac.new(secret_key, msg, hashlib.sha256).hexdigest()
    send_frame(conn, {"op": "auth", "mechanism": "HMAC-SHA256", "user": user, "response": digest})
    reply, _ = recv_frame(conn)
    return reply.get("ok") is True and reply.get("done") is True


def main():
    host, port, user, key_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    with open(key_file) as f:
        secret_key = base64.b64decode(f.read().strip())
    conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    conn.connect((host, port))
    if not conn_auth(conn, user, secret_key):
        print("authentication failed")
        conn.close()
        return 1
    send_frame(conn, {"op": "whoami"})
    reply, _ = recv_frame(conn)
    print("logged in as %s (%s)" % (reply["user"], ", ".join(reply["permissions"])))
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
