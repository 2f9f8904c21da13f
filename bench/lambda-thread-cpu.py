#!/usr/bin/env python3
"""Where the CPU of a warm Lambda invocation goes, by thread: runs `stratus-bench lambda --clients 16`
and reads utime/stime of every thread of the JVM and of its runtime processes (/proc/<pid>/task/*/stat)
every 0.5 s. The half-seconds after the warm-up in which only the Node.js or only the Python runtimes used CPU are the
Invoke rounds of that function; their CPU, by thread group, divided by the invocations per second the
benchmark reports, is the CPU per invocation (user / sys, in µs).

    python3 bench/lambda-thread-cpu.py bench/target/stratus-bench-all.jar [java]
"""
import collections
import os
import re
import subprocess
import sys
import tempfile
import time

jar = sys.argv[1]
java = sys.argv[2] if len(sys.argv) > 2 else "java"
out = tempfile.NamedTemporaryFile("w+", prefix="lambda-thread-cpu-", suffix=".txt", delete=False)
bench = subprocess.Popen([java, "-jar", jar, "lambda", "--clients", "16"], stdout=out, stderr=subprocess.STDOUT)
TICK_US = 1_000_000 / os.sysconf("SC_CLK_TCK")
PERIOD = 0.5


def stat(path):
    try:
        text = open(path).read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return text[text.index("(") + 1:text.rindex(")")], int(fields[11]), int(fields[12])


def children(pid):
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                found += open(f"/proc/{pid}/task/{task}/children").read().split()
            except OSError:
                pass
    except OSError:
        pass
    return found


def group(name, runtime):
    if runtime:
        return "runtime:" + ("node" if name.startswith("node") else "python" if name.startswith("python") else name)
    for prefix, label in (("C", "JIT compiler threads"), ("epollEventLoop", "edge event loops (Netty)"),
                          ("ForkJoinPool-", "virtual threads (edge handler, Invoke, log shipping)"), ("load-", "load driver"),
                          ("lambda-runtime", "Runtime API connection threads"), ("lambda-log", "log readers"),
                          ("lambda-memory", "memory watch")):
        if name.startswith(prefix) and (prefix != "C" or "Compiler" in name):
            return label
    return "rest of the JVM"


def snapshot():
    threads = {}
    for task in os.listdir(f"/proc/{bench.pid}/task") if os.path.exists(f"/proc/{bench.pid}/task") else []:
        read = stat(f"/proc/{bench.pid}/task/{task}/stat")
        if read:
            threads["j" + task] = (group(read[0], False), read[1], read[2])
    runtimes = []
    for child in children(bench.pid):
        runtimes += [child] + children(child)
    for pid in runtimes:
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                read = stat(f"/proc/{pid}/task/{task}/stat")
                if read:
                    threads["r" + task] = (group(read[0], True), read[1], read[2])
        except OSError:
            pass
    return threads


phases = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0]))
seconds = collections.Counter()
previous = snapshot()
while bench.poll() is None:
    time.sleep(PERIOD)
    current = snapshot()
    delta = collections.defaultdict(lambda: [0, 0])
    for key, (name, user, system) in current.items():
        _, user0, system0 = previous.get(key, (name, 0, 0))
        delta[name][0] += user - user0
        delta[name][1] += system - system0
    previous = current
    out.flush()
    with open(out.name) as progress:
        if "Warmed up; measuring." not in progress.read():
            continue
    node, python = sum(delta["runtime:node"]), sum(delta["runtime:python"])
    phase = "node" if node >= 10 and python < 3 else "python" if python >= 10 and node < 3 else None
    if phase:
        seconds[phase] += PERIOD
        for name, (user, system) in delta.items():
            label = "the runtime processes" if name.startswith("runtime:") else name
            phases[phase][label][0] += user
            phases[phase][label][1] += system

out.seek(0)
report = out.read()
print("\n".join(line for line in report.splitlines() if line.startswith("|")))
for phase in ("node", "python"):
    match = re.search(r"\| %s-echo \| 16 \| \d+ \| (\d+) \|" % phase, report)
    if not match or not seconds[phase]:
        continue
    rate = int(match.group(1))
    print(f"\n{phase}: {seconds[phase]:.1f} s of Invoke rounds at {rate} invocations/s; CPU per invocation, user / sys µs")
    total = 0
    for label, (user, system) in sorted(phases[phase].items(), key=lambda item: -sum(item[1])):
        u, s = (ticks * TICK_US / seconds[phase] / rate for ticks in (user, system))
        total += u + s
        print(f"  {label:55s} {u:6.1f} / {s:6.1f}")
    print(f"  {'total':55s} {total:6.0f}")
