package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JavaRuntimeClientTest {

    @Test
    void sizesHeapMetaspaceAndCodeCacheAsAwsDoes() {
        // What AWS's JVM gets at 256 MB: 85 %, 10 % and 5 % of it, in KB.
        assertThat(JavaRuntimeClient.memoryFlags(256))
                .containsExactly("-XX:MaxHeapSize=222822k", "-XX:MaxMetaspaceSize=26214k", "-XX:ReservedCodeCacheSize=13107k");
    }

    @Test
    void theClientExitsAfterVirtualMachineErrorsOnly() {
        assertThat(JavaRuntimeClient.exitsAfter(bytes("{\"errorMessage\":\"Java heap space\",\"errorType\":\"java.lang.OutOfMemoryError\"}"))).isTrue();
        assertThat(JavaRuntimeClient.exitsAfter(bytes("{\"errorType\": \"java.lang.StackOverflowError\"}"))).isTrue();
        assertThat(JavaRuntimeClient.exitsAfter(bytes("{\"errorType\":\"java.lang.IllegalStateException\",\"errorMessage\":\"OutOfMemoryError\"}"))).isFalse();
        assertThat(JavaRuntimeClient.exitsAfter(bytes("{\"errorType\":\"example.OutOfMemoryErrorLike\"}"))).isFalse();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
