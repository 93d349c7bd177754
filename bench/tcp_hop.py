"""One loopback TCP hop, as the exec stream benchmark's anchor: what moving bytes across TCP alone costs here.

    python3 tcp_hop.py listen        prints the port, then reads one connection to its end and discards it
    python3 tcp_hop.py send PORT     copies standard input to 127.0.0.1:PORT

Both ends move 128 KiB per call, as Sockit's server does on a stream, so Python's per-call cost stays small.
"""
import socket
import sys

CHUNK = 128 * 1024


def listen():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        print(server.getsockname()[1], flush=True)
        conn, _ = server.accept()
        with conn:
            buffer = bytearray(CHUNK)
            while conn.recv_into(buffer):
                pass


def send(port):
    source = sys.stdin.buffer.raw
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    with socket.create_connection(("127.0.0.1", port)) as conn:
        while True:
            count = source.readinto(buffer)
            if not count:
                break
            conn.sendall(view[:count])
        conn.shutdown(socket.SHUT_WR)
        conn.recv(1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["listen"]:
        listen()
    elif sys.argv[1:2] == ["send"] and len(sys.argv) == 3:
        send(int(sys.argv[2]))
    else:
        sys.exit(__doc__)
