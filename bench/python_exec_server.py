#!/usr/bin/env python3
"""Baseline for the exec benchmark: the tutorials' remote-command server on a socketserver.ThreadingTCPServer.

The server of tutorial 000 ("CMD程序自定义报头", remote commands with a custom header), one thread per
connection: a command is what one recv(1024) returns; it runs through the shell with
subprocess.Popen(cmd, shell=True, stdout=PIPE, stderr=PIPE); the reply is struct.pack("i", len(head)), then
head = json.dumps({"data_size": N}), then the N bytes of stdout and stderr. Standard library only.

Two deliberate differences from the tutorial, both in its favour for a benchmark:
* the reply leaves in one sendall() instead of four send() calls, so Nagle's algorithm and the client's delayed
  ACK never hold back the small header (which can add 40 ms a command on Linux);
* the child is waited for (res.wait()), so no zombies pile up between commands.

Usage: python3 bench/python_exec_server.py --port 0
Prints "port=N" once listening. Exits when its standard input closes (the load tool holds it open), so it
never outlives the tool that started it.
"""

import json
import socketserver
import struct
import subprocess

# The echo baseline beside it (copied next to this file with the load tool) has the server scaffolding.
from python_server import serve


class CommandHandler(socketserver.BaseRequestHandler):
    def handle(self):
        conn = self.request
        while True:
            try:
                cmd = conn.recv(1024)
                if not cmd:
                    return
                res = subprocess.Popen(cmd.decode("utf-8"), shell=True,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                stdout = res.stdout.read()
                stderr = res.stderr.read()
                res.stdout.close()
                res.stderr.close()
                res.wait()
                head = json.dumps({"data_size": len(stdout) + len(stderr)}).encode("utf-8")
                conn.sendall(struct.pack("i", len(head)) + head + stdout + stderr)
            except (ConnectionError, OSError):
                # The load tool closes its connections at the end of a run; that is not an error here.
                return


if __name__ == "__main__":
    serve(CommandHandler, __doc__.splitlines()[0])
