package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionRuntimeTest {

    @Test
    void missingInterpreterNamesWhatToInstall(@TempDir Path emptyDir) {
        assertThatThrownBy(() -> FunctionRuntime.PYTHON312.interpreter(emptyDir.toString())).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(LambdaErrors.INVALID_PARAMETER_VALUE);
            assertThat(e.getMessage()).contains("python3.12").contains("'python3'").contains("Install Python 3");
        });
        assertThatThrownBy(() -> FunctionRuntime.NODEJS22.interpreter(emptyDir.toString())).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.getMessage()).contains("'node'").contains("Install Node.js"));
    }

    @Test
    void missingJvmNamesTheVersionToInstall() {
        assertThatThrownBy(() -> FunctionRuntime.JAVA25.java(java.util.Optional.empty())).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(LambdaErrors.INVALID_PARAMETER_VALUE);
            assertThat(e.getMessage()).startsWith("The runtime java25 needs a Java 25 or newer runtime on the Stratus server")
                    .contains("Install a JDK 25 or newer");
        });
    }

    @Test
    void providedRuntimesNeedNoInterpreter() {
        assertThat(FunctionRuntime.PROVIDED_AL2023.interpreter("")).isEmpty();
    }

    @Test
    void unknownAndUnsupportedRuntimesAreInvalidParameters() {
        assertThatThrownBy(() -> FunctionRuntime.of("cobol9")).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.getMessage()).startsWith("Value cobol9 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ["));
        assertThatThrownBy(() -> FunctionRuntime.of("ruby3.3")).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.getMessage()).contains("not supported by Stratus yet"));
        assertThat(FunctionRuntime.of("java21").javaVersion()).isEqualTo(21);
        assertThat(FunctionRuntime.of("java8.al2").family()).isEqualTo(FunctionRuntime.Family.JAVA);
        assertThat(FunctionRuntime.of("python3.9")).isEqualTo(FunctionRuntime.PYTHON39);
    }
}
