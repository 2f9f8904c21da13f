package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.NODE_ECHO;
import static io.stratus.e2e.lambda.FunctionZips.create;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetAccountSettingsResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** GetAccountSettings: AWS's default limits and what the account's functions use. */
@StratusTest
class LambdaAccountSettingsIT {

    @Test
    void reportsTheLimitsAndTheFunctionsUsage(LambdaClient lambda) {
        long first = create(lambda, "usage-a", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ECHO)).codeSize();
        long second = create(lambda, "usage-b", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_ECHO + "\n// b")).codeSize();

        GetAccountSettingsResponse settings = lambda.getAccountSettings(r -> {});

        assertThat(settings.accountLimit().totalCodeSize()).isEqualTo(80_530_636_800L);
        assertThat(settings.accountLimit().codeSizeZipped()).isEqualTo(52_428_800L);
        assertThat(settings.accountLimit().codeSizeUnzipped()).isEqualTo(262_144_000L);
        assertThat(settings.accountLimit().concurrentExecutions()).isEqualTo(1000);
        assertThat(settings.accountLimit().unreservedConcurrentExecutions()).isEqualTo(1000);
        assertThat(settings.accountUsage().functionCount()).isEqualTo(2);
        assertThat(settings.accountUsage().totalCodeSize()).isEqualTo(first + second);

        // Every published version keeps its package, and layer archives count too.
        lambda.publishVersion(r -> r.functionName("usage-a"));
        long layer = lambda.publishLayerVersion(r -> r.layerName("usage-layer")
                .content(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(FunctionZips.zip(Map.of("nodejs/x.js", "1"))))))
                .content().codeSize();
        assertThat(lambda.getAccountSettings(r -> {}).accountUsage().totalCodeSize()).isEqualTo(2 * first + second + layer);
    }
}
