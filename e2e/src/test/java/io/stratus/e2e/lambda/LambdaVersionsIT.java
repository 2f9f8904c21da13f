package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ListVersionsByFunctionResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** PublishVersion, ListVersionsByFunction, qualifiers on the function operations and Invoke. */
@StratusTest
class LambdaVersionsIT {

    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";

    /** A Node.js function answering its value, its version as the runtime sees it, and GREETING. */
    static Map<String, String> returning(String value) {
        return Map.of("index.js", "exports.handler = async (event, context) => ({ value: '" + value
                + "', version: process.env.AWS_LAMBDA_FUNCTION_VERSION, contextVersion: context.functionVersion,"
                + " arn: context.invokedFunctionArn, greeting: process.env.GREETING });");
    }

    static SdkBytes zipOf(String value) {
        return SdkBytes.fromByteArray(FunctionZips.zip(returning(value)));
    }

    static String invoke(LambdaClient lambda, String functionName, String qualifier, String expectedVersion) {
        InvokeResponse response = lambda.invoke(r -> r.functionName(functionName).qualifier(qualifier));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isNull();
        assertThat(response.executedVersion()).isEqualTo(expectedVersion);
        return response.payload().asUtf8String();
    }

    @Test
    void versionKeepsItsCodeAndConfigurationAfterLatestChanges(LambdaClient lambda) {
        FunctionZips.create(lambda, "snap", Runtime.NODEJS20_X, "index.handler", returning("one"));
        lambda.updateFunctionConfiguration(r -> r.functionName("snap").environment(e -> e.variables(Map.of("GREETING", "first"))));
        FunctionStates.awaitUpdated(lambda, "snap");
        var latest = lambda.getFunctionConfiguration(r -> r.functionName("snap"));

        var v1 = lambda.publishVersion(r -> r.functionName("snap").description("first release"));
        assertThat(v1.version()).isEqualTo("1");
        assertThat(v1.functionArn()).isEqualTo(ARN + "snap:1");
        assertThat(v1.codeSha256()).isEqualTo(latest.codeSha256());
        assertThat(v1.description()).isEqualTo("first release");
        assertThat(v1.environment().variables()).containsEntry("GREETING", "first");
        assertThat(v1.revisionId()).isNotBlank().isNotEqualTo(latest.revisionId());

        lambda.updateFunctionCode(r -> r.functionName("snap").zipFile(zipOf("two")));
        FunctionStates.awaitUpdated(lambda, "snap");
        lambda.updateFunctionConfiguration(r -> r.functionName("snap").environment(e -> e.variables(Map.of("GREETING", "second"))));
        FunctionStates.awaitUpdated(lambda, "snap");

        // Version 1 starts its first environment only now: its code must still be on disk.
        assertThat(invoke(lambda, "snap", "1", "1")).contains("\"value\":\"one\"", "\"version\":\"1\"", "\"contextVersion\":\"1\"",
                "\"greeting\":\"first\"", "\"arn\":\"" + ARN + "snap:1\"");
        assertThat(invoke(lambda, "snap", null, "$LATEST")).contains("\"value\":\"two\"", "\"version\":\"$LATEST\"", "\"greeting\":\"second\"",
                "\"arn\":\"" + ARN + "snap\"");
        assertThat(invoke(lambda, "snap:1", null, "1")).contains("\"value\":\"one\"");
        assertThat(invoke(lambda, ARN + "snap:1", null, "1")).contains("\"value\":\"one\"");
        assertThat(invoke(lambda, "000000000000:function:snap:1", null, "1")).contains("\"value\":\"one\"");
        assertThat(invoke(lambda, "snap:$LATEST", null, "$LATEST")).contains("\"value\":\"two\"");

        var got = lambda.getFunction(r -> r.functionName("snap").qualifier("1")).configuration();
        assertThat(got.version()).isEqualTo("1");
        assertThat(got.functionArn()).isEqualTo(ARN + "snap:1");
        assertThat(got.codeSha256()).isEqualTo(v1.codeSha256());
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("snap:1")).environment().variables()).containsEntry("GREETING", "first");
        var unqualified = lambda.getFunctionConfiguration(r -> r.functionName("snap"));
        assertThat(unqualified.version()).isEqualTo("$LATEST");
        assertThat(unqualified.functionArn()).isEqualTo(ARN + "snap");
        assertThat(unqualified.codeSha256()).isNotEqualTo(v1.codeSha256());
    }

    @Test
    void publishingWithoutChangeReturnsTheLastVersion(LambdaClient lambda) {
        FunctionZips.create(lambda, "same", Runtime.NODEJS20_X, "index.handler", returning("a"));
        var first = lambda.publishVersion(r -> r.functionName("same"));
        var again = lambda.publishVersion(r -> r.functionName("same"));
        assertThat(again.version()).isEqualTo("1");
        assertThat(again.revisionId()).isEqualTo(first.revisionId());
        lambda.updateFunctionConfiguration(r -> r.functionName("same").timeout(5));
        FunctionStates.awaitUpdated(lambda, "same");
        assertThat(lambda.publishVersion(r -> r.functionName("same")).version()).isEqualTo("2");
        lambda.updateFunctionCode(r -> r.functionName("same").zipFile(zipOf("b")));
        FunctionStates.awaitUpdated(lambda, "same");
        var third = lambda.publishVersion(r -> r.functionName("same").codeSha256(lambda.getFunction(g -> g.functionName("same")).configuration().codeSha256()));
        assertThat(third.version()).isEqualTo("3");
        assertThat(third.timeout()).isEqualTo(5);
    }

    @Test
    void publishOnCreateAndOnCodeUpdate(LambdaClient lambda) {
        var created = lambda.createFunction(FunctionZips.request("pub", Runtime.NODEJS20_X, "index.handler", returning("c1")).publish(true).build());
        FunctionStates.awaitUpdated(lambda, "pub");
        assertThat(created.version()).isEqualTo("1");
        assertThat(created.functionArn()).isEqualTo(ARN + "pub:1");
        var updated = lambda.updateFunctionCode(r -> r.functionName("pub").zipFile(zipOf("c2")).publish(true));
        FunctionStates.awaitUpdated(lambda, "pub");
        assertThat(updated.version()).isEqualTo("2");
        assertThat(updated.functionArn()).isEqualTo(ARN + "pub:2");
        assertThat(lambda.publishVersion(r -> r.functionName("pub")).version()).as("nothing changed since").isEqualTo("2");
        assertThat(invoke(lambda, "pub", "1", "1")).contains("\"value\":\"c1\"");
        assertThat(invoke(lambda, "pub", "2", "2")).contains("\"value\":\"c2\"");
        assertThat(invoke(lambda, "pub", "$LATEST", "$LATEST")).contains("\"value\":\"c2\"");
    }

    @Test
    void listVersionsPagesLatestFirst(LambdaClient lambda) {
        FunctionZips.create(lambda, "listed", Runtime.NODEJS20_X, "index.handler", returning("0"));
        for (int i = 1; i <= 3; i++) {
            int n = i;
            lambda.updateFunctionCode(r -> r.functionName("listed").zipFile(zipOf("v" + n)).publish(true));
            FunctionStates.awaitUpdated(lambda, "listed");
        }
        ListVersionsByFunctionResponse all = lambda.listVersionsByFunction(r -> r.functionName("listed"));
        assertThat(all.versions()).extracting(FunctionConfiguration::version).containsExactly("$LATEST", "1", "2", "3");
        assertThat(all.versions()).extracting(FunctionConfiguration::functionArn)
                .containsExactly(ARN + "listed:$LATEST", ARN + "listed:1", ARN + "listed:2", ARN + "listed:3");
        assertThat(all.nextMarker()).isNull();

        var first = lambda.listVersionsByFunction(r -> r.functionName("listed").maxItems(2));
        assertThat(first.versions()).extracting(FunctionConfiguration::version).containsExactly("$LATEST", "1");
        var second = lambda.listVersionsByFunction(r -> r.functionName("listed").maxItems(2).marker(first.nextMarker()));
        assertThat(second.versions()).extracting(FunctionConfiguration::version).containsExactly("2", "3");
        assertThat(second.nextMarker()).isNull();
        // The SDK's paginator follows the markers.
        assertThat(lambda.listVersionsByFunctionPaginator(r -> r.functionName("listed").maxItems(1)).versions())
                .extracting(FunctionConfiguration::version).containsExactly("$LATEST", "1", "2", "3");

        var everything = lambda.listFunctions(r -> r.functionVersion(software.amazon.awssdk.services.lambda.model.FunctionVersion.ALL)).functions();
        assertThat(everything).filteredOn(f -> f.functionName().equals("listed")).extracting(FunctionConfiguration::functionArn)
                .containsExactly(ARN + "listed:$LATEST", ARN + "listed:1", ARN + "listed:2", ARN + "listed:3");
        assertThat(lambda.listFunctions().functions()).filteredOn(f -> f.functionName().equals("listed")).extracting(FunctionConfiguration::version)
                .containsExactly("$LATEST");

        assertError(() -> lambda.listVersionsByFunction(r -> r.functionName("listed").maxItems(0)), "ValidationException", 400,
                "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
        assertError(() -> lambda.listVersionsByFunction(r -> r.functionName("nope")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "nope");
    }

    @Test
    void listVersionsGivesAtMostFiftyAPage(LambdaClient lambda) {
        FunctionZips.create(lambda, "many-versions", Runtime.NODEJS20_X, "index.handler", returning("0"));
        for (int i = 1; i <= 51; i++) {
            int n = i;
            lambda.updateFunctionConfiguration(r -> r.functionName("many-versions").description("v" + n));
            FunctionStates.awaitUpdated(lambda, "many-versions");
            lambda.publishVersion(r -> r.functionName("many-versions"));
        }

        ListVersionsByFunctionResponse first = lambda.listVersionsByFunction(r -> r.functionName("many-versions").maxItems(1000));
        assertThat(first.versions()).hasSize(50);
        assertThat(first.nextMarker()).isNotNull();
        ListVersionsByFunctionResponse rest = lambda.listVersionsByFunction(r -> r.functionName("many-versions").maxItems(1000)
                .marker(first.nextMarker()));
        assertThat(rest.versions()).extracting(FunctionConfiguration::version).containsExactly("50", "51");
        assertThat(rest.nextMarker()).isNull();
    }

    @Test
    void deletingAVersionFreesOnlyIt(LambdaClient lambda) {
        FunctionZips.create(lambda, "del", Runtime.NODEJS20_X, "index.handler", returning("d1"));
        lambda.publishVersion(r -> r.functionName("del"));
        lambda.updateFunctionCode(r -> r.functionName("del").zipFile(zipOf("d2")).publish(true));
        FunctionStates.awaitUpdated(lambda, "del");
        assertThat(invoke(lambda, "del", "1", "1")).contains("\"value\":\"d1\"");

        lambda.deleteFunction(r -> r.functionName("del").qualifier("1"));
        assertError(() -> lambda.getFunction(r -> r.functionName("del").qualifier("1")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "del:1");
        assertError(() -> lambda.invoke(r -> r.functionName("del:1")), "ResourceNotFoundException", 404, "Function not found: " + ARN + "del:1");
        assertError(() -> lambda.deleteFunction(r -> r.functionName("del").qualifier("1")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "del:1");
        assertThat(invoke(lambda, "del", "2", "2")).contains("\"value\":\"d2\"");
        assertError(() -> lambda.deleteFunction(r -> r.functionName("del").qualifier("$LATEST")), "InvalidParameterValueException", 400,
                "$LATEST version cannot be deleted without deleting the function.");
        // Numbers are never reused.
        lambda.updateFunctionCode(r -> r.functionName("del").zipFile(zipOf("d3")));
        FunctionStates.awaitUpdated(lambda, "del");
        assertThat(lambda.publishVersion(r -> r.functionName("del")).version()).isEqualTo("3");

        lambda.deleteFunction(r -> r.functionName("del"));
        FunctionZips.create(lambda, "del", Runtime.NODEJS20_X, "index.handler", returning("new"));
        assertThat(lambda.listVersionsByFunction(r -> r.functionName("del")).versions()).extracting(FunctionConfiguration::version)
                .containsExactly("$LATEST");
        assertError(() -> lambda.getFunctionConfiguration(r -> r.functionName("del").qualifier("2")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "del:2");
        assertThat(lambda.publishVersion(r -> r.functionName("del")).version()).isEqualTo("1");
        assertThat(invoke(lambda, "del", "1", "1")).contains("\"value\":\"new\"");
    }

    @Test
    void badPublishesAndQualifiers(LambdaClient lambda) {
        var created = FunctionZips.create(lambda, "bad", Runtime.NODEJS20_X, "index.handler", returning("x"));
        String other = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        assertError(() -> lambda.publishVersion(r -> r.functionName("bad").codeSha256(other)), "InvalidParameterValueException", 400,
                "CodeSHA256 (" + other + ") is different from current CodeSHA256 in $LATEST (" + created.codeSha256()
                        + "). Please try again with the CodeSHA256 in $LATEST.");
        assertError(() -> lambda.publishVersion(r -> r.functionName("bad").revisionId("stale")), "PreconditionFailedException", 412,
                "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        assertError(() -> lambda.publishVersion(r -> r.functionName("missing")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "missing");
        assertThat(lambda.listVersionsByFunction(r -> r.functionName("bad")).versions()).hasSize(1);
        assertError(() -> lambda.invoke(r -> r.functionName("bad").qualifier("7")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "bad:7");
        assertError(() -> lambda.invoke(r -> r.functionName("bad").qualifier("nosuchalias")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "bad:nosuchalias");
        assertError(() -> lambda.getFunction(r -> r.functionName("bad:3")), "ResourceNotFoundException", 404, "Function not found: " + ARN + "bad:3");
        assertError(() -> lambda.invoke(r -> r.functionName("bad:1").qualifier("2")), "InvalidParameterValueException", 400,
                "The derived qualifier from the function name does not match the specified qualifier.");
    }
}
