package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static io.stratus.e2e.lambda.LambdaVersionsIT.invoke;
import static io.stratus.e2e.lambda.LambdaVersionsIT.returning;
import static io.stratus.e2e.lambda.LambdaVersionsIT.zipOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases, and invoking through aliases with weighted routing. */
@StratusTest
class LambdaAliasesIT {

    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";

    /** A function with versions 1 ("one") and 2 ("two"), and $LATEST ("three"). */
    private static void deployThreeVersions(LambdaClient lambda, String name) {
        lambda.createFunction(FunctionZips.request(name, Runtime.NODEJS20_X, "index.handler", returning("one")).publish(true).build());
        FunctionStates.awaitUpdated(lambda, name);
        lambda.updateFunctionCode(r -> r.functionName(name).zipFile(zipOf("two")).publish(true));
        FunctionStates.awaitUpdated(lambda, name);
        lambda.updateFunctionCode(r -> r.functionName(name).zipFile(zipOf("three")));
        FunctionStates.awaitUpdated(lambda, name);
    }

    @Test
    void aliasesNameVersionsAndInvokeThem(LambdaClient lambda) {
        deployThreeVersions(lambda, "aliased");
        var live = lambda.createAlias(r -> r.functionName("aliased").name("live").functionVersion("1").description("production"));
        assertThat(live.aliasArn()).isEqualTo(ARN + "aliased:live");
        assertThat(live.name()).isEqualTo("live");
        assertThat(live.functionVersion()).isEqualTo("1");
        assertThat(live.description()).isEqualTo("production");
        assertThat(live.revisionId()).isNotBlank();
        assertThat(live.routingConfig()).isNull();

        assertThat(invoke(lambda, "aliased", "live", "1")).contains("\"value\":\"one\"");
        assertThat(invoke(lambda, "aliased:live", null, "1")).contains("\"value\":\"one\"");
        // The context reports the ARN that was invoked: the alias's.
        assertThat(invoke(lambda, ARN + "aliased:live", null, "1")).contains("\"value\":\"one\"", "\"arn\":\"" + ARN + "aliased:live\"",
                "\"version\":\"1\"");
        var throughAlias = lambda.getFunctionConfiguration(r -> r.functionName("aliased").qualifier("live"));
        assertThat(throughAlias.version()).isEqualTo("1");
        assertThat(throughAlias.functionArn()).isEqualTo(ARN + "aliased:live");
        assertThat(lambda.getFunction(r -> r.functionName("aliased:live")).configuration().functionArn()).isEqualTo(ARN + "aliased:live");

        var got = lambda.getAlias(r -> r.functionName("aliased").name("live"));
        assertThat(got.toBuilder().build().toString()).isEqualTo(live.toString().replace("CreateAliasResponse", "GetAliasResponse"));
        var moved = lambda.updateAlias(r -> r.functionName("aliased").name("live").functionVersion("2").revisionId(live.revisionId()));
        assertThat(moved.functionVersion()).isEqualTo("2");
        assertThat(moved.description()).isEqualTo("production");
        assertThat(moved.revisionId()).isNotEqualTo(live.revisionId());
        assertThat(invoke(lambda, "aliased:live", null, "2")).contains("\"value\":\"two\"");
        assertError(() -> lambda.updateAlias(r -> r.functionName("aliased").name("live").functionVersion("1").revisionId(live.revisionId())),
                "PreconditionFailedException", 412,
                "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");

        lambda.createAlias(r -> r.functionName("aliased").name("edge").functionVersion("$LATEST"));
        assertThat(invoke(lambda, "aliased:edge", null, "$LATEST")).contains("\"value\":\"three\"");
        lambda.createAlias(r -> r.functionName("aliased").name("old").functionVersion("1"));

        assertThat(lambda.listAliases(r -> r.functionName("aliased")).aliases()).extracting(AliasConfiguration::name)
                .containsExactly("edge", "live", "old");
        assertThat(lambda.listAliases(r -> r.functionName("aliased").functionVersion("1")).aliases()).extracting(AliasConfiguration::name)
                .containsExactly("old");
        var page = lambda.listAliases(r -> r.functionName("aliased").maxItems(2));
        assertThat(page.aliases()).extracting(AliasConfiguration::name).containsExactly("edge", "live");
        assertThat(lambda.listAliases(r -> r.functionName("aliased").marker(page.nextMarker())).aliases())
                .extracting(AliasConfiguration::name).containsExactly("old");

        assertError(() -> lambda.deleteFunction(r -> r.functionName("aliased").qualifier("1")), "ResourceConflictException", 409,
                "Unable to delete version because the following aliases reference it: [old]");
        lambda.deleteAlias(r -> r.functionName("aliased").name("old"));
        assertError(() -> lambda.getAlias(r -> r.functionName("aliased").name("old")), "ResourceNotFoundException", 404,
                "Alias not found: " + ARN + "aliased:old");
        assertError(() -> lambda.invoke(r -> r.functionName("aliased:old")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "aliased:old");
        lambda.deleteFunction(r -> r.functionName("aliased").qualifier("1"));

        lambda.deleteFunction(r -> r.functionName("aliased"));
        FunctionZips.create(lambda, "aliased", Runtime.NODEJS20_X, "index.handler", returning("again"));
        assertThat(lambda.listAliases(r -> r.functionName("aliased")).aliases()).isEmpty();
    }

    @Test
    void routingConfigSendsAShareOfInvocationsToTheExtraVersion(LambdaClient lambda) {
        deployThreeVersions(lambda, "canary");
        var alias = lambda.createAlias(r -> r.functionName("canary").name("live").functionVersion("1")
                .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 1.0))));
        assertThat(alias.routingConfig().additionalVersionWeights()).isEqualTo(Map.of("2", 1.0));
        for (int i = 0; i < 5; i++) {
            assertThat(invoke(lambda, "canary:live", null, "2")).contains("\"value\":\"two\"");
        }
        // GetFunction names the primary version.
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("canary:live")).version()).isEqualTo("1");

        lambda.updateAlias(r -> r.functionName("canary").name("live").routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.5))));
        Set<String> executed = new HashSet<>();
        for (int i = 0; i < 60 && executed.size() < 2; i++) {
            executed.add(lambda.invoke(r -> r.functionName("canary:live")).executedVersion());
        }
        assertThat(executed).containsExactlyInAnyOrder("1", "2");

        // An empty routing configuration removes the extra version.
        var plain = lambda.updateAlias(r -> r.functionName("canary").name("live").routingConfig(c -> c.additionalVersionWeights(Map.of())));
        assertThat(plain.routingConfig()).isNull();
        for (int i = 0; i < 5; i++) {
            assertThat(invoke(lambda, "canary:live", null, "1")).contains("\"value\":\"one\"");
        }
        lambda.updateAlias(r -> r.functionName("canary").name("live").routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.0))));
        for (int i = 0; i < 5; i++) {
            assertThat(invoke(lambda, "canary:live", null, "1")).contains("\"value\":\"one\"");
        }
    }

    @Test
    void badAliases(LambdaClient lambda) {
        deployThreeVersions(lambda, "strict");
        lambda.createAlias(r -> r.functionName("strict").name("live").functionVersion("1"));
        assertError(() -> lambda.createAlias(r -> r.functionName("strict").name("live").functionVersion("2")), "ResourceConflictException", 409,
                "Alias already exists: " + ARN + "strict:live");
        assertError(() -> lambda.createAlias(r -> r.functionName("strict").name("12").functionVersion("1")), "ValidationException", 400,
                "1 validation error detected: Value '12' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
        assertError(() -> lambda.createAlias(r -> r.functionName("strict").name("a.b").functionVersion("1")), "ValidationException", 400,
                "1 validation error detected: Value 'a.b' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
        assertError(() -> lambda.createAlias(r -> r.functionName("strict").name("x").functionVersion("9")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "strict:9");
        assertError(() -> lambda.createAlias(r -> r.functionName("strict").name("x").functionVersion("v1")), "ValidationException", 400,
                "1 validation error detected: Value 'v1' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)");
        assertError(() -> lambda.createAlias(r -> r.functionName("missing").name("x").functionVersion("1")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "missing");
        assertError(() -> lambda.createAlias(r -> r.functionName("strict").name("x").functionVersion("$LATEST")
                        .routingConfig(c -> c.additionalVersionWeights(Map.of("1", 0.5)))), "InvalidParameterValueException", 400,
                "$LATEST is not supported for an alias pointing to more than 1 version");
        assertError(() -> lambda.createAlias(r -> r.functionName("strict").name("x").functionVersion("1")
                        .routingConfig(c -> c.additionalVersionWeights(Map.of("1", 0.5)))), "InvalidParameterValueException", 400,
                "Invalid function version 1. Function version 1 is already included in routing configuration.");
        assertError(() -> lambda.createAlias(r -> r.functionName("strict").name("x").functionVersion("1")
                        .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 1.5)))), "ValidationException", 400,
                "1 validation error detected: Value '{2=1.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]");
        assertError(() -> lambda.createAlias(r -> r.functionName("strict").name("x").functionVersion("1")
                        .routingConfig(c -> c.additionalVersionWeights(Map.of("5", 0.5)))), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "strict:5");
        assertError(() -> lambda.getAlias(r -> r.functionName("strict").name("nope")), "ResourceNotFoundException", 404,
                "Alias not found: " + ARN + "strict:nope");
        assertError(() -> lambda.updateAlias(r -> r.functionName("strict").name("nope").functionVersion("1")), "ResourceNotFoundException", 404,
                "Alias not found: " + ARN + "strict:nope");
        assertError(() -> lambda.deleteFunction(r -> r.functionName("strict").qualifier("live")), "InvalidParameterValueException", 400,
                "Deletion of aliases is not supported by DeleteFunction; use DeleteAlias to delete alias live.");
        assertThat(lambda.listAliases(r -> r.functionName("strict")).aliases()).extracting(AliasConfiguration::name).containsExactly("live");
        // An event source mapping may name a version or alias (see SqsEventSourceIT), one that exists.
        for (String qualified : new String[] {"strict:nope", "strict:7", ARN + "strict:nope"}) {
            assertError(() -> lambda.createEventSourceMapping(r -> r.functionName(qualified)
                            .eventSourceArn("arn:aws:sqs:us-east-1:000000000000:any-queue")), "ResourceNotFoundException", 404,
                    "Function not found: " + ARN + qualified.substring(qualified.lastIndexOf("strict")));
        }
    }
}
