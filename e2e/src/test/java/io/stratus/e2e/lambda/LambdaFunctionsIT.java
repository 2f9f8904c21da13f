package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.NODE_ECHO;
import static io.stratus.e2e.lambda.FunctionZips.ROLE;
import static io.stratus.e2e.lambda.FunctionZips.create;
import static io.stratus.e2e.lambda.FunctionZips.request;
import static io.stratus.e2e.lambda.FunctionZips.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;
import software.amazon.awssdk.services.lambda.model.PackageType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.State;

/** The control plane: create, read, list, update and delete functions, and what AWS refuses. */
@StratusTest
class LambdaFunctionsIT {

    @Test
    void createdFunctionReportsItsConfigurationAsAws(LambdaClient lambda) throws Exception {
        byte[] code = zip(Map.of("index.js", NODE_ECHO));

        CreateFunctionResponse created = lambda.createFunction(r -> r.functionName("cfg-fn").runtime(Runtime.NODEJS20_X)
                .handler("index.handler").role(ROLE).description("echo").code(c -> c.zipFile(SdkBytes.fromByteArray(code))));

        assertThat(created.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:cfg-fn");
        assertThat(created.runtime()).isEqualTo(Runtime.NODEJS20_X);
        assertThat(created.timeout()).isEqualTo(3);
        assertThat(created.memorySize()).isEqualTo(128);
        assertThat(created.version()).isEqualTo("$LATEST");
        assertThat(created.codeSize()).isEqualTo(code.length);
        assertThat(created.codeSha256()).isEqualTo(Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(code)));
        assertThat(created.lastModified()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
        assertThat(created.state()).isEqualTo(State.PENDING);
        assertThat(created.packageType()).isEqualTo(PackageType.ZIP);
        assertThat(created.architectures()).containsExactly(Architecture.X86_64);
        assertThat(created.description()).isEqualTo("echo");
        assertThat(created.revisionId()).isNotBlank();

        // The SDK waiter polls GetFunctionConfiguration until Active.
        lambda.waiter().waitUntilFunctionActiveV2(r -> r.functionName("cfg-fn"));
        var got = lambda.getFunction(r -> r.functionName("cfg-fn"));
        assertThat(got.configuration().state()).isEqualTo(State.ACTIVE);
        assertThat(got.configuration().functionArn()).isEqualTo(created.functionArn());
        assertThat(got.configuration().codeSha256()).isEqualTo(created.codeSha256());
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName(created.functionArn())).handler()).isEqualTo("index.handler");
    }

    @Test
    void getFunctionsCodeLocationDownloadsTheZipOfTheVersionAsked(LambdaClient lambda) throws Exception {
        byte[] first = zip(Map.of("index.js", NODE_ECHO));
        byte[] second = zip(Map.of("index.js", NODE_ECHO + "// second\n"));
        lambda.createFunction(r -> r.functionName("loc-fn").runtime(Runtime.NODEJS20_X).handler("index.handler").role(ROLE)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(first))));
        lambda.waiter().waitUntilFunctionActiveV2(r -> r.functionName("loc-fn"));
        lambda.publishVersion(r -> r.functionName("loc-fn"));
        lambda.updateFunctionCode(r -> r.functionName("loc-fn").zipFile(SdkBytes.fromByteArray(second)));
        lambda.waiter().waitUntilFunctionUpdatedV2(r -> r.functionName("loc-fn"));

        var latest = lambda.getFunction(r -> r.functionName("loc-fn")).code();
        var versionOne = lambda.getFunction(r -> r.functionName("loc-fn").qualifier("1")).code();

        assertThat(latest.repositoryType()).isEqualTo("S3");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(latest.location())).build(), BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(second);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(versionOne.location())).build(), BodyHandlers.ofByteArray()).body()).isEqualTo(first);

        // Like a presigned URL: altered, it is refused in S3's words.
        String altered = latest.location().substring(0, latest.location().length() - 3) + "AAA";
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(altered)).build(), BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("<Code>SignatureDoesNotMatch</Code>");
    }

    @Test
    void listFunctionsPagesWithMarker(LambdaClient lambda) {
        for (int i = 0; i < 5; i++) {
            create(lambda, "page-fn-" + i, Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ECHO));
        }
        List<String> names = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String current = marker;
            ListFunctionsResponse page = lambda.listFunctions(r -> r.maxItems(2).marker(current));
            page.functions().stream().map(FunctionConfiguration::functionName).filter(n -> n.startsWith("page-fn-")).forEach(names::add);
            assertThat(page.functions()).hasSizeLessThanOrEqualTo(2);
            marker = page.nextMarker();
            pages++;
        } while (marker != null && pages < 50);

        assertThat(names).containsExactly("page-fn-0", "page-fn-1", "page-fn-2", "page-fn-3", "page-fn-4");
        assertThat(lambda.listFunctionsPaginator().functions().stream().map(FunctionConfiguration::functionName))
                .contains("page-fn-0", "page-fn-4");
    }

    @Test
    void listFunctionsGivesAtMostFiftyAPageAndNoStates(LambdaClient lambda) {
        byte[] code = zip(Map.of("index.js", NODE_ECHO));
        for (int i = 0; i < 51; i++) {
            String name = String.format("many-fn-%02d", i);
            lambda.createFunction(r -> r.functionName(name).runtime(Runtime.NODEJS20_X).handler("index.handler").role(ROLE)
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(code))));
        }
        FunctionStates.awaitUpdated(lambda, "many-fn-50");

        ListFunctionsResponse first = lambda.listFunctions(r -> r.maxItems(1000));
        assertThat(first.functions()).hasSize(50);
        assertThat(first.nextMarker()).isNotNull();
        ListFunctionsResponse second = lambda.listFunctions(r -> r.maxItems(1000).marker(first.nextMarker()));
        assertThat(second.nextMarker()).isNull();
        assertThat(java.util.stream.Stream.concat(first.functions().stream(), second.functions().stream()).map(FunctionConfiguration::functionName)
                .filter(n -> n.startsWith("many-fn-"))).hasSize(51);
        // ListFunctions reports a subset of the configuration: the state and last update's status only GetFunction does.
        assertThat(first.functions()).allSatisfy(f -> {
            assertThat(f.state()).isNull();
            assertThat(f.lastUpdateStatus()).isNull();
        });
        assertThat(lambda.getFunction(r -> r.functionName("many-fn-00")).configuration().state()).isEqualTo(State.ACTIVE);
    }

    @Test
    void updateConfigurationAndCodeThenDelete(LambdaClient lambda) {
        CreateFunctionResponse created = create(lambda, "upd-fn", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ECHO));

        var updated = lambda.updateFunctionConfiguration(r -> r.functionName("upd-fn").timeout(30).memorySize(256)
                .description("changed").environment(e -> e.variables(Map.of("GREETING", "hi"))).handler("main.handler")
                .runtime(Runtime.NODEJS22_X));
        FunctionStates.awaitUpdated(lambda, "upd-fn");
        assertThat(updated.timeout()).isEqualTo(30);
        assertThat(updated.memorySize()).isEqualTo(256);
        assertThat(updated.environment().variables()).containsEntry("GREETING", "hi");
        assertThat(updated.handler()).isEqualTo("main.handler");
        assertThat(updated.runtime()).isEqualTo(Runtime.NODEJS22_X);
        assertThat(updated.revisionId()).isNotEqualTo(created.revisionId());
        // AWS's default ephemeral storage, kept by an update that does not name it, and set by one that does.
        assertThat(created.ephemeralStorage().size()).isEqualTo(512);
        assertThat(updated.ephemeralStorage().size()).isEqualTo(512);
        // As on AWS, the completed update has a revision of its own, not the one the update answered.
        String settled = lambda.getFunctionConfiguration(r -> r.functionName("upd-fn")).revisionId();
        assertThat(settled).isNotEqualTo(updated.revisionId());
        assertError(() -> lambda.updateFunctionConfiguration(r -> r.functionName("upd-fn").revisionId(updated.revisionId()).timeout(31)),
                412, "PreconditionFailedException", m -> assertThat(m).startsWith("The Revision Id provided does not match the latest Revision Id."));

        // AWS's default tracing mode may be named; Active tracing (X-Ray) is refused.
        lambda.updateFunctionConfiguration(r -> r.functionName("upd-fn").ephemeralStorage(e -> e.size(2048))
                .tracingConfig(t -> t.mode(software.amazon.awssdk.services.lambda.model.TracingMode.PASS_THROUGH)));
        FunctionStates.awaitUpdated(lambda, "upd-fn");
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("upd-fn")).ephemeralStorage().size()).isEqualTo(2048);
        assertThat(lambda.publishVersion(r -> r.functionName("upd-fn")).ephemeralStorage().size()).as("a version keeps it").isEqualTo(2048);
        assertError(() -> lambda.updateFunctionConfiguration(r -> r.functionName("upd-fn")
                        .tracingConfig(t -> t.mode(software.amazon.awssdk.services.lambda.model.TracingMode.ACTIVE))),
                400, "InvalidParameterValueException", m -> assertThat(m).isEqualTo("TracingConfig Mode Active (X-Ray) is not supported by Stratus yet."));
        assertError(() -> lambda.updateFunctionConfiguration(r -> r.functionName("upd-fn").tracingConfig(t -> t.mode("Sometimes"))),
                400, "ValidationException", m -> assertThat(m).contains("Value 'Sometimes' at 'tracingConfig.mode'"));

        byte[] newCode = zip(Map.of("main.js", "exports.handler = async () => 'v2';"));
        var codeUpdated = lambda.updateFunctionCode(r -> r.functionName("upd-fn").zipFile(SdkBytes.fromByteArray(newCode)));
        FunctionStates.awaitUpdated(lambda, "upd-fn");
        assertThat(codeUpdated.codeSha256()).isNotEqualTo(created.codeSha256());
        assertThat(codeUpdated.codeSize()).isEqualTo(newCode.length);
        assertThat(codeUpdated.ephemeralStorage().size()).isEqualTo(2048);
        lambda.waiter().waitUntilFunctionUpdatedV2(r -> r.functionName("upd-fn"));
        assertThat(lambda.invoke(r -> r.functionName("upd-fn")).payload().asUtf8String()).isEqualTo("\"v2\"");

        lambda.deleteFunction(r -> r.functionName("upd-fn"));
        assertError(() -> lambda.getFunction(r -> r.functionName("upd-fn")), 404, "ResourceNotFoundException",
                m -> assertThat(m).isEqualTo("Function not found: arn:aws:lambda:us-east-1:000000000000:function:upd-fn"));
        assertError(() -> lambda.deleteFunction(r -> r.functionName("upd-fn")), 404, "ResourceNotFoundException", m -> {});
    }

    @Test
    void duplicateCreateIsAConflict(LambdaClient lambda) {
        create(lambda, "dup-fn", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ECHO));

        assertError(() -> create(lambda, "dup-fn", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ECHO)),
                409, "ResourceConflictException", m -> assertThat(m).isEqualTo("Function already exist: dup-fn"));
    }

    @Test
    void badInputsAnswerAwsCodes(LambdaClient lambda) {
        Map<String, String> files = Map.of("index.js", NODE_ECHO);
        assertError(() -> lambda.createFunction(request("bad-rt", Runtime.UNKNOWN_TO_SDK_VERSION, "index.handler", files).runtime("cobol9").build()),
                400, "InvalidParameterValueException", m -> assertThat(m).startsWith("Value cobol9 at 'runtime' failed to satisfy constraint"));
        assertError(() -> lambda.createFunction(request("bad-role", Runtime.NODEJS20_X, "index.handler", files).role("not-a-role").build()),
                400, "ValidationException", m -> assertThat(m).contains("at 'role' failed to satisfy constraint"));
        assertError(() -> lambda.createFunction(request("bad name", Runtime.NODEJS20_X, "index.handler", files).build()),
                400, "ValidationException", m -> assertThat(m).contains("at 'functionName'"));
        assertError(() -> lambda.createFunction(request("bad-mem", Runtime.NODEJS20_X, "index.handler", files).memorySize(100).build()),
                400, "ValidationException", m -> assertThat(m).contains("Value '100' at 'memorySize'").contains("greater than or equal to 128"));
        assertError(() -> lambda.createFunction(request("bad-mem2", Runtime.NODEJS20_X, "index.handler", files).memorySize(10241).build()),
                400, "ValidationException", m -> assertThat(m).contains("less than or equal to 10240"));
        assertError(() -> lambda.createFunction(request("bad-tmp", Runtime.NODEJS20_X, "index.handler", files).ephemeralStorage(e -> e.size(511)).build()),
                400, "ValidationException", m -> assertThat(m).isEqualTo("1 validation error detected: Value '511' at 'ephemeralStorage.size' "
                        + "failed to satisfy constraint: Member must have value greater than or equal to 512"));
        assertError(() -> lambda.createFunction(request("bad-tmp2", Runtime.NODEJS20_X, "index.handler", files).ephemeralStorage(e -> e.size(10241)).build()),
                400, "ValidationException", m -> assertThat(m).contains("Value '10241' at 'ephemeralStorage.size'").contains("less than or equal to 10240"));
        assertError(() -> lambda.createFunction(request("bad-tmp3", Runtime.NODEJS20_X, "index.handler", files).ephemeralStorage(e -> {}).build()),
                400, "ValidationException", m -> assertThat(m).contains("Value null at 'ephemeralStorage.size'"));
        assertError(() -> lambda.createFunction(request("bad-to", Runtime.NODEJS20_X, "index.handler", files).timeout(901).build()),
                400, "ValidationException", m -> assertThat(m).contains("Value '901' at 'timeout'"));
        assertError(() -> lambda.createFunction(request("bad-to0", Runtime.NODEJS20_X, "index.handler", files).timeout(0).build()),
                400, "ValidationException", m -> assertThat(m).contains("greater than or equal to 1"));
        assertError(() -> lambda.createFunction(request("bad-handler", Runtime.NODEJS20_X, "has space", files).build()),
                400, "ValidationException", m -> assertThat(m).contains("at 'handler'"));
        assertError(() -> lambda.createFunction(request("bad-zip", Runtime.NODEJS20_X, "index.handler", files)
                        .code(c -> c.zipFile(SdkBytes.fromUtf8String("this is not a zip"))).build()),
                400, "InvalidParameterValueException", m -> assertThat(m).startsWith("Could not unzip uploaded file"));
        assertError(() -> lambda.createFunction(request("s3-code", Runtime.NODEJS20_X, "index.handler", files)
                        .code(c -> c.s3Bucket("b").s3Key("k.zip")).build()),
                400, "InvalidParameterValueException", m -> assertThat(m)
                        .isEqualTo("Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist"));
        assertError(() -> lambda.createFunction(request("reserved-env", Runtime.NODEJS20_X, "index.handler", files)
                        .environment(e -> e.variables(Map.of("AWS_REGION", "x"))).build()),
                400, "InvalidParameterValueException", m -> assertThat(m).contains("reserved keys").contains("AWS_REGION"));
        assertError(() -> lambda.createFunction(request("with-layers", Runtime.NODEJS20_X, "index.handler", files)
                        .layers("arn:aws:lambda:us-east-1:000000000000:layer:l:1").build()),
                400, "InvalidParameterValueException", m -> assertThat(m).isEqualTo("Layer version arn:aws:lambda:us-east-1:000000000000:layer:l:1 does not exist."));
        assertError(() -> lambda.createFunction(request("text-levels", Runtime.NODEJS20_X, "index.handler", files)
                        .loggingConfig(l -> l.logFormat("Text").applicationLogLevel("DEBUG")).build()),
                400, "InvalidParameterValueException", m -> assertThat(m).isEqualTo("LogLevel is not supported when LogFormat is set to \"Text\". "
                        + "Remove LogLevel from your request or change the LogFormat to \"Json\" and try again."));
        assertThat(lambda.createFunction(request("text-logs", Runtime.NODEJS20_X, "index.handler", files)
                .loggingConfig(l -> l.logFormat("Text").logGroup("/aws/lambda/text-logs")).build()).functionName()).isEqualTo("text-logs");
        FunctionStates.awaitUpdated(lambda, "text-logs");
        assertError(() -> lambda.updateFunctionConfiguration(r -> r.functionName("text-logs").layers("arn:aws:lambda:us-east-1:000000000000:layer:l:1")),
                400, "InvalidParameterValueException", m -> assertThat(m).isEqualTo("Layer version arn:aws:lambda:us-east-1:000000000000:layer:l:1 does not exist."));
        assertError(() -> lambda.updateFunctionConfiguration(r -> r.functionName("text-logs").timeout(10).revisionId("stale-revision")),
                412, "PreconditionFailedException", m -> assertThat(m).startsWith("The Revision Id provided does not match the latest Revision Id"));
        assertError(() -> lambda.getFunction(r -> r.functionName("never-created")), 404, "ResourceNotFoundException",
                m -> assertThat(m).isEqualTo("Function not found: arn:aws:lambda:us-east-1:000000000000:function:never-created"));
        assertError(() -> lambda.updateFunctionConfiguration(r -> r.functionName("never-created").timeout(5)), 404, "ResourceNotFoundException", m -> {});
        assertError(() -> lambda.invoke(r -> r.functionName("never-created")), 404, "ResourceNotFoundException", m -> {});
        assertThat(lambda.listFunctions().functions()).noneMatch(f -> f.functionName().startsWith("bad-"));
    }

    @Test
    void directUploadsOfUpToFiftyMegabytesAreTakenLargerOnes413(LambdaClient lambda) throws Exception {
        // 20 MB of random bytes: one base64 string of 28 million characters in the request.
        byte[] large = zipWithBallast(20 * 1024 * 1024);
        lambda.createFunction(r -> r.functionName("large-fn").runtime(Runtime.NODEJS20_X).handler("index.handler").role(ROLE)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(large))));
        FunctionStates.awaitUpdated(lambda, "large-fn");
        assertThat(lambda.getFunction(r -> r.functionName("large-fn")).configuration().codeSize()).isEqualTo(large.length);
        assertThat(lambda.invoke(r -> r.functionName("large-fn").payload(SdkBytes.fromUtf8String("{\"a\":1}"))).payload().asUtf8String())
                .contains("\"a\":1");

        byte[] tooLarge = zipWithBallast(50 * 1024 * 1024 + 1024);
        assertError(() -> lambda.createFunction(r -> r.functionName("too-large-fn").runtime(Runtime.NODEJS20_X).handler("index.handler")
                        .role(ROLE).code(c -> c.zipFile(SdkBytes.fromByteArray(tooLarge)))),
                413, "RequestEntityTooLargeException", m -> assertThat(m).isEqualTo("Request must be smaller than 69905067 bytes for the CreateFunction operation"));
        assertError(() -> lambda.updateFunctionCode(r -> r.functionName("large-fn").zipFile(SdkBytes.fromByteArray(tooLarge))),
                413, "RequestEntityTooLargeException", m -> assertThat(m).isEqualTo("Request must be smaller than 69905067 bytes for the UpdateFunctionCode operation"));
        assertThat(lambda.getFunction(r -> r.functionName("large-fn")).configuration().codeSize()).isEqualTo(large.length);
    }

    /** An echo function's zip that also holds {@code bytes} random bytes, stored uncompressed. */
    private static byte[] zipWithBallast(int bytes) throws Exception {
        byte[] ballast = new byte[bytes];
        new java.util.Random(7).nextBytes(ballast);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ballast);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes + 4096);
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("index.js"));
            zip.write(NODE_ECHO.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
            java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry("ballast.bin");
            entry.setMethod(java.util.zip.ZipEntry.STORED);
            entry.setSize(bytes);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(ballast);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    static void assertError(ThrowingCallable call, int status, String code, Consumer<String> message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(LambdaException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
            message.accept(e.awsErrorDetails().errorMessage());
            assertThat(e.requestId()).isNotBlank();
        });
    }
}
