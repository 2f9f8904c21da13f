package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static io.stratus.e2e.lambda.FunctionZips.zip;
import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.GetLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.LayerVersionsListItem;
import software.amazon.awssdk.services.lambda.model.PublishLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Layers: publishing and reading versions, their policies, and functions that run with them (real node and python). */
@StratusTest
class LambdaLayersIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:layer:";

    static PublishLayerVersionResponse publish(LambdaClient lambda, String name, byte[] zip) {
        return lambda.publishLayerVersion(r -> r.layerName(name).content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
    }

    static JsonNode invoke(LambdaClient lambda, String name) throws Exception {
        var response = lambda.invoke(r -> r.functionName(name));
        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        return JSON.readTree(response.payload().asByteArray());
    }

    /** Content.Location: a URL that downloads the layer's zip without credentials, as AWS's presigned one. */
    private static byte[] download(String location) {
        try {
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void publishesVersionsNumberedFromOneNeverReused(LambdaClient lambda) {
        byte[] zip = zip(Map.of("python/helper.py", "X = 1\n"));
        PublishLayerVersionResponse first = lambda.publishLayerVersion(r -> r.layerName("tools").description("first")
                .licenseInfo("MIT").compatibleRuntimes(Runtime.PYTHON3_12, Runtime.PYTHON3_11).compatibleArchitectures(Architecture.X86_64)
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));

        assertThat(first.version()).isEqualTo(1L);
        assertThat(first.layerArn()).isEqualTo(ARN + "tools");
        assertThat(first.layerVersionArn()).isEqualTo(ARN + "tools:1");
        assertThat(first.description()).isEqualTo("first");
        assertThat(first.licenseInfo()).isEqualTo("MIT");
        assertThat(first.compatibleRuntimes()).containsExactly(Runtime.PYTHON3_12, Runtime.PYTHON3_11);
        assertThat(first.compatibleArchitectures()).containsExactly(Architecture.X86_64);
        assertThat(first.content().codeSize()).isEqualTo(zip.length);
        assertThat(first.content().codeSha256()).hasSize(44);
        assertThat(download(first.content().location())).isEqualTo(zip);
        assertThat(first.createdDate()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");

        PublishLayerVersionResponse second = lambda.publishLayerVersion(r -> r.layerName("tools")
                .compatibleRuntimes(Runtime.NODEJS20_X).compatibleArchitectures(Architecture.ARM64)
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip(Map.of("nodejs/x.js", "1"))))));
        assertThat(second.version()).isEqualTo(2L);

        GetLayerVersionResponse got = lambda.getLayerVersion(r -> r.layerName("tools").versionNumber(1L));
        assertThat(got.layerVersionArn()).isEqualTo(ARN + "tools:1");
        assertThat(got.content().codeSha256()).isEqualTo(first.content().codeSha256());
        assertThat(download(got.content().location())).isEqualTo(zip);
        assertThat(got.licenseInfo()).isEqualTo("MIT");
        assertThat(lambda.getLayerVersion(r -> r.layerName(ARN + "tools").versionNumber(2L)).version()).isEqualTo(2L);
        assertThat(lambda.getLayerVersionByArn(r -> r.arn(ARN + "tools:2")).compatibleRuntimes()).containsExactly(Runtime.NODEJS20_X);

        // Newest first, filtered by runtime and architecture.
        assertThat(lambda.listLayerVersions(r -> r.layerName("tools")).layerVersions()).extracting(LayerVersionsListItem::version)
                .containsExactly(2L, 1L);
        assertThat(lambda.listLayerVersions(r -> r.layerName("tools").compatibleRuntime(Runtime.PYTHON3_11)).layerVersions())
                .extracting(LayerVersionsListItem::version).containsExactly(1L);
        assertThat(lambda.listLayerVersions(r -> r.layerName("tools").compatibleArchitecture(Architecture.ARM64)).layerVersions())
                .extracting(LayerVersionsListItem::version).containsExactly(2L);
        var paged = lambda.listLayerVersions(r -> r.layerName("tools").maxItems(1));
        assertThat(paged.layerVersions()).extracting(LayerVersionsListItem::version).containsExactly(2L);
        assertThat(lambda.listLayerVersions(r -> r.layerName("tools").maxItems(1).marker(paged.nextMarker())).layerVersions())
                .extracting(LayerVersionsListItem::version).containsExactly(1L);

        lambda.deleteLayerVersion(r -> r.layerName("tools").versionNumber(2L));
        lambda.deleteLayerVersion(r -> r.layerName("tools").versionNumber(2L));
        assertError(() -> lambda.getLayerVersion(r -> r.layerName("tools").versionNumber(2L)), "ResourceNotFoundException", 404,
                "The resource you requested does not exist.");
        assertThat(publish(lambda, "tools", zip).version()).as("numbers are never reused").isEqualTo(3L);
    }

    @Test
    void listsLayersWithTheirLatestMatchingVersion(LambdaClient lambda) {
        byte[] zip = zip(Map.of("a.txt", "a"));
        lambda.publishLayerVersion(r -> r.layerName("list-a").compatibleRuntimes(Runtime.PYTHON3_12).content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
        lambda.publishLayerVersion(r -> r.layerName("list-a").compatibleRuntimes(Runtime.NODEJS20_X).content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
        lambda.publishLayerVersion(r -> r.layerName("list-b").compatibleRuntimes(Runtime.PYTHON3_12).content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));

        var all = lambda.listLayers().layers().stream().filter(l -> l.layerName().startsWith("list-")).toList();
        assertThat(all).extracting(l -> l.layerName()).containsExactly("list-a", "list-b");
        assertThat(all.getFirst().layerArn()).isEqualTo(ARN + "list-a");
        assertThat(all.getFirst().latestMatchingVersion().version()).isEqualTo(2L);

        var python = lambda.listLayers(r -> r.compatibleRuntime(Runtime.PYTHON3_12)).layers().stream()
                .filter(l -> l.layerName().startsWith("list-")).toList();
        assertThat(python).extracting(l -> l.latestMatchingVersion().layerVersionArn()).containsExactly(ARN + "list-a:1", ARN + "list-b:1");

        var page = lambda.listLayers(r -> r.compatibleRuntime(Runtime.PYTHON3_12).maxItems(1).marker("list-"));
        assertThat(page.layers()).extracting(l -> l.layerName()).containsExactly("list-a");
        assertThat(page.nextMarker()).isEqualTo("list-a");
        assertThat(lambda.listLayers(r -> r.compatibleRuntime(Runtime.PYTHON3_12).maxItems(1).marker(page.nextMarker())).layers())
                .extracting(l -> l.layerName()).containsExactly("list-b");
    }

    @Test
    void nodeFunctionLoadsModulesFromLayersInOrder(LambdaClient lambda) throws Exception {
        String base = publish(lambda, "node-base", zip(Map.of(
                "nodejs/node_modules/greet/index.js", "module.exports = (n) => 'hello ' + n;",
                "nodejs/node20/node_modules/versioned/index.js", "module.exports = 'node20';",
                "config/which.txt", "base"))).layerVersionArn();
        String over = publish(lambda, "node-over", zip(Map.of("config/which.txt", "over"))).layerVersionArn();
        byte[] tool = FunctionZips.unixZip(Map.of("bin/layer-tool", "#!/bin/sh\necho from-the-layer\n"), Map.of("bin/layer-tool", "rwxr-xr-x"));
        String bin = publish(lambda, "node-bin", tool).layerVersionArn();

        var created = lambda.createFunction(request("node-layers", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", """
                const fs = require('fs');
                const path = require('path');
                exports.handler = async () => ({
                  greeting: require('greet')('ada'),
                  versioned: require('versioned'),
                  which: fs.readFileSync(path.join(process.env.STRATUS_OPT_DIR, 'config/which.txt'), 'utf8'),
                  tool: require('child_process').execSync('layer-tool').toString().trim(),
                });
                """)).layers(base, over, bin).build());
        FunctionStates.awaitActive(lambda, "node-layers");

        assertThat(created.layers()).extracting(l -> l.arn()).containsExactly(base, over, bin);
        assertThat(created.layers().getFirst().codeSize()).isPositive();
        JsonNode body = invoke(lambda, "node-layers");
        assertThat(body.get("greeting").asText()).isEqualTo("hello ada");
        assertThat(body.get("versioned").asText()).isEqualTo("node20");
        assertThat(body.get("which").asText()).as("a later layer overwrites an earlier one's files").isEqualTo("over");
        assertThat(body.get("tool").asText()).as("/opt/bin is on the PATH").isEqualTo("from-the-layer");
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("node-layers")).layers()).extracting(l -> l.arn())
                .containsExactly(base, over, bin);
    }

    @Test
    void pythonFunctionImportsFromLayerAndVersionsPinTheirLayers(LambdaClient lambda) throws Exception {
        String v1 = publish(lambda, "py-lib", zip(Map.of("python/helper.py", "WHO = 'one'\n",
                "python/lib/python3.12/site-packages/sitepkg/__init__.py", "VALUE = 42\n"))).layerVersionArn();
        String v2 = publish(lambda, "py-lib", zip(Map.of("python/helper.py", "WHO = 'two'\n",
                "python/lib/python3.12/site-packages/sitepkg/__init__.py", "VALUE = 43\n"))).layerVersionArn();
        lambda.createFunction(request("py-layers", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", """
                import helper, sitepkg
                def handler(event, context):
                    return {"who": helper.WHO, "value": sitepkg.VALUE}
                """)).layers(v1).build());
        FunctionStates.awaitActive(lambda, "py-layers");
        assertThat(invoke(lambda, "py-layers").get("who").asText()).isEqualTo("one");
        lambda.publishVersion(r -> r.functionName("py-layers"));

        var updated = lambda.updateFunctionConfiguration(r -> r.functionName("py-layers").layers(v2));
        assertThat(updated.layers()).extracting(l -> l.arn()).containsExactly(v2);
        FunctionStates.awaitUpdated(lambda, "py-layers");

        assertThat(invoke(lambda, "py-layers").get("value").asInt()).isEqualTo(43);
        JsonNode pinned = JSON.readTree(lambda.invoke(r -> r.functionName("py-layers").qualifier("1")).payload().asByteArray());
        assertThat(pinned.get("who").asText()).isEqualTo("one");
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("py-layers").qualifier("1")).layers()).extracting(l -> l.arn())
                .containsExactly(v1);

        // A deleted layer version still runs in the functions that use it, as on AWS.
        lambda.deleteLayerVersion(r -> r.layerName("py-lib").versionNumber(1L));
        pinned = JSON.readTree(lambda.invoke(r -> r.functionName("py-layers").qualifier("1")).payload().asByteArray());
        assertThat(pinned.get("value").asInt()).isEqualTo(42);

        lambda.updateFunctionConfiguration(r -> r.functionName("py-layers").layers(List.of()));
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("py-layers")).layers()).isEmpty();
    }

    @Test
    void refusesBadLayerReferences(LambdaClient lambda) {
        String layer = publish(lambda, "bad-refs", zip(Map.of("a.txt", "a"))).layerVersionArn();
        String second = publish(lambda, "bad-refs", zip(Map.of("a.txt", "b"))).layerVersionArn();
        var fn = request("bad-layers", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", "exports.handler = async () => 1;"));

        assertError(() -> lambda.createFunction(fn.layers(ARN + "nope:1").build()), "InvalidParameterValueException", 400,
                "Layer version " + ARN + "nope:1 does not exist.");
        assertError(() -> lambda.createFunction(fn.layers(ARN + "bad-refs:9").build()), "InvalidParameterValueException", 400,
                "Layer version " + ARN + "bad-refs:9 does not exist.");
        assertError(() -> lambda.createFunction(fn.layers(layer.replace("us-east-1", "us-west-2")).build()), "InvalidParameterValueException", 400,
                "Layers are not in the same region as the function. Layers are expected to be in region us-east-1.");
        assertError(() -> lambda.createFunction(fn.layers(layer, second).build()), "InvalidParameterValueException", 400,
                "Two different versions of the same layer are not allowed to be referenced in the same function. " + layer + " and " + second
                        + " are versions of the same layer.");
        List<String> six = List.of(ARN + "a:1", ARN + "b:1", ARN + "c:1", ARN + "d:1", ARN + "e:1", ARN + "f:1");
        assertError(() -> lambda.createFunction(fn.layers(six).build()), "InvalidParameterValueException", 400, "Cannot reference more than 5 layers.");
        LambdaFunctionsIT.assertError(() -> lambda.createFunction(fn.layers("not-an-arn").build()), 400, "ValidationException",
                message -> assertThat(message).startsWith("1 validation error detected: Value '[not-an-arn]' at 'layers' failed to satisfy constraint"));

        lambda.createFunction(fn.layers(layer).build());
        FunctionStates.awaitActive(lambda, "bad-layers");
        assertError(() -> lambda.updateFunctionConfiguration(r -> r.functionName("bad-layers").layers(ARN + "nope:2")),
                "InvalidParameterValueException", 400, "Layer version " + ARN + "nope:2 does not exist.");
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("bad-layers")).layers()).extracting(l -> l.arn()).containsExactly(layer);
    }

    @Test
    void refusesCodeAndLayersOverTheUnzippedLimit(LambdaClient lambda) {
        // Zeros compress well: a small zip that unzips to 200 MB.
        String big = publish(lambda, "big", zeros("python/big.bin", 200L * 1024 * 1024)).layerVersionArn();
        byte[] code = zeros("index.js", 60L * 1024 * 1024);
        LambdaFunctionsIT.assertError(() -> lambda.createFunction(r -> r.functionName("too-big").runtime(Runtime.NODEJS20_X).handler("index.handler")
                .role(FunctionZips.ROLE).layers(big).code(c -> c.zipFile(SdkBytes.fromByteArray(code)))), 400, "InvalidParameterValueException",
                message -> assertThat(message).isEqualTo("Function code combined with layers exceeds the maximum allowed size of 262144000 bytes. "
                        + "The actual size is " + (260L * 1024 * 1024) + " bytes."));
    }

    @Test
    void refusesBadLayerInput(LambdaClient lambda) {
        byte[] zip = zip(Map.of("a.txt", "a"));
        LambdaFunctionsIT.assertError(() -> publish(lambda, "bad name", zip), 400, "ValidationException",
                message -> assertThat(message).startsWith("1 validation error detected: Value 'bad name' at 'layerName' failed to satisfy constraint"));
        assertError(() -> publish(lambda, "not-a-zip", "plain text".getBytes()), "InvalidParameterValueException", 400,
                "Could not unzip uploaded file. Please check your file, then try to upload again.");
        LambdaFunctionsIT.assertError(() -> lambda.publishLayerVersion(r -> r.layerName("rt").compatibleRuntimesWithStrings("cobol9")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip)))), 400, "ValidationException",
                message -> assertThat(message).contains("at 'compatibleRuntimes' failed to satisfy constraint"));
        assertError(() -> lambda.getLayerVersion(r -> r.layerName("never").versionNumber(1L)), "ResourceNotFoundException", 404,
                "The resource you requested does not exist.");
        assertError(() -> lambda.getLayerVersionByArn(r -> r.arn(ARN + "never:3")), "ResourceNotFoundException", 404,
                "The resource you requested does not exist.");
    }

    @Test
    void storesLayerVersionPermissions(LambdaClient lambda) throws Exception {
        publish(lambda, "shared", zip(Map.of("a.txt", "a")));
        assertError(() -> lambda.getLayerVersionPolicy(r -> r.layerName("shared").versionNumber(1L)), "ResourceNotFoundException", 404,
                "No policy is associated with the given resource.");

        var added = lambda.addLayerVersionPermission(r -> r.layerName("shared").versionNumber(1L).statementId("xaccount")
                .action("lambda:GetLayerVersion").principal("210987654321"));
        JsonNode statement = JSON.readTree(added.statement());
        assertThat(statement.get("Principal").get("AWS").asText()).isEqualTo("arn:aws:iam::210987654321:root");
        assertThat(statement.get("Resource").asText()).isEqualTo(ARN + "shared:1");
        lambda.addLayerVersionPermission(r -> r.layerName("shared").versionNumber(1L).statementId("org").action("lambda:GetLayerVersion")
                .principal("*").organizationId("o-abcdefghij").revisionId(added.revisionId()));
        assertError(() -> lambda.addLayerVersionPermission(r -> r.layerName("shared").versionNumber(1L).statementId("org")
                .action("lambda:GetLayerVersion").principal("*")), "ResourceConflictException", 409,
                "The statement id (org) provided already exists. Please provide a new statement id, or remove the existing statement.");

        var policy = lambda.getLayerVersionPolicy(r -> r.layerName("shared").versionNumber(1L));
        JsonNode document = JSON.readTree(policy.policy());
        assertThat(document.get("Statement")).hasSize(2);
        assertThat(document.get("Statement").get(1).get("Condition").get("StringEquals").get("aws:PrincipalOrgID").asText()).isEqualTo("o-abcdefghij");

        lambda.removeLayerVersionPermission(r -> r.layerName("shared").versionNumber(1L).statementId("xaccount"));
        assertError(() -> lambda.removeLayerVersionPermission(r -> r.layerName("shared").versionNumber(1L).statementId("xaccount")),
                "ResourceNotFoundException", 404, "Statement xaccount is not found in resource policy.");
        assertThat(JSON.readTree(lambda.getLayerVersionPolicy(r -> r.layerName("shared").versionNumber(1L)).policy()).get("Statement")).hasSize(1);
        assertError(() -> lambda.addLayerVersionPermission(r -> r.layerName("shared").versionNumber(7L).statementId("x")
                .action("lambda:GetLayerVersion").principal("*")), "ResourceNotFoundException", 404, "The resource you requested does not exist.");
    }

    @Test
    void anotherAccountUsesALayerVersionOnlyWhereItsPolicyAllows(LambdaClient lambda, Stratus stratus) throws Exception {
        String v1 = publish(lambda, "team-lib", zip(Map.of("python/helper.py", "WHO = 'shared'\n"))).layerVersionArn();
        String v2 = publish(lambda, "team-lib", zip(Map.of("python/helper.py", "WHO = 'two'\n"))).layerVersionArn();
        try (LambdaClient other = stratus.configure(LambdaClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("222222222222", "test"))).build()) {
            var function = request("borrower", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", """
                    import helper
                    def handler(event, context):
                        return {"who": helper.WHO}
                    """));
            assertDenied(() -> other.createFunction(function.layers(v1).build()), "GetLayerVersion", v1);
            assertDenied(() -> other.getLayerVersionByArn(r -> r.arn(v1)), "GetLayerVersion", v1);
            assertDenied(() -> other.getLayerVersion(r -> r.layerName(ARN + "team-lib").versionNumber(1L)), "GetLayerVersion", v1);
            assertDenied(() -> other.listLayerVersions(r -> r.layerName(ARN + "team-lib")), "ListLayerVersions", ARN + "team-lib");
            assertDenied(() -> other.addLayerVersionPermission(r -> r.layerName(ARN + "team-lib").versionNumber(1L).statementId("me")
                    .action("lambda:GetLayerVersion").principal("*")), "AddLayerVersionPermission", ARN + "team-lib");
            assertDenied(() -> other.getLayerVersionPolicy(r -> r.layerName(ARN + "team-lib").versionNumber(1L)), "GetLayerVersionPolicy",
                    ARN + "team-lib");
            assertDenied(() -> other.deleteLayerVersion(r -> r.layerName(ARN + "team-lib").versionNumber(1L)), "DeleteLayerVersion", ARN + "team-lib");
            assertDenied(() -> other.getLayerVersionByArn(r -> r.arn(ARN + "team-lib:9")), "GetLayerVersion", ARN + "team-lib:9");

            lambda.addLayerVersionPermission(r -> r.layerName("team-lib").versionNumber(1L).statementId("borrower")
                    .action("lambda:GetLayerVersion").principal("222222222222"));
            assertThat(other.getLayerVersionByArn(r -> r.arn(v1)).version()).isEqualTo(1L);
            other.createFunction(function.layers(v1).build());
            FunctionStates.awaitActive(other, "borrower");
            assertThat(JSON.readTree(other.invoke(r -> r.functionName("borrower")).payload().asByteArray()).get("who").asText()).isEqualTo("shared");

            // Version 2 has a policy of its own: first only for an organization (no account of Stratus is in one), then for everyone.
            lambda.addLayerVersionPermission(r -> r.layerName("team-lib").versionNumber(2L).statementId("org").action("lambda:GetLayerVersion")
                    .principal("*").organizationId("o-abcdefghij"));
            assertDenied(() -> other.updateFunctionConfiguration(r -> r.functionName("borrower").layers(v2)), "GetLayerVersion", v2);
            lambda.addLayerVersionPermission(r -> r.layerName("team-lib").versionNumber(2L).statementId("public").action("lambda:GetLayerVersion")
                    .principal("*"));
            other.updateFunctionConfiguration(r -> r.functionName("borrower").layers(v2));
            FunctionStates.awaitUpdated(other, "borrower");
            assertThat(JSON.readTree(other.invoke(r -> r.functionName("borrower")).payload().asByteArray()).get("who").asText()).isEqualTo("two");
        }
    }

    private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String action, String resource) {
        assertError(call, "AccessDeniedException", 403, "User: arn:aws:iam::222222222222:root is not authorized to perform: lambda:" + action
                + " on resource: " + resource + " because no resource-based policy allows the lambda:" + action + " action");
    }

    /** A zip of one file of {@code size} zero bytes. */
    static byte[] zeros(String name, long size) {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.setLevel(9);
            zip.putNextEntry(new java.util.zip.ZipEntry(name));
            byte[] chunk = new byte[1024 * 1024];
            for (long written = 0; written < size; written += chunk.length) {
                zip.write(chunk);
            }
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
