# Stratus's Python runtime: the Lambda Runtime API loop AWS's python runtimes implement, run by the
# machine's python3. It imports the handler once (init), then asks for events forever.
import importlib
import json
import logging
import os
import socket
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
# The same API on a Unix domain socket, which costs less per message than loopback TCP; not the function's business.
LOCAL_API = os.environ.pop("STRATUS_RUNTIME_API_SOCKET", None)
TASK_ROOT = os.environ["LAMBDA_TASK_ROOT"]
HANDLER = os.environ["_HANDLER"]
# Marks the end of an invocation's output so Stratus knows every log line of it has arrived.
END_MARKER = "\x1fstratus-invocation-end "
# Marks the end of the initialization (the handler imported), so Stratus puts the first invocation's START after its output.
INIT_MARKER = "\x1fstratus-init-end"
# A log record is one CloudWatch event, line breaks and all, as on AWS (whose runtime frames each record): its line
# breaks travel as this character, which Stratus turns back into line breaks.
EVENT_LINE_BREAK = "\x1e"
PREFIX = "/2018-06-01/runtime"
# Where the runtime's own log events go, whatever the function does to sys.stdout.
_STDOUT = sys.stdout
# The invocation under way, as log records name it ("" during init).
_request_id = ""
# The function's LoggingConfig, as Lambda hands it to runtimes: JSON or text records, and the root logger's level.
_LOG_JSON = os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON"
_LOG_LEVEL = {"TRACE": "DEBUG"}.get(os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper(), os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper())


class _Api:
    """The Runtime API over one kept-alive connection. A small HTTP/1.1 client rather than http.client: Stratus's
    server always answers with a Content-Length, and http.client's header parsing (the email package) cost more
    than the rest of an invocation. Requests may be pipelined: send() writes, receive() reads answers in order."""

    def __init__(self, address, local):
        self._host = address.encode("ascii")
        if local:
            self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._socket.connect(local)
        else:
            host, _, port = address.rpartition(":")
            self._socket = socket.create_connection((host, int(port)))
            self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buffer = bytearray()

    def request(self, method, path, body=b"", headers=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        head = [b"%s %s%s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n" % (method.encode("ascii"), PREFIX.encode("ascii"),
                                                                          path.encode("utf-8"), self._host, len(body))]
        for name, value in (headers or {}).items():
            head.append(b"%s: %s\r\n" % (name.encode("ascii"), value.encode("utf-8")))
        head.append(b"\r\n")
        head.append(body)
        return b"".join(head)

    def send(self, *requests):
        self._socket.sendall(b"".join(requests))

    def receive(self):
        """The next answer: (status, headers with lower-case names, body)."""
        buffer = self._buffer
        end = buffer.find(b"\r\n\r\n")
        while end < 0:
            self._fill()
            end = buffer.find(b"\r\n\r\n")
        lines = bytes(buffer[:end]).decode("utf-8", "replace").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        total = end + 4 + int(headers.get("content-length", "0"))
        while len(buffer) < total:
            self._fill()
        body = bytes(buffer[end + 4:total])
        del buffer[:total]
        return status, headers, body

    def _fill(self):
        chunk = self._socket.recv(65536)
        if not chunk:
            raise ConnectionError("The Runtime API closed the connection")
        self._buffer += chunk


_api = _Api(API, LOCAL_API)


def call(method, path, body=b"", headers=None):
    _api.send(_api.request(method, path, body, headers))
    return _api.receive()


class _Fields:
    """An object whose attributes are the fields a JSON object names (None when absent), as AWS's context parts are."""
    __slots__ = ()

    def __init__(self, values):
        values = values if isinstance(values, dict) else {}
        for name in self.__slots__:
            setattr(self, name, values.get(name))

    def __repr__(self):
        return "%s([%s])" % (type(self).__name__, ",".join("%s=%s" % (n, getattr(self, n)) for n in self.__slots__))


class CognitoIdentity(_Fields):
    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")


class Client(_Fields):
    __slots__ = ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name")


class ClientContext(_Fields):
    __slots__ = ("custom", "env", "client")

    def __init__(self, values):
        super().__init__(values)
        if self.client is not None:
            self.client = Client(self.client)


# What every invocation's context reports of the environment, fixed for its life (read once: os.environ costs per read).
_FUNCTION_NAME = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
_FUNCTION_VERSION = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
_MEMORY_LIMIT_IN_MB = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
_LOG_GROUP_NAME = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
_LOG_STREAM_NAME = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")


class LambdaContext:
    def __init__(self, request_id, deadline_ms, invoked_function_arn, client_context):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = _FUNCTION_NAME
        self.function_version = _FUNCTION_VERSION
        self.memory_limit_in_mb = _MEMORY_LIMIT_IN_MB
        self.log_group_name = _LOG_GROUP_NAME
        self.log_stream_name = _LOG_STREAM_NAME
        # AWS's runtime gives every invocation an identity, empty unless Cognito authorized it.
        self.identity = CognitoIdentity({})
        try:
            self.client_context = ClientContext(json.loads(client_context)) if client_context else None
        except ValueError:
            self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def write_event(text):
    """Writes one log event, however many lines it has."""
    _STDOUT.write(text.replace("\r\n", "\n").replace("\n", EVENT_LINE_BREAK) + "\n")
    _STDOUT.flush()


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id
        return True


class _LambdaLogHandler(logging.Handler):
    """The root logger's handler, as AWS's runtime installs it: each record one event in its text format."""

    def emit(self, record):
        try:
            write_event(self.format(record))
        except Exception:
            self.handleError(record)


# What a JSON record leaves out of a log record's attributes: the standard ones, and those it names otherwise.
_RESERVED_FIELDS = {"name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info", "exc_text",
                    "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread", "threadName", "processName",
                    "process", "aws_request_id"}


class _JsonFormatter(logging.Formatter):
    """A log record as AWS's runtime writes it in the JSON log format: its level, message, logger and request id, an
    exception's type, message, traceback and location, then the record's extra attributes (absent ones left out)."""

    def format(self, record):
        record.levelno = min(50, max(0, record.levelno)) // 10 * 10
        record.levelname = logging.getLevelName(record.levelno)
        exc_info = record.exc_info
        result = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % int(record.msecs),
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "stackTrace": traceback.format_tb(exc_info[2]) if exc_info else None,
            "errorType": exc_info[0].__name__ if exc_info else None,
            "errorMessage": str(exc_info[1]) if exc_info else None,
            "requestId": getattr(record, "aws_request_id", None),
            "location": "%s:%s:%s" % (record.pathname, record.funcName, record.lineno) if exc_info else None,
        }
        result.update((key, value) for key, value in record.__dict__.items() if key not in _RESERVED_FIELDS and key not in result)
        return json.dumps({key: value for key, value in result.items() if value is not None}, ensure_ascii=False)


def setup_logging():
    handler = _LambdaLogHandler()
    if _LOG_JSON:
        formatter = _JsonFormatter()
    else:
        formatter = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S")
        formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    # As AWS's runtime does, in either format: AWS_LAMBDA_LOG_LEVEL (TRACE meaning DEBUG) sets the root logger's level.
    if _LOG_LEVEL in logging._nameToLevel:
        root.setLevel(_LOG_LEVEL)
    root.addHandler(handler)


def log_error(doc):
    """An error as AWS's runtime logs it: in JSON a record of it; else its type and message, then the traceback, one event."""
    if _LOG_JSON:
        sys.stderr.flush()
        write_event(json.dumps(dict({"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()), "level": "ERROR"}, **doc)))
        return
    lines = ["[ERROR] %s: %s" % (doc["errorType"], doc["errorMessage"])]
    if doc.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for entry in doc["stackTrace"]:
            lines.extend(entry.splitlines() if entry else [""])
    sys.stderr.flush()
    write_event("\n".join(lines))


def error_document(error_type, message, request_id="", stack=None):
    return {"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": stack or []}


def load_handler():
    try:
        module_path, function_name = HANDLER.rsplit(".", 1)
    except ValueError:
        raise InitError(error_document("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % HANDLER))
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise InitError(error_document("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_path, e)))
    except SyntaxError as e:
        # As AWS's runtime reports it: one entry, the function's own file and line, not the import machinery's frames.
        raise InitError(error_document("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_path, e),
                                       stack=['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]))
    except Exception as e:
        raise InitError(error_document(type(e).__name__, str(e), stack=traceback.format_list(traceback.extract_tb(e.__traceback__))))
    handler = getattr(module, function_name, None)
    if handler is None:
        raise InitError(error_document("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_path)))
    return handler


class InitError(Exception):
    def __init__(self, document):
        super().__init__(document["errorMessage"])
        self.document = document


def end_of_output(request_id):
    sys.stderr.flush()
    sys.stdout.write(END_MARKER + request_id + "\n")
    sys.stdout.flush()


def limit_memory():
    # A backstop under the memory Stratus watches (the process's resident memory against the function's
    # MemorySize): an allocation far beyond it fails at once with a MemoryError instead of filling the machine.
    # Well above MemorySize, since the data size also counts memory never touched, like threads' stacks.
    try:
        import resource
        memory_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "0"))
        if memory_mb <= 0:
            return
        limit = max(2 * memory_mb, memory_mb + 256) * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def main():
    global _request_id
    limit_memory()
    setup_logging()
    sys.path.insert(0, TASK_ROOT)
    try:
        handler = load_handler()
    except InitError as e:
        doc = e.document
        log_error(doc)
        # The error belongs before the START line too: Stratus waits for this mark once the error is reported.
        sys.stdout.write(INIT_MARKER + "\n")
        sys.stdout.flush()
        call("POST", "/init/error", json.dumps(doc), {"Lambda-Runtime-Function-Error-Type": doc["errorType"], "Content-Type": "application/json"})
        sys.exit(1)
    # What the code logged while it loaded comes before the first invocation's START.
    sys.stderr.flush()
    sys.stdout.write(INIT_MARKER + "\n")
    sys.stdout.flush()
    # Each answer goes out together with the next "next" (pipelined): one write and one wake-up per invocation.
    pending = b""
    next_request = _api.request("GET", "/invocation/next")
    while True:
        _api.send(pending, next_request)
        if pending:
            _api.receive()
        status, headers, body = _api.receive()
        if status != 200:
            # The environment failed (an extension did): nothing more will come.
            sys.stderr.write("Stratus runtime: the Runtime API refused the next invocation: %s\n" % body.decode("utf-8", "replace"))
            sys.stderr.flush()
            os._exit(1)
        request_id = headers.get("lambda-runtime-aws-request-id")
        _request_id = request_id
        deadline_ms = int(headers.get("lambda-runtime-deadline-ms"))
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        context = LambdaContext(request_id, deadline_ms, headers.get("lambda-runtime-invoked-function-arn"),
                                headers.get("lambda-runtime-client-context"))
        try:
            event = json.loads(body) if body else {}
        except ValueError:
            event = body.decode("utf-8", "replace")
        try:
            result = handler(event, context)
            try:
                payload = json.dumps(result)
            except (TypeError, ValueError) as e:
                raise MarshalError("Unable to marshal response: %s" % e)
        except MarshalError as e:
            doc = error_document("Runtime.MarshalError", str(e), request_id)
            pending = report_error(request_id, doc)
            continue
        except MemoryError:
            # Past the data limit: Stratus answers as AWS does when a function runs out of memory, and replaces this process.
            end_of_output(request_id)
            pending = _api.request("POST", "/invocation/%s/error" % request_id, '{"errorType":"Runtime.OutOfMemory"}',
                                   {"Lambda-Runtime-Function-Error-Type": "Runtime.OutOfMemory", "Content-Type": "application/json"})
            continue
        except Exception as e:
            doc = error_document(type(e).__name__, str(e), request_id, traceback.format_list(traceback.extract_tb(e.__traceback__)[1:]))
            pending = report_error(request_id, doc)
            continue
        end_of_output(request_id)
        pending = _api.request("POST", "/invocation/%s/response" % request_id, payload, {"Content-Type": "application/json"})


class MarshalError(Exception):
    pass


def report_error(request_id, doc):
    """Logs the error and returns the request that reports it (sent with the next "next")."""
    log_error(doc)
    end_of_output(request_id)
    return _api.request("POST", "/invocation/%s/error" % request_id, json.dumps(doc),
                        {"Lambda-Runtime-Function-Error-Type": doc["errorType"], "Content-Type": "application/json"})


if __name__ == "__main__":
    main()
