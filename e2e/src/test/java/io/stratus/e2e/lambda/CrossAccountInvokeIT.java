package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Another account invokes a function by its ARN once the function's resource policy names it,
 * and not before — as AddPermission grants on AWS. The owner is 111111111111, the caller 222222222222.
 */
@StratusTest
class CrossAccountInvokeIT {

    private static final String ECHO = "def handler(event, context):\n    return {'seen': event, 'by': context.invoked_function_arn}\n";
    private static final String ARN = "arn:aws:lambda:us-east-1:111111111111:function:shared-echo";

    private static LambdaClient client(Stratus stratus, String account) {
        return stratus.configure(LambdaClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "test")))
                .build();
    }

    @Test
    void theFunctionPolicyDecidesWhetherAnotherAccountMayInvoke(Stratus stratus) {
        try (LambdaClient owner = client(stratus, "111111111111"); LambdaClient caller = client(stratus, "222222222222")) {
            owner.createFunction(request("shared-echo", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", ECHO)).build());
            FunctionStates.awaitActive(owner, "shared-echo");

            assertDenied(() -> caller.invoke(r -> r.functionName(ARN).payload(SdkBytes.fromUtf8String("{}"))));

            owner.addPermission(r -> r.functionName("shared-echo").statementId("partner").action("lambda:InvokeFunction").principal("222222222222"));

            String answer = caller.invoke(r -> r.functionName(ARN).payload(SdkBytes.fromUtf8String("{\"n\":1}"))).payload().asUtf8String();
            assertThat(answer).contains("\"seen\": {\"n\": 1}").contains(ARN);
            assertThat(caller.invoke(r -> r.functionName(ARN).invocationType(InvocationType.EVENT)).statusCode()).isEqualTo(202);
            assertThatThrownBy(() -> caller.getFunction(r -> r.functionName(ARN))).isInstanceOf(LambdaException.class);
            assertDenied(() -> caller.invoke(r -> r.functionName("arn:aws:lambda:us-east-1:111111111111:function:not-there")));

            owner.removePermission(r -> r.functionName("shared-echo").statementId("partner"));
            assertDenied(() -> caller.invoke(r -> r.functionName(ARN)));
        }
    }

    private static void assertDenied(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(LambdaException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::222222222222:root is not authorized to perform: lambda:InvokeFunction");
        });
    }
}
