package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.StratusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * A function that uses more memory than its MemorySize fails as on AWS: Runtime.OutOfMemory, and
 * its environment is replaced.
 */
@StratusTest
class LambdaMemoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Grows by 10 MB steps, touched, up to {@code mb}; or asks for it all at once. */
    private static final String PYTHON_HOG = """
            calls = 0
            kept = []

            def handler(event, context):
                global calls
                calls += 1
                if event.get("at_once"):
                    kept.append(bytearray(event["mb"] * 1024 * 1024))
                for _ in range(event.get("mb", 0) // 10):
                    kept.append(b"x" * (10 * 1024 * 1024))
                return {"calls": calls}
            """;

    private static final String NODE_HOG = """
            let calls = 0;
            const kept = [];
            exports.handler = async (event) => {
              calls++;
              for (let i = 0; i < (event.mb || 0) / 10; i++) {
                kept.push(Buffer.alloc(10 * 1024 * 1024, 1));
              }
              return { calls };
            };
            """;

    /** A Java function whose child process takes the memory: what a function starts counts too. */
    private static final String JAVA_SPAWNER = """
            package example;

            import java.util.Map;

            public class Spawner {
                public String handle(Map<String, Object> event) throws Exception {
                    Process child = new ProcessBuilder("python3", "-c",
                            "import time; x = b'x' * (300 * 1024 * 1024); time.sleep(30)").inheritIO().start();
                    child.waitFor();
                    return "done";
                }
            }
            """;

    private static InvokeResponse invoke(LambdaClient lambda, String name, String payload) {
        return lambda.invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String(payload)).logType(LogType.TAIL));
    }

    private static String log(InvokeResponse response) {
        return new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
    }

    private static void assertOutOfMemory(InvokeResponse response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        JsonNode error = JSON.readTree(response.payload().asByteArray());
        assertThat(error.get("errorType").asText()).isEqualTo("Runtime.OutOfMemory");
        assertThat(error.get("errorMessage").asText()).matches("RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed");
        // As AWS reports a sandbox its OOM killer stopped: all of its memory used.
        assertThat(log(response)).contains("Max Memory Used: 128 MB\t").contains("Status: error\tError Type: Runtime.OutOfMemory\t")
                .contains("Error: Runtime exited with error: signal: killed\nRuntime.OutOfMemory\nEND RequestId: ").contains("START RequestId: ");
    }

    @Test
    void pythonGrowingPastItsMemoryIsOutOfMemoryAndGetsAFreshEnvironment(LambdaClient lambda) throws Exception {
        lambda.createFunction(request("py-hog", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_HOG)).timeout(30).build());
        FunctionStates.awaitActive(lambda, "py-hog");
        assertThat(invoke(lambda, "py-hog", "{\"mb\":20}").payload().asUtf8String()).isEqualTo("{\"calls\": 1}");

        assertOutOfMemory(invoke(lambda, "py-hog", "{\"mb\":1000}"));

        InvokeResponse after = invoke(lambda, "py-hog", "{}");
        assertThat(after.functionError()).isNull();
        assertThat(after.payload().asUtf8String()).as("a new process: module state starts over").isEqualTo("{\"calls\": 1}");
        assertThat(log(after)).contains("Init Duration");
    }

    @Test
    void pythonAskingForFarMoreAtOnceIsOutOfMemory(LambdaClient lambda) throws Exception {
        lambda.createFunction(request("py-greedy", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_HOG)).timeout(30).build());
        FunctionStates.awaitActive(lambda, "py-greedy");

        assertOutOfMemory(invoke(lambda, "py-greedy", "{\"mb\":8000,\"at_once\":true}"));
    }

    @Test
    void nodeGrowingPastItsMemoryIsOutOfMemory(LambdaClient lambda) throws Exception {
        lambda.createFunction(request("node-hog", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_HOG)).timeout(30).build());
        FunctionStates.awaitActive(lambda, "node-hog");

        assertOutOfMemory(invoke(lambda, "node-hog", "{\"mb\":1000}"));

        InvokeResponse after = invoke(lambda, "node-hog", "{}");
        assertThat(after.payload().asUtf8String()).isEqualTo("{\"calls\":1}");
    }

    /** Fills the JavaScript heap itself (objects, not Buffers): V8's own limit, sized from MemorySize as AWS sizes it. */
    private static final String NODE_HEAP_HOG = """
            let calls = 0;
            const kept = [];
            exports.handler = async (event) => {
              calls++;
              if (event.fill) {
                for (;;) {
                  kept.push(Array.from({ length: 100000 }, (_, i) => ({ i, s: 'x' + i })));
                }
              }
              return { calls };
            };
            """;

    /** Starts a child that takes the memory: what a Node.js function starts counts against its memory too. */
    private static final String NODE_SPAWNER = """
            const { execFileSync } = require('child_process');
            exports.handler = async () => {
              execFileSync('python3', ['-c', "import time; x = b'x' * (300 * 1024 * 1024); time.sleep(30)"]);
              return 'done';
            };
            """;

    @Test
    void nodeFillingItsJavaScriptHeapIsOutOfMemoryAndGetsAFreshEnvironment(LambdaClient lambda) throws Exception {
        lambda.createFunction(request("node-heap-hog", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_HEAP_HOG)).timeout(60).build());
        FunctionStates.awaitActive(lambda, "node-heap-hog");
        assertThat(invoke(lambda, "node-heap-hog", "{}").payload().asUtf8String()).isEqualTo("{\"calls\":1}");

        assertOutOfMemory(invoke(lambda, "node-heap-hog", "{\"fill\":true}"));

        InvokeResponse after = invoke(lambda, "node-heap-hog", "{}");
        assertThat(after.functionError()).isNull();
        assertThat(after.payload().asUtf8String()).as("a new process: module state starts over").isEqualTo("{\"calls\":1}");
        assertThat(log(after)).contains("Init Duration");
    }

    @Test
    void nodeFunctionsChildrenCountAgainstItsMemory(LambdaClient lambda) throws Exception {
        lambda.createFunction(request("node-spawner", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_SPAWNER)).timeout(30).build());
        FunctionStates.awaitActive(lambda, "node-spawner");

        assertOutOfMemory(invoke(lambda, "node-spawner", "{}"));
    }

    @Test
    void javaFunctionsChildrenCountAgainstItsMemory(LambdaClient lambda) throws Exception {
        byte[] zip = JavaFunctions.zip(JavaFunctions.compile(Map.of("example.Spawner", JAVA_SPAWNER)));
        lambda.createFunction(r -> r.functionName("java-spawner").runtime("java21").handler("example.Spawner::handle").role(FunctionZips.ROLE)
                .timeout(30).code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
        FunctionStates.awaitActive(lambda, "java-spawner");

        assertOutOfMemory(invoke(lambda, "java-spawner", "{}"));
    }
}
