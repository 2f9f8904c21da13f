# Stratus's Python fork server: one python3 that has started once (its site set up, the modules Stratus's bootstrap
# imports loaded) and forks a process for each new execution environment, which then runs the bootstrap as
# "python3 -u bootstrap.py" would. A new interpreter costs tens of milliseconds of CPU before it runs a line (more
# with a version manager's or a sandbox's site hooks); a fork costs about one, so many environments can start at
# once, as a burst of invocations asks for.
#
# Its argument, if any, is a directory holding a file "marker" to try a private /tmp with (see the "ready" report).
# Requests come on stdin, one JSON object a line: {"id", "bootstrap", "cwd", "env", "output", "tmp"}. Answers and
# news go to stdout, one JSON object a line: {"id", "pid"} or {"id", "error"} for a request, {"exit": pid,
# "status": n} when a child ends (128 + the signal for one a signal killed, as a shell reports it). The server
# exits when its stdin closes (Stratus is gone); its children are in sessions of their own and live on until
# their Runtime API goes.
import ctypes
import io
import os
import select
import signal
import sys
import time
import traceback

# What Stratus's bootstrap imports, loaded once here rather than by every runtime.
import importlib
import json
import logging  # noqa: F401
import resource  # noqa: F401
import socket

# The exit status of a child whose set-up (output, /tmp) failed, as Stratus's namespace wrapper reports it.
SETUP_FAILED = 125
CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MS_RDONLY = 0x1
MS_REMOUNT = 0x20
# The flags a remount in a user namespace must keep when the mount it binds has them (statvfs's ST_ values are the same).
MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x2, 0x4, 0x8

# sys.path as python3 sets it up before the script's own directory and PYTHONPATH go in front.
_BASE_PATH = [entry for entry in sys.path[1:] if entry not in os.environ.get("PYTHONPATH", "").split(os.pathsep)]
_compiled = {}
_libc = ctypes.CDLL(None, use_errno=True)


def bootstrap_code(path):
    """The bootstrap's code, compiled once per version of its file."""
    stat = os.stat(path)
    key = (path, stat.st_mtime_ns, stat.st_size)
    code = _compiled.get(key)
    if code is None:
        with open(path, "rb") as source:
            code = compile(source.read(), path, "exec")
        if len(_compiled) >= 16:
            # Each Stratus in the JVM has its own copy of the bootstrap: a few, unless servers come and go.
            _compiled.clear()
        _compiled[key] = code
    return code


def _check(result, what):
    if result != 0:
        number = ctypes.get_errno()
        raise OSError(number, "%s: %s" % (what, os.strerror(number)))


def _write(path, text):
    with open(path, "w") as file:
        file.write(text)


def private_tmp(directory, kept, read_only=()):
    """Gives this process a mount namespace whose /tmp is `directory`, with the entries of /tmp in `kept` where they were
    and the paths in `read_only` read-only (where the machine lets it, as Stratus's namespace wrapper does)."""
    uid, gid = os.geteuid(), os.getegid()
    if uid == 0:
        _check(_libc.unshare(CLONE_NEWNS), "unshare")
    else:
        # A user namespace that maps the user to itself gives the capabilities to mount, and nothing outside it.
        _check(_libc.unshare(CLONE_NEWUSER | CLONE_NEWNS), "unshare")
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", "%d %d 1" % (uid, uid))
        _write("/proc/self/gid_map", "%d %d 1" % (gid, gid))
    _check(_libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    for path in kept:
        target = directory + path[len("/tmp"):]
        _check(_libc.mount(path.encode(), target.encode(), None, MS_BIND | MS_REC, None), "mount --bind " + path)
    _check(_libc.mount(directory.encode(), b"/tmp", None, MS_BIND | MS_REC, None), "mount --bind " + directory)
    for path in read_only:
        if _libc.mount(path.encode(), path.encode(), None, MS_BIND | MS_REC, None) == 0:
            locked = os.statvfs(path).f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC)
            _libc.mount(None, path.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY | locked, None)


def child(request, code):
    """In the forked process: becomes the environment's runtime. Never returns."""
    status = SETUP_FAILED
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        output = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        output.connect(request["output"])
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(output.fileno(), 1)
        os.dup2(output.fileno(), 2)
        os.close(null)
        output.close()
        for descriptor in _OWN:
            # The server's own: its wake-up pipe.
            os.close(descriptor)
        # As "python3 -u": unbuffered output, each write going straight out.
        sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
        sys.stdout = sys.__stdout__ = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", write_through=True)
        sys.stderr = sys.__stderr__ = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace",
                                                       write_through=True)
        tmp = request.get("tmp")
        if tmp is not None:
            private_tmp(tmp["dir"], tmp["kept"], tmp.get("readOnly", ()))
        os.chdir(request["cwd"])
        env = request["env"]
        os.environ.clear()
        os.environ.update(env)
        time.tzset()
        sys.dont_write_bytecode = bool(env.get("PYTHONDONTWRITEBYTECODE"))
        python_path = [entry for entry in env.get("PYTHONPATH", "").split(os.pathsep) if entry]
        sys.path[:] = [os.path.dirname(request["bootstrap"])] + python_path + _BASE_PATH
        sys.argv[:] = [request["bootstrap"]]
        importlib.invalidate_caches()
        main = type(sys)("__main__")
        main.__file__ = request["bootstrap"]
        main.__builtins__ = __builtins__
        sys.modules["__main__"] = main
        status = 1
        exec(code, main.__dict__)
        status = 0
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if not isinstance(e.code, int) and e.code is not None:
            print(e.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(status)


def spawn(request):
    code = bootstrap_code(request["bootstrap"])
    pid = os.fork()
    if pid == 0:
        child(request, code)
    return pid


def report(message):
    data = (json.dumps(message) + "\n").encode()
    while data:
        data = data[os.write(1, data):]


def reap():
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        code = os.waitstatus_to_exitcode(status)
        report({"exit": pid, "status": code if code >= 0 else 128 - code})


def private_tmp_works(directory):
    """Whether a forked child can get `directory` (which holds a file "marker") as its /tmp."""
    pid = os.fork()
    if pid == 0:
        try:
            private_tmp(directory, [])
            os._exit(0 if os.path.exists("/tmp/marker") else SETUP_FAILED)
        except BaseException as e:
            print("forkserver: no private /tmp here: %s" % e, file=sys.stderr)
            os._exit(SETUP_FAILED)
    return os.waitpid(pid, 0)[1] == 0


def serve(probe):
    wake_read, wake_write = os.pipe()
    _OWN.update((wake_read, wake_write))
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda number, frame: None)
    report({"ready": True, "privateTmp": probe is not None and private_tmp_works(probe)})
    pending = b""
    while True:
        try:
            readable, _, _ = select.select([0, wake_read], [], [])
        except InterruptedError:
            continue
        if wake_read in readable:
            try:
                os.read(wake_read, 512)
            except BlockingIOError:
                pass
            reap()
        if 0 in readable:
            data = os.read(0, 65536)
            if not data:
                return
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                try:
                    report({"id": request["id"], "pid": spawn(request)})
                except Exception as e:
                    report({"id": request["id"], "error": "%s: %s" % (type(e).__name__, e)})
        reap()


_OWN = set()

if __name__ == "__main__":
    os.chdir("/")
    # With a directory to try: whether children can have a private /tmp, told in the "ready" report.
    serve(sys.argv[1] if len(sys.argv) > 1 else None)
