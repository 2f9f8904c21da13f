# Stratus's Python runtime: the Lambda Runtime API loop AWS's python runtimes implement, run by the
# machine's python3. It imports the handler once (init), then asks for events forever.
import http.client
import importlib
import json
import os
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
TASK_ROOT = os.environ["LAMBDA_TASK_ROOT"]
HANDLER = os.environ["_HANDLER"]
# Marks the end of an invocation's output so Stratus knows every log line of it has arrived.
END_MARKER = "\x1fstratus-invocation-end "

_connection = http.client.HTTPConnection(API)


def call(method, path, body=None, headers=None):
    _connection.request(method, "/2018-06-01/runtime" + path, body=body, headers=headers or {})
    response = _connection.getresponse()
    return response, response.read()


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


class LambdaContext:
    def __init__(self, request_id, deadline_ms, invoked_function_arn, client_context):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        # AWS's runtime gives every invocation an identity, empty unless Cognito authorized it.
        self.identity = CognitoIdentity({})
        try:
            self.client_context = ClientContext(json.loads(client_context)) if client_context else None
        except ValueError:
            self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


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
        raise InitError(error_document("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_path, e),
                                       stack=traceback.format_list(traceback.extract_tb(e.__traceback__))))
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
    limit_memory()
    sys.path.insert(0, TASK_ROOT)
    try:
        handler = load_handler()
    except InitError as e:
        doc = e.document
        print("[ERROR] %s: %s" % (doc["errorType"], doc["errorMessage"]), flush=True)
        call("POST", "/init/error", json.dumps(doc), {"Lambda-Runtime-Function-Error-Type": doc["errorType"], "Content-Type": "application/json"})
        sys.exit(1)
    while True:
        response, body = call("GET", "/invocation/next")
        request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
        deadline_ms = int(response.getheader("Lambda-Runtime-Deadline-Ms"))
        trace_id = response.getheader("Lambda-Runtime-Trace-Id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        context = LambdaContext(request_id, deadline_ms, response.getheader("Lambda-Runtime-Invoked-Function-Arn"),
                                response.getheader("Lambda-Runtime-Client-Context"))
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
            report_error(request_id, doc)
            continue
        except MemoryError:
            # Past the data limit: Stratus answers as AWS does when a function runs out of memory, and replaces this process.
            end_of_output(request_id)
            call("POST", "/invocation/%s/error" % request_id, '{"errorType":"Runtime.OutOfMemory"}',
                 {"Lambda-Runtime-Function-Error-Type": "Runtime.OutOfMemory", "Content-Type": "application/json"})
            continue
        except Exception as e:
            doc = error_document(type(e).__name__, str(e), request_id, traceback.format_list(traceback.extract_tb(e.__traceback__)[1:]))
            report_error(request_id, doc)
            continue
        end_of_output(request_id)
        call("POST", "/invocation/%s/response" % request_id, payload, {"Content-Type": "application/json"})


class MarshalError(Exception):
    pass


def report_error(request_id, doc):
    print("[ERROR] %s: %s" % (doc["errorType"], doc["errorMessage"]), flush=True)
    end_of_output(request_id)
    call("POST", "/invocation/%s/error" % request_id, json.dumps(doc),
         {"Lambda-Runtime-Function-Error-Type": doc["errorType"], "Content-Type": "application/json"})


if __name__ == "__main__":
    main()
