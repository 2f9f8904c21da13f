package io.stratus.e2e.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.StratusTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

/**
 * Java functions: a JVM of the machine running AWS's runtime interface client over handlers this
 * test compiles, packaged each way AWS takes them.
 */
@StratusTest
class LambdaJavaIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String ECHO = """
            package example;

            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.util.HashMap;
            import java.util.Map;

            public class Echo implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                private static int calls;

                @Override
                public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                    calls++;
                    System.out.println("echoing " + event);
                    context.getLogger().log("logged through the context");
                    Map<String, Object> out = new HashMap<>();
                    out.put("event", event);
                    out.put("calls", calls);
                    out.put("requestId", context.getAwsRequestId());
                    out.put("functionName", context.getFunctionName());
                    out.put("functionVersion", context.getFunctionVersion());
                    out.put("invokedFunctionArn", context.getInvokedFunctionArn());
                    out.put("memoryLimitInMB", context.getMemoryLimitInMB());
                    out.put("logGroupName", context.getLogGroupName());
                    out.put("remaining", context.getRemainingTimeInMillis());
                    out.put("javaVersion", java.lang.Runtime.version().feature());
                    out.put("maxHeap", java.lang.Runtime.getRuntime().maxMemory());
                    out.put("tmpdir", System.getProperty("java.io.tmpdir"));
                    out.put("workingDir", System.getProperty("user.dir"));
                    out.put("taskRoot", System.getenv("LAMBDA_TASK_ROOT"));
                    out.put("region", System.getenv("AWS_REGION"));
                    out.put("endpoint", System.getenv("AWS_ENDPOINT_URL"));
                    out.put("greeting", System.getenv("GREETING"));
                    out.put("toolOption", System.getProperty("stratus.test"));
                    return out;
                }
            }
            """;

    private static final String UPPER = """
            package example;

            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
            import java.io.IOException;
            import java.io.InputStream;
            import java.io.OutputStream;
            import java.nio.charset.StandardCharsets;

            public class Upper implements RequestStreamHandler {
                @Override
                public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    out.write(text.toUpperCase().getBytes(StandardCharsets.UTF_8));
                }
            }
            """;

    private static final String METHODS = """
            package example;

            import java.util.ArrayList;
            import java.util.List;
            import java.util.Map;

            public class Methods {
                private static int calls;
                private static final List<byte[]> kept = new ArrayList<>();

                public String greet(Map<String, Object> event) {
                    calls++;
                    return "hello " + event.get("name") + " #" + calls;
                }

                public String fail(Map<String, Object> event) {
                    throw new IllegalStateException("cannot " + event.get("what"));
                }

                public String hog(Map<String, Object> event) {
                    calls++;
                    // More than the whole heap at once: the JVM refuses it at its limit.
                    kept.add(new byte[200 * 1024 * 1024]);
                    return "kept";
                }
            }
            """;

    private static final String BROKEN = """
            package example;

            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;

            public class Broken implements RequestHandler<String, String> {
                static {
                    if (Boolean.parseBoolean("true")) {
                        throw new IllegalStateException("no configuration");
                    }
                }

                @Override
                public String handleRequest(String event, Context context) {
                    return event;
                }
            }
            """;

    private static Map<String, byte[]> classes;

    @BeforeAll
    static void compile() {
        classes = JavaFunctions.compile(Map.of("example.Echo", ECHO, "example.Upper", UPPER, "example.Methods", METHODS, "example.Broken", BROKEN));
    }

    private static CreateFunctionRequest.Builder function(String name, String runtime, String handler, byte[] zip) {
        return CreateFunctionRequest.builder()
                .functionName(name)
                .runtime(runtime)
                .handler(handler)
                .role(FunctionZips.ROLE)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip)));
    }

    private static InvokeResponse invoke(LambdaClient lambda, String name, String payload) {
        return lambda.invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String(payload)).logType(LogType.TAIL));
    }

    private static JsonNode json(InvokeResponse response) throws Exception {
        return JSON.readTree(response.payload().asByteArray());
    }

    private static String log(InvokeResponse response) {
        return new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
    }

    @Test
    void requestHandlerEchoesWithContextOnJava21(LambdaClient lambda) throws Exception {
        lambda.createFunction(function("java-echo", "java21", "example.Echo::handleRequest", JavaFunctions.zip(classes))
                .timeout(10).memorySize(256)
                .environment(e -> e.variables(Map.of("GREETING", "hej", "JAVA_TOOL_OPTIONS", "-Dstratus.test=picked-up"))).build());
        FunctionStates.awaitActive(lambda, "java-echo");

        InvokeResponse first = invoke(lambda, "java-echo", "{\"a\":1,\"b\":\"two\"}");

        assertThat(first.functionError()).as(new String(first.payload().asByteArray(), StandardCharsets.UTF_8)).isNull();
        JsonNode body = json(first);
        assertThat(body.get("event").get("a").asInt()).isEqualTo(1);
        assertThat(body.get("event").get("b").asText()).isEqualTo("two");
        assertThat(body.get("calls").asInt()).isEqualTo(1);
        assertThat(body.get("requestId").asText()).hasSize(36);
        assertThat(body.get("functionName").asText()).isEqualTo("java-echo");
        assertThat(body.get("functionVersion").asText()).isEqualTo("$LATEST");
        assertThat(body.get("invokedFunctionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:java-echo");
        assertThat(body.get("memoryLimitInMB").asInt()).isEqualTo(256);
        assertThat(body.get("logGroupName").asText()).isEqualTo("/aws/lambda/java-echo");
        assertThat(body.get("remaining").asLong()).as("the deadline runs from the invocation, not from the JVM's start").isBetween(8_000L, 10_000L);
        assertThat(body.get("javaVersion").asInt()).isGreaterThanOrEqualTo(21);
        assertThat(body.get("maxHeap").asLong()).as("85 %% of 256 MB, as AWS sizes the heap").isBetween(200L << 20, 218L << 20);
        if (PrivateTmps.available()) {
            assertThat(body.get("tmpdir").asText()).isEqualTo("/tmp");
        } else {
            assertThat(body.get("tmpdir").asText()).contains("stratus-lambda-env-").endsWith("/tmp");
        }
        assertThat(body.get("workingDir").asText()).isEqualTo(body.get("taskRoot").asText());
        assertThat(body.get("region").asText()).isEqualTo("us-east-1");
        assertThat(body.get("greeting").asText()).isEqualTo("hej");
        assertThat(body.get("toolOption").asText()).as("JAVA_TOOL_OPTIONS reaches the JVM").isEqualTo("picked-up");
        assertThat(log(first)).contains("START RequestId: " + body.get("requestId").asText()).contains("REPORT RequestId:").contains("Init Duration:")
                .as("no JVM warnings about the client's JNI library").doesNotContain("WARNING:");

        InvokeResponse second = invoke(lambda, "java-echo", "{}");
        assertThat(json(second).get("calls").asInt()).as("the same warm JVM").isEqualTo(2);
        assertThat(log(second)).doesNotContain("Init Duration");
    }

    @Test
    void aJsonLoggingConfigMakesAwssClientLogJsonRecords(LambdaClient lambda) throws Exception {
        lambda.createFunction(function("java-json", "java21", "example.Echo::handleRequest", JavaFunctions.zip(classes))
                .timeout(10).memorySize(256).loggingConfig(l -> l.logFormat("JSON")).build());
        FunctionStates.awaitActive(lambda, "java-json");

        InvokeResponse response = invoke(lambda, "java-json", "{}");

        List<JsonNode> records = new ArrayList<>();
        for (String line : log(response).split("\n")) {
            if (line.startsWith("{")) {
                records.add(JSON.readTree(line));
            }
        }
        assertThat(records).anySatisfy(r -> assertThat(r.path("type").asText()).isEqualTo("platform.start"));
        assertThat(records).anySatisfy(r -> {
            assertThat(r.path("message").asText()).isEqualTo("logged through the context");
            assertThat(r.path("AWSRequestId").asText()).isEqualTo(json(response).get("requestId").asText());
        });
        assertThat(log(response)).contains("echoing {}").doesNotContain("START RequestId");
    }

    @Test
    void streamHandlerFromAPlainJarOnJava17(LambdaClient lambda) {
        lambda.createFunction(function("java-upper", "java17", "example.Upper", JavaFunctions.jar(classes)).timeout(10).build());
        FunctionStates.awaitActive(lambda, "java-upper");

        InvokeResponse response = invoke(lambda, "java-upper", "\"shout\"");

        assertThat(response.functionError()).isNull();
        assertThat(response.payload().asUtf8String()).isEqualTo("\"SHOUT\"");
    }

    @Test
    void methodHandlerFromLibJarsOfAZip(LambdaClient lambda) {
        lambda.createFunction(function("java-greet", "java21", "example.Methods::greet", JavaFunctions.libZip("handlers.jar", classes))
                .timeout(10).build());
        FunctionStates.awaitActive(lambda, "java-greet");

        assertThat(invoke(lambda, "java-greet", "{\"name\":\"Ada\"}").payload().asUtf8String()).isEqualTo("\"hello Ada #1\"");
        assertThat(invoke(lambda, "java-greet", "{\"name\":\"Bob\"}").payload().asUtf8String()).isEqualTo("\"hello Bob #2\"");
    }

    @Test
    void aLayersJavaLibJarsAreOnTheClassPath(LambdaClient lambda) {
        Map<String, byte[]> compiled = JavaFunctions.compile(Map.of(
                "shared.Greeting", "package shared;\npublic final class Greeting {\n    public static String of(String name) { return \"greetings, \" + name; }\n}\n",
                "example.UsesLayer", """
                        package example;
                        import com.amazonaws.services.lambda.runtime.Context;
                        import com.amazonaws.services.lambda.runtime.RequestHandler;
                        public class UsesLayer implements RequestHandler<String, String> {
                            public String handleRequest(String name, Context context) { return shared.Greeting.of(name); }
                        }
                        """));
        Map<String, byte[]> library = new java.util.TreeMap<>();
        Map<String, byte[]> handler = new java.util.TreeMap<>();
        compiled.forEach((path, bytes) -> (path.startsWith("shared/") ? library : handler).put(path, bytes));
        String layer = lambda.publishLayerVersion(r -> r.layerName("java-shared")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(JavaFunctions.zip(Map.of("java/lib/shared.jar", JavaFunctions.jar(library)))))))
                .layerVersionArn();
        lambda.createFunction(function("java-layered", "java21", "example.UsesLayer", JavaFunctions.zip(handler)).layers(layer).timeout(10).build());
        FunctionStates.awaitActive(lambda, "java-layered");

        InvokeResponse response = invoke(lambda, "java-layered", "\"Ada\"");

        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        assertThat(response.payload().asUtf8String()).isEqualTo("\"greetings, Ada\"");
    }

    @Test
    void exceptionIsTheFunctionsErrorWithItsStackTrace(LambdaClient lambda) throws Exception {
        lambda.createFunction(function("java-fail", "java21", "example.Methods::fail", JavaFunctions.zip(classes)).timeout(10).build());
        FunctionStates.awaitActive(lambda, "java-fail");

        InvokeResponse response = invoke(lambda, "java-fail", "{\"what\":\"fly\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        JsonNode error = json(response);
        assertThat(error.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("errorMessage").asText()).isEqualTo("cannot fly");
        assertThat(error.get("stackTrace").isArray()).isTrue();
        assertThat(error.get("stackTrace").get(0).asText()).contains("example.Methods.fail");
    }

    @Test
    void missingClassIsReportedAsTheClientReportsIt(LambdaClient lambda) throws Exception {
        lambda.createFunction(function("java-missing", "java21", "example.Missing::handleRequest", JavaFunctions.zip(classes)).timeout(10).build());
        FunctionStates.awaitActive(lambda, "java-missing");

        InvokeResponse response = invoke(lambda, "java-missing", "{}");

        assertThat(response.functionError()).isEqualTo("Unhandled");
        JsonNode error = json(response);
        assertThat(error.get("errorType").asText()).isEqualTo("java.lang.ClassNotFoundException");
        assertThat(error.get("errorMessage").asText()).contains("example.Missing");
    }

    @Test
    void failingInitializationIsAnInitErrorOfTheFunction(LambdaClient lambda) throws Exception {
        lambda.createFunction(function("java-broken", "java21", "example.Broken::handleRequest", JavaFunctions.zip(classes)).timeout(10).build());
        FunctionStates.awaitActive(lambda, "java-broken");

        InvokeResponse response = invoke(lambda, "java-broken", "\"x\"");

        assertThat(response.functionError()).isEqualTo("Unhandled");
        JsonNode error = json(response);
        assertThat(error.get("errorType").asText()).as(error.toString()).isEqualTo("java.lang.ExceptionInInitializerError");
        assertThat(log(invoke(lambda, "java-broken", "\"x\""))).as("the client exited: a new JVM tries again").contains("Init Duration");
    }

    @Test
    void heapExhaustionIsAnOutOfMemoryErrorAndReplacesTheJvm(LambdaClient lambda) throws Exception {
        lambda.createFunction(function("java-hog", "java21", "example.Methods::hog", JavaFunctions.zip(classes)).timeout(10).build());
        FunctionStates.awaitActive(lambda, "java-hog");

        InvokeResponse response = invoke(lambda, "java-hog", "{}");

        assertThat(response.functionError()).isEqualTo("Unhandled");
        JsonNode error = json(response);
        assertThat(error.get("errorType").asText()).isEqualTo("java.lang.OutOfMemoryError");
        assertThat(error.get("errorMessage").asText()).isEqualTo("Java heap space");
        // The client exits after a VirtualMachineError: the next invocation starts a new JVM.
        assertThat(log(invoke(lambda, "java-hog", "{}"))).contains("Init Duration");
    }
}
