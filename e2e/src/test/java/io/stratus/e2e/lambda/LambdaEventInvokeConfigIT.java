package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionEventInvokeConfig;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Put, Get, Update, Delete and ListFunctionEventInvokeConfigs. */
@StratusTest
class LambdaEventInvokeConfigIT {

    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";
    private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:failures";
    private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:done";

    @Test
    void configsAreStoredPerQualifier(LambdaClient lambda) {
        FunctionZips.create(lambda, "async-cfg", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", "exports.handler = async () => 1;"));
        assertError(() -> lambda.getFunctionEventInvokeConfig(r -> r.functionName("async-cfg")), "ResourceNotFoundException", 404,
                "The function " + ARN + "async-cfg:$LATEST doesn't have an EventInvokeConfig");

        var put = lambda.putFunctionEventInvokeConfig(r -> r.functionName("async-cfg").maximumRetryAttempts(1).maximumEventAgeInSeconds(3600)
                .destinationConfig(d -> d.onFailure(f -> f.destination(QUEUE))));
        assertThat(put.functionArn()).isEqualTo(ARN + "async-cfg:$LATEST");
        assertThat(put.maximumRetryAttempts()).isEqualTo(1);
        assertThat(put.maximumEventAgeInSeconds()).isEqualTo(3600);
        assertThat(put.destinationConfig().onFailure().destination()).isEqualTo(QUEUE);
        assertThat(put.lastModified()).isNotNull();

        // Update merges; Put replaces.
        var updated = lambda.updateFunctionEventInvokeConfig(r -> r.functionName("async-cfg").maximumRetryAttempts(0)
                .destinationConfig(d -> d.onSuccess(s -> s.destination(TOPIC))));
        assertThat(updated.maximumRetryAttempts()).isZero();
        assertThat(updated.maximumEventAgeInSeconds()).isEqualTo(3600);
        assertThat(updated.destinationConfig().onFailure().destination()).isEqualTo(QUEUE);
        assertThat(updated.destinationConfig().onSuccess().destination()).isEqualTo(TOPIC);
        var got = lambda.getFunctionEventInvokeConfig(r -> r.functionName("async-cfg").qualifier("$LATEST"));
        assertThat(got.maximumRetryAttempts()).isZero();
        assertThat(got.destinationConfig().onSuccess().destination()).isEqualTo(TOPIC);
        var replaced = lambda.putFunctionEventInvokeConfig(r -> r.functionName("async-cfg").maximumRetryAttempts(2));
        assertThat(replaced.maximumEventAgeInSeconds()).isNull();
        assertThat(replaced.destinationConfig().onFailure()).isNull();

        lambda.publishVersion(r -> r.functionName("async-cfg"));
        lambda.createAlias(r -> r.functionName("async-cfg").name("live").functionVersion("1"));
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("async-cfg").qualifier("1").maximumRetryAttempts(0));
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("async-cfg:live").maximumEventAgeInSeconds(60));
        assertThat(lambda.listFunctionEventInvokeConfigs(r -> r.functionName("async-cfg")).functionEventInvokeConfigs())
                .extracting(FunctionEventInvokeConfig::functionArn)
                .containsExactlyInAnyOrder(ARN + "async-cfg:$LATEST", ARN + "async-cfg:1", ARN + "async-cfg:live");
        var page = lambda.listFunctionEventInvokeConfigs(r -> r.functionName("async-cfg").maxItems(2));
        assertThat(page.functionEventInvokeConfigs()).hasSize(2);
        assertThat(lambda.listFunctionEventInvokeConfigs(r -> r.functionName("async-cfg").marker(page.nextMarker())).functionEventInvokeConfigs())
                .hasSize(1);

        lambda.deleteFunctionEventInvokeConfig(r -> r.functionName("async-cfg").qualifier("1"));
        assertError(() -> lambda.getFunctionEventInvokeConfig(r -> r.functionName("async-cfg").qualifier("1")), "ResourceNotFoundException", 404,
                "The function " + ARN + "async-cfg:1 doesn't have an EventInvokeConfig");
        assertError(() -> lambda.deleteFunctionEventInvokeConfig(r -> r.functionName("async-cfg").qualifier("1")), "ResourceNotFoundException", 404,
                "The function " + ARN + "async-cfg:1 doesn't have an EventInvokeConfig");
        assertThat(lambda.getFunctionEventInvokeConfig(r -> r.functionName("async-cfg").qualifier("live")).maximumEventAgeInSeconds()).isEqualTo(60);
    }

    @Test
    void badConfigs(LambdaClient lambda) {
        FunctionZips.create(lambda, "async-bad", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", "exports.handler = async () => 1;"));
        assertError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName("async-bad").maximumRetryAttempts(3)), "ValidationException", 400,
                "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2");
        assertError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName("async-bad").maximumEventAgeInSeconds(59)), "ValidationException", 400,
                "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60");
        assertError(() -> lambda.updateFunctionEventInvokeConfig(r -> r.functionName("async-bad").maximumEventAgeInSeconds(21601)), "ValidationException", 400,
                "1 validation error detected: Value '21601' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600");
        assertError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName("async-bad")
                .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:dynamodb:us-east-1:000000000000:table/t")))),
                "InvalidParameterValueException", 400, "The destination ARN arn:aws:dynamodb:us-east-1:000000000000:table/t is invalid.");
        assertError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName("async-missing").maximumRetryAttempts(1)), "ResourceNotFoundException", 404,
                "Function not found: " + ARN + "async-missing");
        assertError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName("async-bad").qualifier("9").maximumRetryAttempts(1)),
                "ResourceNotFoundException", 404, "Function not found: " + ARN + "async-bad:9");
        assertError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName("async-bad")), "InvalidParameterValueException", 400,
                "You must specify at least one of error handling or destination setting.");
        assertError(() -> lambda.updateFunctionEventInvokeConfig(r -> r.functionName("async-bad").maximumRetryAttempts(1)),
                "ResourceNotFoundException", 404, "The function " + ARN + "async-bad:$LATEST doesn't have an EventInvokeConfig");
        for (String itself : new String[] {ARN + "async-bad", ARN + "async-bad:$LATEST"}) {
            assertError(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName("async-bad")
                    .destinationConfig(d -> d.onSuccess(f -> f.destination(itself)))),
                    "InvalidParameterValueException", 400, "You can't specify the function as a destination for itself.");
        }
        assertThat(lambda.listFunctionEventInvokeConfigs(r -> r.functionName("async-bad")).functionEventInvokeConfigs()).isEmpty();
    }
}
