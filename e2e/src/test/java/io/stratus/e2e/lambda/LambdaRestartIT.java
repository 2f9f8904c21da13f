package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.NODE_ECHO;
import static io.stratus.e2e.lambda.FunctionZips.PYTHON_ECHO;
import static io.stratus.e2e.lambda.FunctionZips.create;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Functions, their configuration and their code survive a restart of a durable server. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class LambdaRestartIT {

    @Test
    void functionsRunAfterRestart(Stratus stratus, LambdaClient lambda) {
        var node = create(lambda, "durable-node", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ECHO));
        create(lambda, "durable-py", Runtime.PYTHON3_12, "app.handler", Map.of("app.py", PYTHON_ECHO));
        lambda.updateFunctionConfiguration(r -> r.functionName("durable-py").environment(e -> e.variables(Map.of("GREETING", "again"))));
        FunctionStates.awaitUpdated(lambda, "durable-py");
        assertThat(lambda.invoke(r -> r.functionName("durable-node")).statusCode()).isEqualTo(200);

        stratus.restart();

        var after = lambda.getFunction(r -> r.functionName("durable-node")).configuration();
        assertThat(after.codeSha256()).isEqualTo(node.codeSha256());
        assertThat(after.revisionId()).isEqualTo(node.revisionId());
        String nodeOut = lambda.invoke(r -> r.functionName("durable-node").payload(SdkBytes.fromUtf8String("{\"k\":\"v\"}"))).payload().asUtf8String();
        assertThat(nodeOut).contains("\"k\":\"v\"").contains("\"calls\":1");
        String pyOut = lambda.invoke(r -> r.functionName("durable-py")).payload().asUtf8String();
        assertThat(pyOut).contains("\"custom\": \"again\"");
        assertThat(lambda.listFunctions().functions()).extracting(f -> f.functionName()).contains("durable-node", "durable-py");
    }
}
