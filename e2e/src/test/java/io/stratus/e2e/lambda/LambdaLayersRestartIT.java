package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionZips.request;
import static io.stratus.e2e.lambda.FunctionZips.zip;
import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Layers, their numbering and the functions that use them survive a restart of a durable server. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class LambdaLayersRestartIT {

    @Test
    void layersAndADeletedVersionInUseSurviveRestart(LambdaClient lambda, Stratus stratus) {
        String v1 = LambdaLayersIT.publish(lambda, "kept-layer", zip(Map.of("python/kept.py", "WHERE = 'layer one'\n"))).layerVersionArn();
        lambda.createFunction(request("layered", Runtime.PYTHON3_12, "app.handler",
                Map.of("app.py", "import kept\ndef handler(event, context):\n    return kept.WHERE\n")).layers(v1).build());
        FunctionStates.awaitActive(lambda, "layered");
        assertThat(lambda.invoke(r -> r.functionName("layered")).payload().asUtf8String()).isEqualTo("\"layer one\"");
        lambda.deleteLayerVersion(r -> r.layerName("kept-layer").versionNumber(1L));

        stratus.restart();

        // The function still runs with the deleted version (its zip stays while a function names it) ...
        assertThat(lambda.invoke(r -> r.functionName("layered")).payload().asUtf8String()).isEqualTo("\"layer one\"");
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("layered")).layers()).extracting(l -> l.arn()).containsExactly(v1);
        // ... which no one else can get or use any more, and whose number is not given again.
        assertError(() -> lambda.getLayerVersion(r -> r.layerName("kept-layer").versionNumber(1L)), "ResourceNotFoundException", 404,
                "The resource you requested does not exist.");
        var v2 = LambdaLayersIT.publish(lambda, "kept-layer", zip(Map.of("python/kept.py", "WHERE = 'layer two'\n")));
        assertThat(v2.version()).isEqualTo(2L);

        lambda.updateFunctionConfiguration(r -> r.functionName("layered").layers(v2.layerVersionArn()));
        FunctionStates.awaitUpdated(lambda, "layered");
        stratus.restart();
        assertThat(lambda.invoke(r -> r.functionName("layered")).payload().asUtf8String()).isEqualTo("\"layer two\"");
        assertThat(lambda.listLayerVersions(r -> r.layerName("kept-layer")).layerVersions()).extracting(v -> v.version()).containsExactly(2L);
    }
}
