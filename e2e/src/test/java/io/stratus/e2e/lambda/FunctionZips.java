package io.stratus.e2e.lambda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Small function zips built in the test, and a shorthand to deploy them. */
public final class FunctionZips {

    public static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";

    public static final String NODE_ECHO = """
            let calls = 0;
            exports.handler = async (event, context) => {
              calls++;
              console.log('echoing', JSON.stringify(event));
              return {
                event,
                calls,
                requestId: context.awsRequestId,
                functionName: context.functionName,
                memoryLimitInMB: context.memoryLimitInMB,
                logGroupName: context.logGroupName,
                invokedFunctionArn: context.invokedFunctionArn,
                remaining: context.getRemainingTimeInMillis(),
                env: {
                  name: process.env.AWS_LAMBDA_FUNCTION_NAME,
                  region: process.env.AWS_REGION,
                  endpoint: process.env.AWS_ENDPOINT_URL,
                  custom: process.env.GREETING,
                  tz: process.env.TZ,
                  taskRoot: process.env.LAMBDA_TASK_ROOT,
                  tmp: require('os').tmpdir(),
                },
              };
            };
            """;

    public static final String PYTHON_ECHO = """
            import os
            calls = 0

            def handler(event, context):
                global calls
                calls += 1
                print("echoing", event)
                return {
                    "event": event,
                    "calls": calls,
                    "requestId": context.aws_request_id,
                    "functionName": context.function_name,
                    "remaining": context.get_remaining_time_in_millis(),
                    "env": {"name": os.environ["AWS_LAMBDA_FUNCTION_NAME"], "custom": os.environ.get("GREETING"),
                            "region": os.environ["AWS_REGION"], "endpoint": os.environ["AWS_ENDPOINT_URL"]},
                }
            """;

    private FunctionZips() {}

    public static byte[] zip(Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A zip that records Unix permissions, as {@code zip} on Unix writes one (java.util.zip cannot):
     * written through the JDK's zip file system with its POSIX attributes on.
     *
     * @param permissions e.g. {@code rwxr-xr-x}, by file; files not named get none recorded
     */
    public static byte[] unixZip(Map<String, String> files, Map<String, String> permissions) {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("stratus-zip-");
            java.nio.file.Path file = dir.resolve("fn.zip");
            try {
                try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(file,
                        Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
                    for (Map.Entry<String, String> entry : files.entrySet()) {
                        java.nio.file.Path path = zip.getPath(entry.getKey());
                        if (path.getParent() != null) {
                            java.nio.file.Files.createDirectories(path.getParent());
                        }
                        java.nio.file.Files.writeString(path, entry.getValue());
                        if (permissions.containsKey(entry.getKey())) {
                            java.nio.file.Files.setPosixFilePermissions(path,
                                    java.nio.file.attribute.PosixFilePermissions.fromString(permissions.get(entry.getKey())));
                        }
                    }
                }
                return java.nio.file.Files.readAllBytes(file);
            } finally {
                java.nio.file.Files.deleteIfExists(file);
                java.nio.file.Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a function and waits until it is {@code Active}, as clients must before invoking it. */
    public static CreateFunctionResponse create(LambdaClient lambda, String name, Runtime runtime, String handler, Map<String, String> files) {
        CreateFunctionResponse created = lambda.createFunction(request(name, runtime, handler, files).build());
        FunctionStates.awaitActive(lambda, name);
        return created;
    }

    public static CreateFunctionRequest.Builder request(String name, Runtime runtime, String handler, Map<String, String> files) {
        return CreateFunctionRequest.builder()
                .functionName(name)
                .runtime(runtime)
                .handler(handler)
                .role(ROLE)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip(files))));
    }
}
