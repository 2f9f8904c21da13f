package io.stratus.e2e.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Code updates against each other and against running invocations: each server here is our own, so
 * the test can look at the code files it keeps.
 */
class LambdaCodeUpdatesIT {

    private static final String ACCOUNT_DIR = "000000000000/us-east-1/";

    private static byte[] nodeReturning(String value) {
        return FunctionZips.zip(Map.of("index.js", "exports.handler = async () => '" + value + "';"));
    }

    private static String hex(String base64Sha256) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64Sha256));
    }

    private static List<String> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void concurrentCodeUpdatesLeaveTheCurrentCodeInPlace(@TempDir Path dir) throws Exception {
        try (Stratus stratus = Stratus.start(StratusConfig.Storage.ROCKSDB, dir)) {
            LambdaClient lambda = stratus.client(LambdaClient.class);
            FunctionZips.create(lambda, "racer", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", "exports.handler = async () => 'v0';"));
            Map<String, String> valueBySha = new ConcurrentHashMap<>();
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> updates = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    updates.add(threads.submit(() -> {
                        for (int i = 0; i < 5; i++) {
                            String value = "v" + thread + "-" + i;
                            byte[] zip = nodeReturning(value);
                            // As on AWS, an update while another is in progress is refused: try again.
                            String sha = null;
                            while (sha == null) {
                                try {
                                    sha = lambda.updateFunctionCode(r -> r.functionName("racer").zipFile(SdkBytes.fromByteArray(zip))).codeSha256();
                                } catch (software.amazon.awssdk.services.lambda.model.ResourceConflictException e) {
                                    Thread.sleep(2);
                                }
                            }
                            valueBySha.put(sha, value);
                        }
                        return null;
                    }));
                }
                for (Future<?> update : updates) {
                    update.get(60, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }

            String sha = FunctionStates.awaitUpdated(lambda, "racer").codeSha256();
            // Nothing ran the code yet: the invocation extracts it from the stored zip.
            InvokeResponse response = lambda.invoke(r -> r.functionName("racer"));
            assertThat(response.functionError()).isNull();
            assertThat(response.payload().asUtf8String()).isEqualTo("\"" + valueBySha.get(sha) + "\"");
            Path lambdaDir = dir.resolve("lambda");
            assertThat(files(lambdaDir.resolve("code/" + ACCOUNT_DIR + "racer"))).containsExactly(hex(sha) + ".zip");
            assertThat(files(lambdaDir.resolve("tasks/" + ACCOUNT_DIR + "racer"))).containsExactly(hex(sha));
        }
    }

    @Test
    void invocationRunningWhileItsCodeIsUpdatedCompletes(@TempDir Path dir) throws Exception {
        String reader = """
                exports.handler = async () => {
                  await new Promise((resolve) => setTimeout(resolve, 1000));
                  return require('fs').readFileSync(__dirname + '/data.txt', 'utf8');
                };
                """;
        try (Stratus stratus = Stratus.start(StratusConfig.Storage.ROCKSDB, dir)) {
            LambdaClient lambda = stratus.client(LambdaClient.class);
            lambda.createFunction(FunctionZips.request("slow-reader", Runtime.NODEJS20_X, "index.handler",
                    Map.of("index.js", reader, "data.txt", "old")).timeout(10).build());
            FunctionStates.awaitUpdated(lambda, "slow-reader");
            String oldSha = lambda.getFunction(r -> r.functionName("slow-reader")).configuration().codeSha256();
            Path tasks = dir.resolve("lambda/tasks/" + ACCOUNT_DIR + "slow-reader");

            ExecutorService thread = Executors.newSingleThreadExecutor();
            try {
                Future<InvokeResponse> running = thread.submit(() -> lambda.invoke(r -> r.functionName("slow-reader")));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!Files.isDirectory(tasks.resolve(hex(oldSha))) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                Thread.sleep(200);
                String newSha = lambda.updateFunctionCode(r -> r.functionName("slow-reader")
                        .zipFile(SdkBytes.fromByteArray(FunctionZips.zip(Map.of("index.js", reader, "data.txt", "new"))))).codeSha256();
                FunctionStates.awaitUpdated(lambda, "slow-reader");
                assertThat(files(tasks)).as("the running invocation's code stays").contains(hex(oldSha));

                InvokeResponse old = running.get(15, TimeUnit.SECONDS);
                assertThat(old.functionError()).isNull();
                assertThat(old.payload().asUtf8String()).isEqualTo("\"old\"");

                assertThat(lambda.invoke(r -> r.functionName("slow-reader")).payload().asUtf8String()).isEqualTo("\"new\"");
                assertThat(files(tasks)).as("the old code goes once nothing runs it").containsExactly(hex(newSha));
                assertThat(files(dir.resolve("lambda/code/" + ACCOUNT_DIR + "slow-reader"))).containsExactly(hex(newSha) + ".zip");
            } finally {
                thread.shutdownNow();
            }
        }
    }
}
