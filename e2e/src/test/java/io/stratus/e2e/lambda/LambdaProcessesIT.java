package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * What a function starts dies with its environment: on a timeout, on DeleteFunction and when the
 * server stops, also children that left the runtime's session or outlived their own parent, or both.
 */
@StratusTest
class LambdaProcessesIT {

    /** Leaves a {@code sleep} in a session of its own (Node.js's {@code detached}), then waits if asked. */
    private static final String NODE_SPAWNER = """
            const { spawn } = require('child_process');
            exports.handler = async (event) => {
              spawn('sleep', [event.seconds], { detached: true, stdio: 'ignore' }).unref();
              if (event.hang) await new Promise((resolve) => setTimeout(resolve, 30000));
              return 'spawned';
            };
            """;

    /**
     * Leaves a background {@code sleep} whose parent shell exits at once: no longer the runtime's
     * descendant, but still in its process group, and holding its output pipe.
     */
    private static final String PYTHON_SPAWNER = """
            import subprocess, time
            def handler(event, context):
                subprocess.Popen(['sh', '-c', 'sleep ' + event['seconds'] + ' &']).wait()
                if event.get('hang'):
                    time.sleep(30)
                return 'spawned'
            """;

    private static String payload(String seconds, boolean hang) {
        return "{\"seconds\":\"" + seconds + "\",\"hang\":" + hang + "}";
    }

    /** Live {@code sleep <seconds>} processes started since {@code since}, wherever they were reparented. */
    private static List<ProcessHandle> sleeps(String seconds, Instant since) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().startInstant().map(start -> !start.isBefore(since.minusSeconds(1))).orElse(false))
                .filter(p -> p.info().commandLine().map(line -> line.endsWith("sleep " + seconds)).orElse(false))
                .toList();
    }

    private static void assertNoneLeft(String seconds, Instant since) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!sleeps(seconds, since).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sleeps(seconds, since)).as("sleep %s processes left running", seconds).isEmpty();
    }

    /**
     * Waits up to 3 s for the function's {@code sleep}: the shell that started it in the background
     * may have returned before its child exec'd, and until then the child still shows as {@code sh}.
     */
    private static void assertRunning(String seconds, Instant since) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (sleeps(seconds, since).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sleeps(seconds, since)).as("the function's sleep %s", seconds).isNotEmpty();
    }

    @Test
    void timeoutKillsWhatTheFunctionStarted(LambdaClient lambda) throws Exception {
        Instant since = Instant.now();
        lambda.createFunction(request("spawn-node-timeout", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_SPAWNER)).timeout(1).build());
        FunctionStates.awaitUpdated(lambda, "spawn-node-timeout");
        lambda.createFunction(request("spawn-py-timeout", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_SPAWNER)).timeout(1).build());
        FunctionStates.awaitUpdated(lambda, "spawn-py-timeout");

        var node = lambda.invoke(r -> r.functionName("spawn-node-timeout").payload(SdkBytes.fromUtf8String(payload("60.11", true))));
        var python = lambda.invoke(r -> r.functionName("spawn-py-timeout").payload(SdkBytes.fromUtf8String(payload("60.12", true))));

        assertThat(node.payload().asUtf8String()).contains("Sandbox.Timedout");
        assertThat(python.payload().asUtf8String()).contains("Sandbox.Timedout");
        assertNoneLeft("60.11", since);
        assertNoneLeft("60.12", since);
    }

    @Test
    void deleteFunctionKillsWhatItsWarmEnvironmentsStarted(LambdaClient lambda) throws Exception {
        Instant since = Instant.now();
        lambda.createFunction(request("spawn-node-delete", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_SPAWNER)).timeout(30).build());
        FunctionStates.awaitUpdated(lambda, "spawn-node-delete");
        lambda.createFunction(request("spawn-py-delete", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_SPAWNER)).timeout(30).build());
        FunctionStates.awaitUpdated(lambda, "spawn-py-delete");
        assertThat(lambda.invoke(r -> r.functionName("spawn-node-delete").payload(SdkBytes.fromUtf8String(payload("60.21", false))))
                .payload().asUtf8String()).isEqualTo("\"spawned\"");
        assertThat(lambda.invoke(r -> r.functionName("spawn-py-delete").payload(SdkBytes.fromUtf8String(payload("60.22", false))))
                .payload().asUtf8String()).isEqualTo("\"spawned\"");
        assertRunning("60.21", since);
        assertRunning("60.22", since);

        lambda.deleteFunction(r -> r.functionName("spawn-node-delete"));
        lambda.deleteFunction(r -> r.functionName("spawn-py-delete"));

        assertNoneLeft("60.21", since);
        assertNoneLeft("60.22", since);
    }

    @Test
    void stoppingTheServerKillsWhatFunctionsStarted(@TempDir Path dir) throws Exception {
        Instant since = Instant.now();
        try (Stratus stratus = Stratus.start(StratusConfig.Storage.ROCKSDB, dir)) {
            LambdaClient lambda = stratus.client(LambdaClient.class);
            // A generous timeout: on a loaded machine a cold Python start can pass the default 3 s,
            // and a timed-out environment is killed with what it started before the server stops.
            lambda.createFunction(request("spawn-py-stop", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_SPAWNER)).timeout(30).build());
            FunctionStates.awaitUpdated(lambda, "spawn-py-stop");
            assertThat(lambda.invoke(r -> r.functionName("spawn-py-stop").payload(SdkBytes.fromUtf8String(payload("60.31", false))))
                    .payload().asUtf8String()).isEqualTo("\"spawned\"");
            assertRunning("60.31", since);
        }
        assertNoneLeft("60.31", since);
    }

    /**
     * Leaves a {@code sleep} that escaped both ways at once: in a session of its own, and its parent
     * shell gone, so neither the runtime's process tree nor its group holds it. Then the runtime
     * exits, if asked.
     */
    private static final String PYTHON_ESCAPER = """
            import os, subprocess
            def handler(event, context):
                subprocess.Popen(['sh', '-c', 'setsid sleep ' + event['seconds'] + ' > /dev/null 2>&1 &']).wait()
                if event.get('exit'):
                    os._exit(3)
                return 'spawned'
            """;

    private static final String NODE_ESCAPER = """
            const { spawnSync } = require('child_process');
            exports.handler = async (event) => {
              spawnSync('sh', ['-c', 'setsid sleep ' + event.seconds + ' > /dev/null 2>&1 &']);
              return 'spawned';
            };
            """;

    @Test
    void whatLeftBothTheSessionAndItsParentDiesWithItsEnvironment(LambdaClient lambda) throws Exception {
        Assumptions.assumeTrue(PrivateTmps.available(), "this machine does not let unprivileged processes have mount namespaces");
        Instant since = Instant.now();
        lambda.createFunction(request("escape-py", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_ESCAPER)).timeout(30).build());
        lambda.createFunction(request("escape-node", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ESCAPER)).timeout(30).build());
        FunctionStates.awaitUpdated(lambda, "escape-py");
        FunctionStates.awaitUpdated(lambda, "escape-node");
        assertThat(invoke(lambda, "escape-py", "{\"seconds\":\"60.41\"}")).isEqualTo("\"spawned\"");
        assertThat(invoke(lambda, "escape-node", "{\"seconds\":\"60.42\"}")).isEqualTo("\"spawned\"");
        assertRunning("60.41", since);
        assertRunning("60.42", since);

        lambda.deleteFunction(r -> r.functionName("escape-py"));
        lambda.deleteFunction(r -> r.functionName("escape-node"));

        assertNoneLeft("60.41", since);
        assertNoneLeft("60.42", since);
    }

    @Test
    void whatEscapedDiesWithARuntimeThatExited(LambdaClient lambda) throws Exception {
        Assumptions.assumeTrue(PrivateTmps.available(), "this machine does not let unprivileged processes have mount namespaces");
        Instant since = Instant.now();
        lambda.createFunction(request("escape-exit", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_ESCAPER)).timeout(30).build());
        FunctionStates.awaitUpdated(lambda, "escape-exit");

        var exited = lambda.invoke(r -> r.functionName("escape-exit").payload(SdkBytes.fromUtf8String("{\"seconds\":\"60.43\",\"exit\":true}")));

        assertThat(exited.functionError()).isEqualTo("Unhandled");
        assertThat(exited.payload().asUtf8String()).contains("Runtime.ExitError");
        assertNoneLeft("60.43", since);
    }

    private static final String PYTHON_TMP = """
            import os, sys
            def handler(event, context):
                if 'list' in event:
                    return sorted(os.listdir('/tmp'))
                if 'flags' in event:
                    return {'hash_randomization': sys.flags.hash_randomization, 'warnings': list(sys.warnoptions)}
                path = '/tmp/' + event['name']
                existed = os.path.exists(path)
                with open(path, 'w') as f:
                    f.write('mine')
                return {'existed': existed}
            """;

    @Test
    void eachEnvironmentHasATmpOfItsOwn(LambdaClient lambda) throws Exception {
        Assumptions.assumeTrue(PrivateTmps.available(), "this machine does not let unprivileged processes have mount namespaces");
        lambda.createFunction(request("tmp-a", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_TMP)).build());
        lambda.createFunction(request("tmp-b", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_TMP)).build());
        FunctionStates.awaitActive(lambda, "tmp-a");
        FunctionStates.awaitActive(lambda, "tmp-b");
        String name = "stratus-private-" + java.util.UUID.randomUUID();
        String payload = "{\"name\":\"" + name + "\"}";

        assertThat(invoke(lambda, "tmp-a", payload)).isEqualTo("{\"existed\": false}");
        assertThat(Path.of("/tmp", name)).as("the machine's /tmp").doesNotExist();
        assertThat(invoke(lambda, "tmp-a", payload)).as("the same environment, warm").isEqualTo("{\"existed\": true}");
        assertThat(invoke(lambda, "tmp-b", payload)).as("another environment").isEqualTo("{\"existed\": false}");
        // What it holds besides: its link to the Runtime API's socket (and the data directory's entry of /tmp, where it is in /tmp).
        assertThat(invoke(lambda, "tmp-b", "{\"list\":true}")).contains("\".stratus-runtime-api.sock\"").contains("\"" + name + "\"");
    }

    @Test
    void aPythonFunctionWhoseVariablesActAsTheInterpreterStartsGetsThemAndATmpOfItsOwn(LambdaClient lambda) throws Exception {
        // Python runtimes are forked from an interpreter that has started; these variables need a start of their own.
        lambda.createFunction(request("tmp-started", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_TMP))
                .environment(e -> e.variables(Map.of("PYTHONHASHSEED", "0", "PYTHONWARNINGS", "ignore::DeprecationWarning"))).build());
        lambda.createFunction(request("tmp-forked", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_TMP)).build());
        FunctionStates.awaitActive(lambda, "tmp-started");
        FunctionStates.awaitActive(lambda, "tmp-forked");

        assertThat(invoke(lambda, "tmp-started", "{\"flags\":true}"))
                .isEqualTo("{\"hash_randomization\": 0, \"warnings\": [\"ignore::DeprecationWarning\"]}");
        assertThat(invoke(lambda, "tmp-forked", "{\"flags\":true}")).isEqualTo("{\"hash_randomization\": 1, \"warnings\": []}");
        if (PrivateTmps.available()) {
            String name = "stratus-private-" + java.util.UUID.randomUUID();
            assertThat(invoke(lambda, "tmp-started", "{\"name\":\"" + name + "\"}")).isEqualTo("{\"existed\": false}");
            assertThat(Path.of("/tmp", name)).as("the machine's /tmp").doesNotExist();
            assertThat(invoke(lambda, "tmp-forked", "{\"name\":\"" + name + "\"}")).isEqualTo("{\"existed\": false}");
        }
    }

    /** Writes a file next to its code, into its layer's {@code /opt} (see docs/lambda.md#layers), and into {@code /tmp}: what each write answered. */
    private static final String PYTHON_WRITER = """
            import os
            def handler(event, context):
                answers = []
                for path in (os.environ['LAMBDA_TASK_ROOT'], os.environ['STRATUS_OPT_DIR'] + '/python', '/tmp'):
                    try:
                        with open(os.path.join(path, 'written'), 'w') as f:
                            f.write('mine')
                        answers.append('written')
                    except OSError as e:
                        answers.append(e.strerror)
                return answers
            """;

    private static final String NODE_WRITER = """
            const fs = require('fs');
            exports.handler = async () => [process.env.LAMBDA_TASK_ROOT, process.env.STRATUS_OPT_DIR + '/nodejs', '/tmp'].map((dir) => {
              try {
                fs.writeFileSync(dir + '/written', 'mine');
                return 'written';
              } catch (e) {
                return e.code;
              }
            });
            """;

    @Test
    void aFunctionsCodeAndLayersAreReadOnlyToItAsOnAws(LambdaClient lambda) throws Exception {
        Assumptions.assumeTrue(PrivateTmps.available(), "this machine does not let unprivileged processes have mount namespaces");
        String layer = lambda.publishLayerVersion(r -> r.layerName("writable").content(c -> c.zipFile(SdkBytes.fromByteArray(
                FunctionZips.zip(Map.of("python/lib.py", "X = 1\n", "nodejs/lib.js", "module.exports = 1;\n")))))).layerVersionArn();
        lambda.createFunction(request("writer-forked", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_WRITER)).layers(layer).build());
        // A Python runtime started as a process of its own, as these variables need.
        lambda.createFunction(request("writer-started", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_WRITER)).layers(layer)
                .environment(e -> e.variables(Map.of("PYTHONHASHSEED", "0"))).build());
        lambda.createFunction(request("writer-node", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_WRITER)).layers(layer).build());
        for (String name : List.of("writer-forked", "writer-started", "writer-node")) {
            FunctionStates.awaitActive(lambda, name);
        }

        assertThat(invoke(lambda, "writer-forked", "{}")).isEqualTo("[\"Read-only file system\", \"Read-only file system\", \"written\"]");
        assertThat(invoke(lambda, "writer-started", "{}")).isEqualTo("[\"Read-only file system\", \"Read-only file system\", \"written\"]");
        assertThat(invoke(lambda, "writer-node", "{}")).isEqualTo("[\"EROFS\",\"EROFS\",\"written\"]");
    }

    private static String invoke(LambdaClient lambda, String function, String payload) {
        return lambda.invoke(r -> r.functionName(function).payload(SdkBytes.fromUtf8String(payload))).payload().asUtf8String();
    }
}
