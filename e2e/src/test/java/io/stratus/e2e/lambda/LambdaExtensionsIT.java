package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.ThrottleReason;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * Lambda extensions: a layer's {@code extensions/} executables run beside the runtime, register
 * with the Extensions API, get INVOKE and SHUTDOWN events, and hold the environment until they are
 * done with each.
 */
@StratusTest
class LambdaExtensionsIT {

    /** Where the extension notes what it does. */
    private Path record;

    /**
     * An external extension in Node.js: registers for both events, notes each event it gets in the
     * shared {@code /tmp} and in the file {@code RECORD} names, and takes 2.5 s over each INVOKE.
     */
    private static final String RECORDER = """
            #!/usr/bin/env node
            const http = require('http');
            const fs = require('fs');
            const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
            const call = (method, path, headers, body) => new Promise((resolve, reject) => {
              const req = http.request({ host, port, method, path: '/2020-01-01/extension/' + path, headers }, (res) => {
                let text = '';
                res.on('data', (chunk) => { text += chunk; });
                res.on('end', () => resolve({ headers: res.headers, body: text }));
              });
              req.on('error', reject);
              req.end(body);
            });
            const note = (line) => fs.appendFileSync(process.env.RECORD, line + '\\n');
            (async () => {
              const registered = await call('POST', 'register', { 'Lambda-Extension-Name': 'recorder',
                'Lambda-Extension-Accept-Feature': 'accountId' }, JSON.stringify({ events: ['INVOKE', 'SHUTDOWN'] }));
              note('registered ' + registered.body);
              const id = registered.headers['lambda-extension-identifier'];
              for (;;) {
                const event = JSON.parse((await call('GET', 'event/next', { 'Lambda-Extension-Identifier': id })).body);
                if (event.eventType === 'SHUTDOWN') {
                  note('SHUTDOWN ' + event.shutdownReason);
                  process.exit(0);
                }
                console.log('extension saw ' + event.requestId);
                await new Promise((resolve) => setTimeout(resolve, 2500));
                fs.appendFileSync('/tmp/invokes', event.requestId + '\\n');
                note('done ' + event.requestId);
              }
            })();
            """;

    /** Answers what the extension noted in the shared /tmp so far. */
    private static final String READER = """
            const fs = require('fs');
            exports.handler = async () => {
              try {
                return fs.readFileSync('/tmp/invokes', 'utf8').trim().split('\\n');
              } catch (e) {
                return [];
              }
            };
            """;

    private static String layer(LambdaClient lambda, String name, String extension) {
        byte[] zip = FunctionZips.unixZip(Map.of("extensions/" + name, extension), Map.of("extensions/" + name, "rwxr-xr-x"));
        return lambda.publishLayerVersion(r -> r.layerName(name).content(c -> c.zipFile(SdkBytes.fromByteArray(zip)))).layerVersionArn();
    }

    private static InvokeResponse invoke(LambdaClient lambda, String function) {
        return lambda.invoke(r -> r.functionName(function).payload(SdkBytes.fromUtf8String("{}")));
    }

    private void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as(() -> what + "; the extension noted: " + read(record)).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anExtensionGetsEachInvocationAndTheShutdownAndHoldsTheEnvironmentUntilItIsDone(Stratus stratus, LambdaClient lambda,
            CloudWatchLogsClient logs, @TempDir Path dir) throws Exception {
        record = dir.resolve("record.txt");
        // A timeout well above the extension's work: an environment whose extensions are still busy once it has passed is not used again.
        lambda.createFunction(request("with-extension", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", READER)).timeout(10)
                .layers(layer(lambda, "recorder", RECORDER)).environment(e -> e.variables(Map.of("RECORD", record.toString()))).build());
        FunctionStates.awaitActive(lambda, "with-extension");

        // One environment at most: while the extension works on an invocation, the next one finds none free.
        lambda.putFunctionConcurrency(r -> r.functionName("with-extension").reservedConcurrentExecutions(1));

        InvokeResponse first = invoke(lambda, "with-extension");
        // The extension registered before the function ran (it notes the answer once it has it).
        await(() -> read(record).startsWith("registered {\"functionName\":\"with-extension\",\"functionVersion\":\"$LATEST\","
                + "\"handler\":\"index.handler\",\"accountId\":\"000000000000\"}"), "the registration");
        assertThat(first.functionError()).isNull();
        String firstId = first.responseMetadata().requestId();

        // The answer came before the extension was done with the invocation, which holds the environment (and its concurrency) until it is.
        assertThat(read(record)).doesNotContain("done " + firstId);
        LambdaClient noRetries = stratus.client(LambdaClient.builder().overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())));
        assertThatThrownBy(() -> invoke(noRetries, "with-extension")).isInstanceOfSatisfying(TooManyRequestsException.class,
                e -> assertThat(e.reason()).isEqualTo(ThrottleReason.RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED));
        await(() -> read(record).contains("done " + firstId), "the extension done with the first invocation");
        // Then the same environment, warm, takes the next one.
        InvokeResponse second = invoke(lambda, "with-extension");
        assertThat(second.payload().asUtf8String()).isEqualTo("[\"" + firstId + "\"]");

        lambda.deleteFunction(r -> r.functionName("with-extension"));
        await(() -> read(record).contains("SHUTDOWN spindown"), "the SHUTDOWN event");
        // What it wrote is in the function's log (a line written after an invocation ended goes out with the next one, or at the end).
        await(() -> logs.filterLogEvents(r -> r.logGroupName("/aws/lambda/with-extension").filterPattern("\"extension saw\"")).events()
                .size() == 2, "the extension's output in the function's log");
    }

    @Test
    void aTimedOutInvocationStopsTheEnvironmentAtOnceAndTellsTheExtensionWhy(Stratus stratus, LambdaClient lambda, @TempDir Path dir)
            throws Exception {
        record = dir.resolve("record.txt");
        lambda.createFunction(request("too-slow", Runtime.NODEJS20_X, "index.handler",
                Map.of("index.js", "exports.handler = () => new Promise((resolve) => setTimeout(resolve, 5000));\n"))
                .timeout(1).layers(layer(lambda, "slow-recorder", RECORDER.replace("'recorder'", "'slow-recorder'")))
                .environment(e -> e.variables(Map.of("RECORD", record.toString()))).build());
        FunctionStates.awaitActive(lambda, "too-slow");
        lambda.putFunctionConcurrency(r -> r.functionName("too-slow").reservedConcurrentExecutions(1));

        InvokeResponse timedOut = invoke(lambda, "too-slow");

        assertThat(timedOut.functionError()).isEqualTo("Unhandled");
        assertThat(timedOut.payload().asUtf8String()).contains("Task timed out after 1.00 seconds");
        // Not held for the extension: the environment is not used again, so the next invocation has the concurrency at once.
        LambdaClient noRetries = stratus.client(LambdaClient.builder().overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())));
        assertThat(invoke(noRetries, "too-slow").functionError()).isEqualTo("Unhandled");
        await(() -> read(record).contains("SHUTDOWN timeout"), "the SHUTDOWN event of the timed-out environment");
    }

    @Test
    void anExtensionThatExitsBeforeRegisteringFailsTheInitialization(LambdaClient lambda) {
        lambda.createFunction(request("broken-extension", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", READER))
                .layers(layer(lambda, "quitter", "#!/bin/sh\necho leaving\nexit 3\n")).build());
        FunctionStates.awaitActive(lambda, "broken-extension");

        InvokeResponse response = invoke(lambda, "broken-extension");

        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(response.payload().asUtf8String()).contains("\"errorType\":\"Extension.Crash\"").contains("quitter");
    }
}
