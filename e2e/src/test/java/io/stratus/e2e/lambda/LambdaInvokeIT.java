package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.NODE_ECHO;
import static io.stratus.e2e.lambda.FunctionZips.PYTHON_ECHO;
import static io.stratus.e2e.lambda.FunctionZips.create;
import static io.stratus.e2e.lambda.FunctionZips.request;
import static io.stratus.e2e.lambda.LambdaFunctionsIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Invoke, with real node and python processes speaking the Lambda Runtime API. */
@StratusTest
class LambdaInvokeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(InvokeResponse response) throws Exception {
        return JSON.readTree(response.payload().asByteArray());
    }

    private static InvokeResponse invoke(LambdaClient lambda, String name, String payload) {
        return lambda.invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String(payload)));
    }

    @Test
    void nodeFunctionEchoesWithContextAndEnvironment(LambdaClient lambda, Stratus stratus) throws Exception {
        lambda.createFunction(request("node-echo", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ECHO))
                .timeout(10).environment(e -> e.variables(Map.of("GREETING", "hello"))).build());
        FunctionStates.awaitUpdated(lambda, "node-echo");

        InvokeResponse response = invoke(lambda, "node-echo", "{\"a\":1}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isNull();
        assertThat(response.executedVersion()).isEqualTo("$LATEST");
        JsonNode body = json(response);
        assertThat(body.get("event").get("a").asInt()).isEqualTo(1);
        assertThat(body.get("requestId").asText()).hasSize(36);
        assertThat(body.get("functionName").asText()).isEqualTo("node-echo");
        assertThat(body.get("memoryLimitInMB").asText()).isEqualTo("128");
        assertThat(body.get("logGroupName").asText()).isEqualTo("/aws/lambda/node-echo");
        assertThat(body.get("invokedFunctionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:node-echo");
        assertThat(body.get("remaining").asLong()).as("the deadline runs from the invocation, not from init").isBetween(9_000L, 10_000L);
        JsonNode env = body.get("env");
        assertThat(env.get("name").asText()).isEqualTo("node-echo");
        assertThat(env.get("region").asText()).isEqualTo("us-east-1");
        assertThat(env.get("custom").asText()).isEqualTo("hello");
        assertThat(env.get("tz").asText()).isEqualTo(":UTC");
        assertThat(env.get("endpoint").asText()).isEqualTo(stratus.endpoint().toString());
        if (PrivateTmps.available()) {
            // The function's /tmp is its own (see LambdaProcessesIT), and its temporary directory.
            assertThat(env.get("tmp").asText()).isEqualTo("/tmp");
        } else {
            // The function's temporary directory is its environment's, in the machine's, and goes with it.
            Path tmp = Path.of(env.get("tmp").asText());
            assertThat(tmp).isDirectory();
            assertThat(tmp.startsWith(env.get("taskRoot").asText())).isFalse();
            assertThat(tmp.getParent().getFileName().toString()).startsWith("stratus-lambda-env-");
            lambda.deleteFunction(d -> d.functionName("node-echo"));
            assertThat(tmp.getParent()).doesNotExist();
        }
    }

    @Test
    void pythonFunctionEchoes(LambdaClient lambda, Stratus stratus) throws Exception {
        lambda.createFunction(request("py-echo", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_ECHO))
                .environment(e -> e.variables(Map.of("GREETING", "hallo"))).build());
        FunctionStates.awaitUpdated(lambda, "py-echo");

        JsonNode body = json(invoke(lambda, "py-echo", "{\"b\":[1,2]}"));

        assertThat(body.get("event").get("b").get(1).asInt()).isEqualTo(2);
        assertThat(body.get("functionName").asText()).isEqualTo("py-echo");
        assertThat(body.get("remaining").asLong()).isBetween(2_500L, 3_000L);
        assertThat(body.get("env").get("custom").asText()).isEqualTo("hallo");
        assertThat(body.get("env").get("endpoint").asText()).isEqualTo(stratus.endpoint().toString());
    }

    @Test
    void warmEnvironmentServesLaterCalls(LambdaClient lambda) throws Exception {
        create(lambda, "warm-node", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ECHO));
        create(lambda, "warm-py", Runtime.PYTHON3_11, "app.handler", Map.of("app.py", PYTHON_ECHO));

        for (String name : new String[] {"warm-node", "warm-py"}) {
            assertThat(json(invoke(lambda, name, "{}")).get("calls").asInt()).isEqualTo(1);
            assertThat(json(invoke(lambda, name, "{}")).get("calls").asInt()).isEqualTo(2);
        }
        // New configuration, new environment: initialized afresh.
        lambda.updateFunctionConfiguration(r -> r.functionName("warm-node").memorySize(256));
        FunctionStates.awaitUpdated(lambda, "warm-node");
        assertThat(json(invoke(lambda, "warm-node", "{}")).get("calls").asInt()).isEqualTo(1);
    }

    @Test
    void nestedHandlerPathsCallbackHandlersAndEsModulesWork(LambdaClient lambda) throws Exception {
        create(lambda, "node-nested", Runtime.NODEJS20_X, "src/handlers/api.handlers.get", Map.of(
                "src/handlers/api.js", "exports.handlers = { get: (event, context, callback) => callback(null, { via: 'callback', n: event.n }) };"));
        create(lambda, "py-nested", Runtime.PYTHON3_12, "pkg/mod.fn", Map.of(
                "pkg/__init__.py", "", "pkg/mod.py", "def fn(event, context):\n    return event['n'] * 2\n"));

        assertThat(json(invoke(lambda, "node-nested", "{\"n\":7}")).get("via").asText()).isEqualTo("callback");
        assertThat(invoke(lambda, "py-nested", "{\"n\":21}").payload().asUtf8String()).isEqualTo("42");

        create(lambda, "node-esm", Runtime.NODEJS22_X, "app.handler", Map.of("app.mjs",
                "import { platform } from 'node:os';\nexport const handler = async (event) => ({ esm: true, os: typeof platform() });"));
        assertThat(invoke(lambda, "node-esm", "{}").payload().asUtf8String()).isEqualTo("{\"esm\":true,\"os\":\"string\"}");
    }

    @Test
    void handlerErrorsComeBackAsFunctionErrors(LambdaClient lambda) throws Exception {
        create(lambda, "node-throws", Runtime.NODEJS20_X, "index.handler", Map.of("index.js",
                "exports.handler = async () => { const e = new TypeError('bad thing'); throw e; };"));
        create(lambda, "py-raises", Runtime.PYTHON3_12, "app.handler", Map.of("app.py",
                "class OrderError(Exception):\n    pass\n\ndef handler(event, context):\n    raise OrderError('no stock')\n"));

        InvokeResponse node = invoke(lambda, "node-throws", "{}");
        assertThat(node.statusCode()).isEqualTo(200);
        assertThat(node.functionError()).isEqualTo("Unhandled");
        JsonNode nodeError = json(node);
        assertThat(nodeError.get("errorType").asText()).isEqualTo("TypeError");
        assertThat(nodeError.get("errorMessage").asText()).isEqualTo("bad thing");
        assertThat(nodeError.get("trace").get(0).asText()).isEqualTo("TypeError: bad thing");

        InvokeResponse python = invoke(lambda, "py-raises", "{}");
        assertThat(python.functionError()).isEqualTo("Unhandled");
        JsonNode pyError = json(python);
        assertThat(pyError.get("errorType").asText()).isEqualTo("OrderError");
        assertThat(pyError.get("errorMessage").asText()).isEqualTo("no stock");
        assertThat(pyError.get("stackTrace").get(0).asText()).contains("app.py");

        // The environment survives a handled failure and serves the next call.
        assertThat(invoke(lambda, "node-throws", "{}").functionError()).isEqualTo("Unhandled");
    }

    @Test
    void importAndHandlerErrorsAreRuntimeErrors(LambdaClient lambda) throws Exception {
        create(lambda, "node-nomodule", Runtime.NODEJS20_X, "missing.handler", Map.of("index.js", NODE_ECHO));
        create(lambda, "node-nohandler", Runtime.NODEJS20_X, "index.nothere", Map.of("index.js", NODE_ECHO));
        create(lambda, "py-badimport", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", "import not_installed_module\n"));
        create(lambda, "py-nohandler", Runtime.PYTHON3_12, "app.nothere", Map.of("app.py", PYTHON_ECHO));

        assertRuntimeError(invoke(lambda, "node-nomodule", "{}"), "Runtime.ImportModuleError", "Cannot find module 'missing'");
        assertRuntimeError(invoke(lambda, "node-nohandler", "{}"), "Runtime.HandlerNotFound", "index.nothere is undefined or not exported");
        assertRuntimeError(invoke(lambda, "py-badimport", "{}"), "Runtime.ImportModuleError",
                "Unable to import module 'app': No module named 'not_installed_module'");
        assertRuntimeError(invoke(lambda, "py-nohandler", "{}"), "Runtime.HandlerNotFound", "Handler 'nothere' missing on module 'app'");
    }

    private static void assertRuntimeError(InvokeResponse response, String type, String message) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        JsonNode error = json(response);
        assertThat(error.get("errorType").asText()).isEqualTo(type);
        assertThat(error.get("errorMessage").asText()).contains(message);
    }

    @Test
    void timeoutStopsTheEnvironmentAndReportsAsAws(LambdaClient lambda) throws Exception {
        lambda.createFunction(request("sleeper", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", """
                import time
                calls = 0
                def handler(event, context):
                    global calls
                    calls += 1
                    if event.get("sleep"):
                        time.sleep(30)
                    return calls
                """)).timeout(1).build());
        FunctionStates.awaitUpdated(lambda, "sleeper");

        long start = System.nanoTime();
        InvokeResponse timedOut = lambda.invoke(r -> r.functionName("sleeper").payload(SdkBytes.fromUtf8String("{\"sleep\":true}")).logType(LogType.TAIL));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
        assertThat(timedOut.statusCode()).isEqualTo(200);
        assertThat(timedOut.functionError()).isEqualTo("Unhandled");
        JsonNode error = json(timedOut);
        assertThat(error.get("errorType").asText()).isEqualTo("Sandbox.Timedout");
        assertThat(error.get("errorMessage").asText()).matches("RequestId: [0-9a-f-]{36} Error: Task timed out after 1\\.00 seconds");
        String log = new String(Base64.getDecoder().decode(timedOut.logResult()), StandardCharsets.UTF_8);
        assertThat(log).containsPattern("\\n\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z [0-9a-f-]{36} Task timed out after 1\\.00 seconds\\n")
                .contains("Status: timeout")
                .as("the whole invocation's log, from its START").contains("START RequestId: ");
        // The killed environment is gone: the next call starts a fresh one.
        assertThat(invoke(lambda, "sleeper", "{}").payload().asUtf8String()).isEqualTo("1");
    }

    @Test
    void tailReturnsTheInvocationLog(LambdaClient lambda) {
        create(lambda, "tail-node", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ECHO));
        create(lambda, "tail-py", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_ECHO));

        for (String name : new String[] {"tail-node", "tail-py"}) {
            InvokeResponse response = lambda.invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String("{\"marker\":\"xyzzy\"}")).logType(LogType.TAIL));
            String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
            assertThat(log).contains("START RequestId: ").contains("Version: $LATEST")
                    .contains("echoing").contains("xyzzy")
                    .contains("END RequestId: ").contains("REPORT RequestId: ").contains("Billed Duration: ").contains("Init Duration: ");
            assertThat(log.indexOf("xyzzy")).isLessThan(log.indexOf("END RequestId"));
            // The invocation's request id is the one the caller's response reports.
            assertThat(log).contains("START RequestId: " + response.responseMetadata().requestId() + " ");
        }
        assertThat(invoke(lambda, "tail-node", "{}").logResult()).isNull();
    }

    @Test
    void dryRunEventAndPayloadLimits(LambdaClient lambda) throws Exception {
        create(lambda, "kinds", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ECHO));

        assertThat(lambda.invoke(r -> r.functionName("kinds").invocationType(InvocationType.DRY_RUN)).statusCode()).isEqualTo(204);
        InvokeResponse event = lambda.invoke(r -> r.functionName("kinds").invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("{}")));
        assertThat(event.statusCode()).isEqualTo(202);
        assertThat(event.payload().asByteArray()).isEmpty();

        byte[] big = new byte[6 * 1024 * 1024 + 10];
        java.util.Arrays.fill(big, (byte) 'a');
        big[0] = '"';
        big[big.length - 1] = '"';
        assertError(() -> lambda.invoke(r -> r.functionName("kinds").payload(SdkBytes.fromByteArray(big))), 413, "RequestEntityTooLargeException",
                m -> assertThat(m).isEqualTo(big.length + " byte payload is too large for the RequestResponse invocation type (limit 6291456 bytes)"));
        assertError(() -> lambda.invoke(r -> r.functionName("kinds:v1")), 404, "ResourceNotFoundException",
                m -> assertThat(m).endsWith("function:kinds:v1"));
        // The request's members are checked before the function is looked up.
        assertError(() -> lambda.invoke(r -> r.functionName("no-such-function").logType("Everything")), 400, "ValidationException",
                m -> assertThat(m).isEqualTo("1 validation error detected: Value 'Everything' at 'logType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [Tail, None]"));
        assertError(() -> lambda.invoke(r -> r.functionName("no-such-function").invocationType("Later")), 400, "ValidationException",
                m -> assertThat(m).contains("Value 'Later' at 'invocationType'"));
        assertError(() -> lambda.invoke(r -> r.functionName("kinds").qualifier("a/b")), 400, "ValidationException",
                m -> assertThat(m).isEqualTo("1 validation error detected: Value 'a/b' at 'qualifier' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)"));
        assertError(() -> lambda.invoke(r -> r.functionName("kinds").payload(SdkBytes.fromUtf8String("{not json"))), 400,
                "InvalidRequestContentException", m -> assertThat(m).startsWith("Could not parse request body into json"));
        assertError(() -> lambda.invoke(r -> r.functionName("arn:aws:lambda:eu-west-1:000000000000:function:kinds")), 404,
                "ResourceNotFoundException", m -> assertThat(m).isEqualTo("Functions from 'eu-west-1' are not reachable in this region ('us-east-1')"));
        assertError(() -> lambda.invoke(r -> r.functionName("arn:aws:lambda:us-east-1:111122223333:function:kinds")), 403,
                "AccessDeniedException", m -> assertThat(m).contains("no resource-based policy allows"));
    }

    @Test
    void aResponseOverSixMegabytesIsTheFunctionsError(LambdaClient lambda) throws Exception {
        create(lambda, "sized", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", "def handler(event, context):\n    return 'a' * event['n']\n"));
        int limit = 6 * 1024 * 1024 + 100;

        // A JSON string's quotes count: exactly at the limit still answers.
        InvokeResponse atLimit = invoke(lambda, "sized", "{\"n\":" + (limit - 2) + "}");
        assertThat(atLimit.functionError()).isNull();
        assertThat(atLimit.payload().asByteArray()).hasSize(limit);
        InvokeResponse over = invoke(lambda, "sized", "{\"n\":" + (limit - 1) + "}");
        assertThat(over.statusCode()).isEqualTo(200);
        assertThat(over.functionError()).isEqualTo("Unhandled");
        assertThat(over.payload().asUtf8String()).isEqualTo(
                "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (6291556 bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}");
        assertThat(json(invoke(lambda, "sized", "{\"n\":3}")).asText()).isEqualTo("aaa");
    }

    @Test
    void providedZipWithoutABootstrapIsAnInvalidEntrypoint(LambdaClient lambda) throws Exception {
        create(lambda, "no-bootstrap", Runtime.PROVIDED_AL2023, "unused.handler", Map.of("README", "no bootstrap here"));

        assertRuntimeError(invoke(lambda, "no-bootstrap", "{}"), "Runtime.InvalidEntrypoint", "Couldn't find valid bootstrap(s)");
        create(lambda, "bad-interpreter", Runtime.PROVIDED_AL2023, "unused.handler", Map.of("bootstrap", "#!/nonexistent/shell\n"));
        assertRuntimeError(invoke(lambda, "bad-interpreter", "{}"), "Runtime.InvalidEntrypoint", "Couldn't find valid bootstrap(s)");
        // With the log's tail asked for too: the same answer, the failure in the tail.
        InvokeResponse tailed = lambda.invoke(r -> r.functionName("no-bootstrap").logType(LogType.TAIL));
        assertRuntimeError(tailed, "Runtime.InvalidEntrypoint", "Couldn't find valid bootstrap(s)");
        assertThat(new String(Base64.getDecoder().decode(tailed.logResult()), StandardCharsets.UTF_8)).endsWith("\nRuntime.InvalidEntrypoint\n");
    }

    @Test
    void aRuntimeThatExitsIsAnExitErrorInAwsWords(LambdaClient lambda) throws Exception {
        create(lambda, "exits-clean", Runtime.PROVIDED_AL2023, "unused.handler", Map.of("bootstrap", "#!/bin/sh\nexit 0\n"));
        create(lambda, "exits-3", Runtime.PROVIDED_AL2023, "unused.handler", Map.of("bootstrap", "#!/bin/sh\nexit 3\n"));

        InvokeResponse clean = lambda.invoke(r -> r.functionName("exits-clean").logType(LogType.TAIL));
        assertRuntimeError(clean, "Runtime.ExitError", "Error: Runtime exited without providing a reason");
        InvokeResponse failed = lambda.invoke(r -> r.functionName("exits-3").logType(LogType.TAIL));
        assertRuntimeError(failed, "Runtime.ExitError", "Error: Runtime exited with error: exit status 3");
        // The log says so before END, as AWS's does.
        String log = new String(Base64.getDecoder().decode(failed.logResult()), StandardCharsets.UTF_8);
        assertThat(log).containsPattern("Error: Runtime exited with error: exit status 3\nRuntime.ExitError\nEND RequestId: ");
    }

    @Test
    void providedRuntimeRunsTheZipsBootstrap(LambdaClient lambda) {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/curl")), "needs curl");
        create(lambda, "shell-fn", Runtime.PROVIDED_AL2023, "unused.handler", Map.of("bootstrap", """
                #!/bin/sh
                set -eu
                API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
                while true; do
                  HEADERS="$(mktemp)"
                  EVENT="$(curl -sS -D "$HEADERS" "$API/invocation/next")"
                  ID="$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | cut -d: -f2 | tr -d '[:space:]')"
                  curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" -d '{"shell":'"$EVENT"',"handler":"'"$_HANDLER"'"}'
                  rm -f "$HEADERS"
                done
                """));

        assertThat(invoke(lambda, "shell-fn", "{\"x\":1}").payload().asUtf8String()).isEqualTo("{\"shell\":{\"x\":1},\"handler\":\"unused.handler\"}");
    }

    @Test
    void providedBootstrapRunsAnExecutableFromTheZip(LambdaClient lambda) {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/curl")), "needs curl");
        byte[] zip = FunctionZips.unixZip(Map.of("bootstrap", """
                #!/bin/sh
                set -eu
                API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
                while true; do
                  HEADERS="$(mktemp)"
                  curl -sS -D "$HEADERS" -o /dev/null "$API/invocation/next"
                  ID="$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | cut -d: -f2 | tr -d '[:space:]')"
                  OUT="$(./bin/tool 2>&1 || echo "tool failed")"
                  curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" -d "\\\"$OUT\\\""
                  rm -f "$HEADERS"
                done
                """, "bin/tool", "#!/bin/sh\necho tool ran\n"), Map.of("bootstrap", "rwxr-xr-x", "bin/tool", "rwxr-xr-x"));
        lambda.createFunction(r -> r.functionName("runs-tool").runtime(Runtime.PROVIDED_AL2023).handler("unused.handler")
                .role(FunctionZips.ROLE).code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
        FunctionStates.awaitUpdated(lambda, "runs-tool");

        assertThat(invoke(lambda, "runs-tool", "{}").payload().asUtf8String()).isEqualTo("\"tool ran\"");
    }

    @Test
    void eventInvocationRunsAfterItIsAcknowledged(LambdaClient lambda, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        create(lambda, "async-writer", Runtime.NODEJS20_X, "index.handler", Map.of("index.js",
                "exports.handler = async (event) => { require('fs').writeFileSync(event.path, 'ran ' + event.n); };"));
        java.nio.file.Path marker = dir.resolve("marker.txt");

        InvokeResponse response = lambda.invoke(r -> r.functionName("async-writer").invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(JSON.createObjectNode().put("path", marker.toString()).put("n", 5).toString())));

        assertThat(response.statusCode()).isEqualTo(202);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!java.nio.file.Files.exists(marker) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(marker).hasContent("ran 5");
    }

    @Test
    void clientContextReachesTheFunction(LambdaClient lambda) throws Exception {
        create(lambda, "ctx-node", Runtime.NODEJS20_X, "index.handler", Map.of("index.js",
                "exports.handler = async (event, context) => context.clientContext;"));
        String context = Base64.getEncoder().encodeToString("{\"custom\":{\"k\":\"v\"}}".getBytes(StandardCharsets.UTF_8));

        InvokeResponse response = lambda.invoke(r -> r.functionName("ctx-node").clientContext(context));

        assertThat(json(response).get("custom").get("k").asText()).isEqualTo("v");
        assertError(() -> lambda.invoke(r -> r.functionName("ctx-node").clientContext("%%%")), 400, "InvalidRequestContentException", m -> {});
    }

    @Test
    void pythonSeesTheClientContextAndIdentityAsObjectsAsOnAws(LambdaClient lambda) throws Exception {
        create(lambda, "ctx-python", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", """
                def handler(event, context):
                    c = context.client_context
                    return {
                        'identity': [context.identity.cognito_identity_id, context.identity.cognito_identity_pool_id],
                        'custom': c.custom if c else None,
                        'env': c.env if c else None,
                        'app': c.client.app_title if c and c.client else None,
                        'installation': c.client.installation_id if c and c.client else None,
                    }
                """));
        String context = Base64.getEncoder().encodeToString(
                "{\"client\":{\"app_title\":\"shop\",\"installation_id\":\"i-1\"},\"custom\":{\"k\":\"v\"},\"env\":{\"locale\":\"en\"}}"
                        .getBytes(StandardCharsets.UTF_8));

        JsonNode with = json(lambda.invoke(r -> r.functionName("ctx-python").clientContext(context)));
        JsonNode without = json(lambda.invoke(r -> r.functionName("ctx-python")));

        assertThat(with.get("identity")).isEqualTo(JSON.readTree("[null,null]"));
        assertThat(with.get("custom")).isEqualTo(JSON.readTree("{\"k\":\"v\"}"));
        assertThat(with.get("env")).isEqualTo(JSON.readTree("{\"locale\":\"en\"}"));
        assertThat(with.get("app").asText()).isEqualTo("shop");
        assertThat(with.get("installation").asText()).isEqualTo("i-1");
        assertThat(without.get("custom").isNull()).isTrue();
        assertThat(without.get("identity")).isEqualTo(JSON.readTree("[null,null]"));
    }
}
