#!/usr/bin/env python3
"""The CPU one Stratus bootstrap spends per warm invocation, measured alone.

A fake Runtime API (this script, one plain socket) serves an echo function's runtime its events
as fast as it asks for them, over the runtime's one connection; the runtime's own CPU time
(utime + stime of /proc/<pid>/stat) over all but the first 1,000 invocations, divided by their
number, is its floor per invocation: what no server, however fast, can take off.

    python3 bench/runtime-floor.py python 20000
    python3 bench/runtime-floor.py node 20000 [bootstrap directory]
"""
import os
import socket
import subprocess
import sys
import tempfile
import time

runtime, count = sys.argv[1], int(sys.argv[2])
here = os.path.dirname(os.path.abspath(__file__))
bootstraps = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "..", "services", "lambda", "src", "main", "resources", "io",
                                                                   "stratus", "lambda", "runtime")
task_root = tempfile.mkdtemp(prefix="runtime-floor-")
with open(os.path.join(task_root, "app.py"), "w") as f:
    f.write("def handler(event, context):\n    return event\n")
with open(os.path.join(task_root, "index.js"), "w") as f:
    f.write("exports.handler = async (event) => event;\n")

server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(1)
env = {"PATH": os.environ["PATH"], "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:%d" % server.getsockname()[1], "LAMBDA_TASK_ROOT": task_root,
       "_HANDLER": "app.handler" if runtime == "python" else "index.handler", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128"}
command = ["python3", "-u", os.path.join(bootstraps, "bootstrap.py")] if runtime == "python" else ["node", os.path.join(bootstraps, "bootstrap.js")]
process = subprocess.Popen(command, env=env, cwd=task_root, stdout=subprocess.DEVNULL)
connection, _ = server.accept()
connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
buffered = b""


def receive():
    global buffered
    chunk = connection.recv(65536)
    if not chunk:
        raise SystemExit("the runtime closed its connection")
    buffered += chunk


def request():
    """The next request's method, its body read past (Content-Length or chunked)."""
    global buffered
    while buffered.find(b"\r\n\r\n") < 0:
        receive()
    end = buffered.find(b"\r\n\r\n")
    head = buffered[:end].decode()
    buffered = buffered[end + 4:]
    length, chunked = 0, False
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding":
            chunked = "chunked" in value.lower()
    if not chunked:
        while len(buffered) < length:
            receive()
        buffered = buffered[length:]
        return head.split(" ")[0]
    while True:
        while buffered.find(b"\r\n") < 0:
            receive()
        line_end = buffered.find(b"\r\n")
        size = int(buffered[:line_end].split(b";")[0], 16)
        while len(buffered) < line_end + 2 + size + 2:
            receive()
        buffered = buffered[line_end + 2 + size + 2:]
        if size == 0:
            return head.split(" ")[0]


def cpu_ticks():
    fields = open("/proc/%d/stat" % process.pid).read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


body = b'{"a":1}'
for i in range(count):
    if i == 1000:
        start_ticks, start_wall = cpu_ticks(), time.time()
    assert request() == "GET"
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: r%d\r\n"
                       b"Lambda-Runtime-Deadline-Ms: %d\r\nLambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:f\r\n"
                       b"Lambda-Runtime-Trace-Id: Root=1-a\r\nContent-Length: %d\r\n\r\n%s" % (i, int(time.time() * 1000) + 3000, len(body), body))
    assert request() == "POST"
    connection.sendall(b"HTTP/1.1 202 Accepted\r\nContent-Length: 15\r\n\r\n{\"status\":\"OK\"}")
measured = count - 1000
ticks, wall = cpu_ticks() - start_ticks, time.time() - start_wall
print("%s: %.1f us CPU per invocation in the runtime; %.0f invocations/s (one runtime, this fake server)"
      % (runtime, ticks / os.sysconf("SC_CLK_TCK") / measured * 1e6, measured / wall))
process.kill()
