package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.StratusTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Tags (TagResource, UntagResource, ListTags, CreateFunction's and CreateEventSourceMapping's Tags) and resource policies (AddPermission, RemovePermission, GetPolicy). */
@StratusTest
class LambdaTagsPolicyIT {

    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> CODE = Map.of("index.js", "exports.handler = async () => 'ok';");

    @Test
    void tagsOnFunctions(LambdaClient lambda) {
        lambda.createFunction(FunctionZips.request("tagged", Runtime.NODEJS20_X, "index.handler", CODE).tags(Map.of("team", "core", "env", "dev")).build());
        FunctionStates.awaitUpdated(lambda, "tagged");
        assertThat(lambda.getFunction(r -> r.functionName("tagged")).tags()).isEqualTo(Map.of("team", "core", "env", "dev"));
        assertThat(lambda.listTags(r -> r.resource(ARN + "tagged")).tags()).isEqualTo(Map.of("team", "core", "env", "dev"));

        lambda.tagResource(r -> r.resource(ARN + "tagged").tags(Map.of("env", "prod", "cost", "42")));
        assertThat(lambda.listTags(r -> r.resource(ARN + "tagged")).tags()).isEqualTo(Map.of("team", "core", "env", "prod", "cost", "42"));
        lambda.untagResource(r -> r.resource(ARN + "tagged").tagKeys("team", "cost", "absent"));
        assertThat(lambda.listTags(r -> r.resource(ARN + "tagged")).tags()).isEqualTo(Map.of("env", "prod"));
        lambda.untagResource(r -> r.resource(ARN + "tagged").tagKeys("env"));
        assertThat(lambda.listTags(r -> r.resource(ARN + "tagged")).tags()).isEmpty();
        assertThat(lambda.getFunction(r -> r.functionName("tagged")).hasTags()).isFalse();

        FunctionZips.create(lambda, "untagged", Runtime.NODEJS20_X, "index.handler", CODE);
        assertThat(lambda.listTags(r -> r.resource(ARN + "untagged")).tags()).isEmpty();

        // Tags go with the function.
        lambda.tagResource(r -> r.resource(ARN + "untagged").tags(Map.of("a", "b")));
        lambda.deleteFunction(r -> r.functionName("untagged"));
        FunctionZips.create(lambda, "untagged", Runtime.NODEJS20_X, "index.handler", CODE);
        assertThat(lambda.listTags(r -> r.resource(ARN + "untagged")).tags()).isEmpty();
    }

    @Test
    void badTags(LambdaClient lambda) {
        FunctionZips.create(lambda, "tag-bad", Runtime.NODEJS20_X, "index.handler", CODE);
        assertError(() -> lambda.listTags(r -> r.resource(ARN + "tag-missing")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "tag-missing");
        assertError(() -> lambda.tagResource(r -> r.resource(ARN + "tag-bad:1").tags(Map.of("a", "b"))), "InvalidParameterValueException", 400,
                "Tags on function aliases and versions are not supported. Please specify a function ARN.");
        assertError(() -> lambda.tagResource(r -> r.resource(ARN + "tag-bad").tags(Map.of("aws:x", "b"))), "InvalidParameterValueException", 400,
                "Tag keys starting with 'aws:' are reserved for AWS use.");
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 51; i++) {
            many.put("k" + i, "v");
        }
        assertError(() -> lambda.tagResource(r -> r.resource(ARN + "tag-bad").tags(many)), "InvalidParameterValueException", 400,
                "Number of tags exceeds resource tag limit.");
        assertError(() -> lambda.createFunction(FunctionZips.request("tag-bad2", Runtime.NODEJS20_X, "index.handler", CODE).tags(many).build()),
                "InvalidParameterValueException", 400, "Number of tags exceeds resource tag limit.");
        assertError(() -> lambda.getFunction(r -> r.functionName("tag-bad2")), "ResourceNotFoundException", 404, "Function not found: " + ARN + "tag-bad2");
        assertThat(lambda.listTags(r -> r.resource(ARN + "tag-bad")).tags()).isEmpty();
    }

    @Test
    void tagsOnEventSourceMappings(LambdaClient lambda, SqsClient sqs) {
        String queue = sqs.getQueueAttributes(r -> r.queueUrl(sqs.createQueue(q -> q.queueName("tagged-source")).queueUrl())
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        FunctionZips.create(lambda, "tagged-consumer", Runtime.NODEJS20_X, "index.handler", CODE);
        assertError(() -> lambda.createEventSourceMapping(r -> r.functionName("tagged-consumer").eventSourceArn(queue).enabled(false)
                .tags(Map.of("aws:owner", "me"))), "InvalidParameterValueException", 400, "Tag keys starting with 'aws:' are reserved for AWS use.");
        assertThat(lambda.listEventSourceMappings(r -> r.functionName("tagged-consumer")).eventSourceMappings()).isEmpty();

        var mapping = lambda.createEventSourceMapping(r -> r.functionName("tagged-consumer").eventSourceArn(queue).enabled(false)
                .tags(Map.of("team", "core")));
        String arn = mapping.eventSourceMappingArn();
        assertThat(arn).isEqualTo("arn:aws:lambda:us-east-1:000000000000:event-source-mapping:" + mapping.uuid());
        assertThat(lambda.listTags(r -> r.resource(arn)).tags()).isEqualTo(Map.of("team", "core"));
        lambda.tagResource(r -> r.resource(arn).tags(Map.of("env", "dev")));
        lambda.untagResource(r -> r.resource(arn).tagKeys("team"));
        assertThat(lambda.listTags(r -> r.resource(arn)).tags()).isEqualTo(Map.of("env", "dev"));

        // Tags go with the mapping.
        lambda.deleteEventSourceMapping(r -> r.uuid(mapping.uuid()));
        assertError(() -> lambda.listTags(r -> r.resource(arn)), "ResourceNotFoundException", 404, "The resource you requested does not exist.");
        assertError(() -> lambda.tagResource(r -> r.resource(arn).tags(Map.of("a", "b"))), "ResourceNotFoundException", 404,
                "The resource you requested does not exist.");
    }

    /** What infrastructure tools read of every function (Terraform's aws_lambda_function does): no code signing configuration, until one is attached (see LambdaCodeSigningIT). */
    @Test
    void functionsHaveNoCodeSigningConfiguration(LambdaClient lambda) {
        FunctionZips.create(lambda, "unsigned", Runtime.NODEJS20_X, "index.handler", CODE);
        var signing = lambda.getFunctionCodeSigningConfig(r -> r.functionName("unsigned"));
        assertThat(signing.functionName()).isEqualTo("unsigned");
        assertThat(signing.codeSigningConfigArn()).isEmpty();
        assertThat(lambda.getFunctionCodeSigningConfig(r -> r.functionName(ARN + "unsigned")).functionName()).isEqualTo("unsigned");
        lambda.deleteFunctionCodeSigningConfig(r -> r.functionName("unsigned"));
        assertThat(lambda.listCodeSigningConfigs(r -> r.maxItems(10)).codeSigningConfigs()).isEmpty();

        String config = "arn:aws:lambda:us-east-1:000000000000:code-signing-config:csc-0123456789abcdef0";
        String notFound = "The code signing configuration cannot be found. Check that the provided configuration is not deleted: " + config + ".";
        assertError(() -> lambda.putFunctionCodeSigningConfig(r -> r.functionName("unsigned").codeSigningConfigArn(config)),
                "CodeSigningConfigNotFoundException", 404, notFound);
        assertError(() -> lambda.getCodeSigningConfig(r -> r.codeSigningConfigArn(config)), "ResourceNotFoundException", 404, notFound);
        assertError(() -> lambda.listFunctionsByCodeSigningConfig(r -> r.codeSigningConfigArn(config)), "ResourceNotFoundException", 404,
                notFound);
        assertError(() -> lambda.getFunctionCodeSigningConfig(r -> r.functionName("unknown")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "unknown");
        assertError(() -> lambda.deleteFunctionCodeSigningConfig(r -> r.functionName("unknown")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "unknown");
    }

    @Test
    void runtimesFollowTheMachineAutomatically(LambdaClient lambda) {
        FunctionZips.create(lambda, "managed", Runtime.NODEJS20_X, "index.handler", CODE);
        String version = lambda.publishVersion(r -> r.functionName("managed")).version();
        var config = lambda.getRuntimeManagementConfig(r -> r.functionName("managed"));
        assertThat(config.updateRuntimeOn()).isEqualTo(software.amazon.awssdk.services.lambda.model.UpdateRuntimeOn.AUTO);
        assertThat(config.functionArn()).isEqualTo(ARN + "managed");
        assertThat(config.runtimeVersionArn()).isNull();
        assertThat(lambda.getRuntimeManagementConfig(r -> r.functionName("managed").qualifier(version)).functionArn())
                .isEqualTo(ARN + "managed:" + version);
        assertThat(lambda.putRuntimeManagementConfig(r -> r.functionName("managed").updateRuntimeOn("Auto")).updateRuntimeOnAsString())
                .isEqualTo("Auto");

        assertError(() -> lambda.putRuntimeManagementConfig(r -> r.functionName("managed").updateRuntimeOn("FunctionUpdate")),
                "InvalidParameterValueException", 400, "UpdateRuntimeOn FunctionUpdate is not supported by Stratus yet: functions run on the "
                        + "machine's own interpreter, whose version follows the machine (Auto).");
        assertError(() -> lambda.putRuntimeManagementConfig(r -> r.functionName("managed").updateRuntimeOn("Sometimes")), "ValidationException", 400,
                "1 validation error detected: Value 'Sometimes' at 'updateRuntimeOn' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [Auto, Manual, FunctionUpdate]");
        assertError(() -> lambda.getRuntimeManagementConfig(r -> r.functionName("managed").qualifier("7")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "managed:7");
        assertError(() -> lambda.getRuntimeManagementConfig(r -> r.functionName("unmanaged")), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "unmanaged");
    }

    @Test
    void permissionsMakeAPolicy(LambdaClient lambda) throws Exception {
        FunctionZips.create(lambda, "guarded", Runtime.NODEJS20_X, "index.handler", CODE);
        assertError(() -> lambda.getPolicy(r -> r.functionName("guarded")), "ResourceNotFoundException", 404, "The resource you requested does not exist.");

        String statement = lambda.addPermission(r -> r.functionName("guarded").statementId("s3-invoke").action("lambda:InvokeFunction")
                .principal("s3.amazonaws.com").sourceArn("arn:aws:s3:::my-bucket").sourceAccount("000000000000")).statement();
        JsonNode added = JSON.readTree(statement);
        assertThat(added.get("Sid").asText()).isEqualTo("s3-invoke");
        assertThat(added.get("Effect").asText()).isEqualTo("Allow");
        assertThat(added.get("Principal").get("Service").asText()).isEqualTo("s3.amazonaws.com");
        assertThat(added.get("Action").asText()).isEqualTo("lambda:InvokeFunction");
        assertThat(added.get("Resource").asText()).isEqualTo(ARN + "guarded");
        assertThat(added.get("Condition").get("StringEquals").get("AWS:SourceAccount").asText()).isEqualTo("000000000000");
        assertThat(added.get("Condition").get("ArnLike").get("AWS:SourceArn").asText()).isEqualTo("arn:aws:s3:::my-bucket");

        lambda.addPermission(r -> r.functionName("guarded").statementId("other-account").action("lambda:GetFunction").principal("111122223333"));
        var policy = lambda.getPolicy(r -> r.functionName("guarded"));
        assertThat(policy.revisionId()).isEqualTo(lambda.getFunction(r -> r.functionName("guarded")).configuration().revisionId());
        JsonNode document = JSON.readTree(policy.policy());
        assertThat(document.get("Version").asText()).isEqualTo("2012-10-17");
        assertThat(document.get("Id").asText()).isEqualTo("default");
        assertThat(document.get("Statement")).hasSize(2);
        assertThat(document.get("Statement").get(0)).isEqualTo(added);
        assertThat(document.get("Statement").get(1).get("Principal").get("AWS").asText()).isEqualTo("arn:aws:iam::111122223333:root");

        assertError(() -> lambda.addPermission(r -> r.functionName("guarded").statementId("s3-invoke").action("lambda:InvokeFunction")
                .principal("sns.amazonaws.com")), "ResourceConflictException", 409,
                "The statement id (s3-invoke) provided already exists. Please provide a new statement id, or remove the existing statement.");
        lambda.removePermission(r -> r.functionName("guarded").statementId("s3-invoke"));
        assertThat(JSON.readTree(lambda.getPolicy(r -> r.functionName("guarded")).policy()).get("Statement")).hasSize(1);
        assertError(() -> lambda.removePermission(r -> r.functionName("guarded").statementId("s3-invoke")), "ResourceNotFoundException", 404,
                "Statement s3-invoke is not found in resource policy.");
        lambda.removePermission(r -> r.functionName("guarded").statementId("other-account"));
        assertError(() -> lambda.getPolicy(r -> r.functionName("guarded")), "ResourceNotFoundException", 404, "The resource you requested does not exist.");

        // A version or alias has a policy of its own.
        lambda.publishVersion(r -> r.functionName("guarded"));
        lambda.createAlias(r -> r.functionName("guarded").name("live").functionVersion("1"));
        String aliasStatement = lambda.addPermission(r -> r.functionName("guarded").qualifier("live").statementId("any").action("lambda:*")
                .principal("*")).statement();
        assertThat(JSON.readTree(aliasStatement).get("Resource").asText()).isEqualTo(ARN + "guarded:live");
        assertThat(JSON.readTree(aliasStatement).get("Principal").asText()).isEqualTo("*");
        assertThat(lambda.getPolicy(r -> r.functionName("guarded:live")).policy()).contains("\"Sid\":\"any\"");
        assertError(() -> lambda.getPolicy(r -> r.functionName("guarded").qualifier("1")), "ResourceNotFoundException", 404,
                "The resource you requested does not exist.");
        lambda.deleteAlias(r -> r.functionName("guarded").name("live"));
        lambda.createAlias(r -> r.functionName("guarded").name("live").functionVersion("1"));
        assertError(() -> lambda.getPolicy(r -> r.functionName("guarded:live")), "ResourceNotFoundException", 404,
                "The resource you requested does not exist.");
    }

    @Test
    void badPermissions(LambdaClient lambda) {
        FunctionZips.create(lambda, "perm-bad", Runtime.NODEJS20_X, "index.handler", CODE);
        assertError(() -> lambda.addPermission(r -> r.functionName("perm-bad").statementId("a b").action("lambda:InvokeFunction").principal("*")),
                "ValidationException", 400,
                "1 validation error detected: Value 'a b' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)");
        assertError(() -> lambda.addPermission(r -> r.functionName("perm-bad").statementId("a").action("s3:GetObject").principal("*")),
                "ValidationException", 400,
                "1 validation error detected: Value 's3:GetObject' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])");
        assertError(() -> lambda.addPermission(r -> r.functionName("perm-bad").statementId("a").action("lambda:InvokeFunction")),
                "ValidationException", 400,
                "1 validation error detected: Value null at 'principal' failed to satisfy constraint: Member must not be null");
        assertError(() -> lambda.addPermission(r -> r.functionName("perm-missing").statementId("a").action("lambda:InvokeFunction").principal("*")),
                "ResourceNotFoundException", 404, "Function not found: " + ARN + "perm-missing");
        assertError(() -> lambda.addPermission(r -> r.functionName("perm-bad").qualifier("4").statementId("a").action("lambda:InvokeFunction").principal("*")),
                "ResourceNotFoundException", 404, "Function not found: " + ARN + "perm-bad:4");
        assertError(() -> lambda.addPermission(r -> r.functionName("perm-bad").statementId("a").action("lambda:InvokeFunction").principal("*")
                .revisionId("stale")), "PreconditionFailedException", 412,
                "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        assertError(() -> lambda.removePermission(r -> r.functionName("perm-bad").statementId("nope")), "ResourceNotFoundException", 404,
                "Statement nope is not found in resource policy.");
        // $LATEST has no policy of its own: it is the function's.
        assertError(() -> lambda.addPermission(r -> r.functionName("perm-bad").qualifier("$LATEST").statementId("a").action("lambda:InvokeFunction")
                .principal("*")), "InvalidParameterValueException", 400, "We currently do not support adding policies for $LATEST.");
        lambda.addPermission(r -> r.functionName("perm-bad").statementId("a").action("lambda:InvokeFunction").principal("*"));
        assertThat(lambda.getPolicy(r -> r.functionName("perm-bad").qualifier("$LATEST")).policy()).contains("\"Sid\":\"a\"");
    }
}
