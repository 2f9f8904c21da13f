package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.StratusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * The Telemetry API: an extension subscribes while the environment initializes and gets the
 * platform's events and the function's lines at the address it listens on, as the OpenTelemetry
 * collector's extension does (it holds each invocation until {@code platform.runtimeDone} came).
 */
@StratusTest
class LambdaTelemetryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Listens on the loopback address, registers, subscribes to platform and function events as
     * {@code sandbox.localdomain}, and after each INVOKE waits for its {@code platform.runtimeDone},
     * then writes all it received so far to the shared {@code /tmp}.
     */
    private static final String LISTENER = """
            #!/usr/bin/env node
            const http = require('http');
            const fs = require('fs');
            const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
            const call = (method, path, headers, body) => new Promise((resolve, reject) => {
              const req = http.request({ host, port, method, path, headers }, (res) => {
                let text = '';
                res.on('data', (chunk) => { text += chunk; });
                res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
              });
              req.on('error', reject);
              req.end(body);
            });
            const received = [];
            const waiting = new Map();
            const done = (requestId) => received.some((e) => e.type === 'platform.runtimeDone' && e.record.requestId === requestId);
            const server = http.createServer((req, res) => {
              let text = '';
              req.on('data', (chunk) => { text += chunk; });
              req.on('end', () => {
                received.push(...JSON.parse(text));
                for (const [requestId, resolve] of waiting) {
                  if (done(requestId)) { waiting.delete(requestId); resolve(); }
                }
                res.end();
              });
            });
            // The sandbox's name, as extensions on AWS listen; the loopback address where the machine cannot give it (no namespaces).
            require('dns').lookup('sandbox.localdomain', (err, address) => server.listen(err ? 0 : 4243, err ? '127.0.0.1' : 'sandbox.localdomain', async () => {
              fs.writeFileSync('/tmp/bound', server.address().address);
              const registered = await call('POST', '/2020-01-01/extension/register', { 'Lambda-Extension-Name': 'listener' },
                JSON.stringify({ events: ['INVOKE', 'SHUTDOWN'] }));
              const id = registered.headers['lambda-extension-identifier'];
              const subscribed = await call('PUT', '/2022-07-01/telemetry', { 'Lambda-Extension-Identifier': id, 'Content-Type': 'application/json' },
                JSON.stringify({ schemaVersion: '2022-12-13', types: ['platform', 'function'],
                  buffering: { maxItems: 1000, maxBytes: 262144, timeoutMs: 25 },
                  destination: { protocol: 'HTTP', URI: 'http://sandbox.localdomain:' + server.address().port + '/', method: 'POST', encoding: 'JSON' } }));
              fs.writeFileSync('/tmp/subscribed', subscribed.status + ' ' + subscribed.body);
              for (;;) {
                const event = JSON.parse((await call('GET', '/2020-01-01/extension/event/next', { 'Lambda-Extension-Identifier': id })).body);
                if (event.eventType === 'SHUTDOWN') {
                  process.exit(0);
                }
                if (!done(event.requestId)) {
                  await new Promise((resolve) => waiting.set(event.requestId, resolve));
                }
                fs.writeFileSync('/tmp/telemetry.json', JSON.stringify(received));
              }
            }));
            """;

    private static final String FUNCTION = """
            const fs = require('fs');
            exports.handler = async () => {
              console.log('hello from the function');
              const read = (name, otherwise) => { try { return fs.readFileSync(name, 'utf8'); } catch (e) { return otherwise; } };
              return { bound: read('/tmp/bound', ''), subscribed: read('/tmp/subscribed', ''), received: JSON.parse(read('/tmp/telemetry.json', '[]')) };
            };
            """;

    @Test
    void anExtensionThatSubscribedGetsThePlatformsEventsAndTheFunctionsLines(LambdaClient lambda) throws Exception {
        byte[] zip = FunctionZips.unixZip(Map.of("extensions/listener", LISTENER), Map.of("extensions/listener", "rwxr-xr-x"));
        String layer = lambda.publishLayerVersion(r -> r.layerName("listener").content(c -> c.zipFile(SdkBytes.fromByteArray(zip)))).layerVersionArn();
        for (String function : List.of("observed", "observed-too")) {
            lambda.createFunction(request(function, Runtime.NODEJS20_X, "index.handler", Map.of("index.js", FUNCTION)).timeout(10).layers(layer).build());
            FunctionStates.awaitActive(lambda, function);
            // One environment: the second invocation reads what the extension received during the first.
            lambda.putFunctionConcurrency(r -> r.functionName(function).reservedConcurrentExecutions(1));
        }

        InvokeResponse first = invoke(lambda, "observed");
        String firstId = first.responseMetadata().requestId();
        JsonNode second = JSON.readTree(invoke(lambda, "observed").payload().asUtf8String());
        // Another environment's extension listens on the same port under the same name: each sandbox has its own address.
        JsonNode other = JSON.readTree(invoke(lambda, "observed-too").payload().asUtf8String());

        assertThat(second.path("subscribed").asText()).isEqualTo("200 \"OK\"");
        if (namespacesAllowed()) {
            assertThat(second.path("bound").asText()).matches("127\\.100\\.\\d+\\.\\d+");
            assertThat(other.path("bound").asText()).matches("127\\.100\\.\\d+\\.\\d+").isNotEqualTo(second.path("bound").asText());
        }
        List<String> types = new ArrayList<>();
        JsonNode runtimeDone = null;
        JsonNode report = null;
        String functionLine = null;
        for (JsonNode event : second.path("received")) {
            types.add(event.path("type").asText());
            assertThat(event.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            switch (event.path("type").asText()) {
                case "platform.runtimeDone" -> runtimeDone = event.path("record");
                case "platform.report" -> report = event.path("record");
                case "function" -> functionLine = event.path("record").asText();
                default -> { }
            }
        }
        // The initialization's events came too, though the extension subscribed after the first of them.
        assertThat(types).containsSubsequence("platform.initStart", "platform.telemetrySubscription", "platform.initRuntimeDone",
                "platform.extension", "platform.initReport", "platform.start", "function", "platform.runtimeDone", "platform.report");
        assertThat(functionLine).contains(firstId).contains("INFO").endsWith("hello from the function");
        assertThat(runtimeDone.path("requestId").asText()).isEqualTo(firstId);
        assertThat(runtimeDone.path("status").asText()).isEqualTo("success");
        assertThat(runtimeDone.path("metrics").path("producedBytes").asLong()).isPositive();
        assertThat(report.path("requestId").asText()).isEqualTo(firstId);
        assertThat(report.path("metrics").path("memorySizeMB").asInt()).isEqualTo(128);
        assertThat(report.path("metrics").has("initDurationMs")).isTrue();
        assertThat(report.path("status").asText()).isEqualTo("success");
    }

    /** Whether this machine lets Stratus give runtimes namespaces of their own (and so extensions their sandbox's names). */
    private static boolean namespacesAllowed() throws Exception {
        for (String unshare : List.of("/usr/bin/unshare", "/bin/unshare")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(unshare))) {
                Process probe = new ProcessBuilder(unshare, "--user", "--map-root-user", "--mount", "true").redirectErrorStream(true).start();
                return probe.waitFor() == 0;
            }
        }
        return false;
    }

    private static InvokeResponse invoke(LambdaClient lambda, String function) {
        InvokeResponse response = lambda.invoke(r -> r.functionName(function).payload(SdkBytes.fromUtf8String("{}")));
        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        return response;
    }
}
