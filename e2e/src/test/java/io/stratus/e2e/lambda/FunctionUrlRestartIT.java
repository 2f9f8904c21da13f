package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionUrlIT.call;
import static io.stratus.e2e.lambda.FunctionUrlIT.urlId;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Function URL configs and their ids survive a restart; a URL whose function was deleted stays gone. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class FunctionUrlRestartIT {

    @Test
    void urlsSurviveRestart(LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "durable", Runtime.NODEJS20_X, "index.handler",
                Map.of("index.js", "exports.handler = async (event) => ({ path: event.rawPath });"));
        var created = lambda.createFunctionUrlConfig(r -> r.functionName("durable").authType(FunctionUrlAuthType.NONE)
                .cors(c -> c.allowOrigins("https://app.example")));
        String id = urlId(created.functionUrl());
        FunctionUrlIT.allowPublic(lambda, "durable", null);
        FunctionZips.create(lambda, "doomed", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", "exports.handler = async () => 1;"));
        String doomed = urlId(lambda.createFunctionUrlConfig(r -> r.functionName("doomed").authType(FunctionUrlAuthType.NONE)).functionUrl());
        lambda.deleteFunction(r -> r.functionName("doomed"));
        assertThat(call(stratus, id, "GET", "/before", null).body()).isEqualTo("{\"path\":\"/before\"}");

        stratus.restart();

        var got = lambda.getFunctionUrlConfig(r -> r.functionName("durable"));
        assertThat(got.functionUrl()).isEqualTo(created.functionUrl().replaceAll(":\\d+/$", ":" + stratus.port() + "/"));
        assertThat(got.cors().allowOrigins()).containsExactly("https://app.example");
        assertThat(got.creationTime()).isEqualTo(created.creationTime());
        var after = call(stratus, id, "GET", "/after", null, "Origin", "https://app.example");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).isEqualTo("{\"path\":\"/after\"}");
        assertThat(after.headers().firstValue("access-control-allow-origin")).contains("https://app.example");
        assertThat(call(stratus, doomed, "GET", "/", null).statusCode()).isEqualTo(404);
    }
}
