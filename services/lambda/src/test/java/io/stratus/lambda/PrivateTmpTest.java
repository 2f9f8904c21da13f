package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PrivateTmpTest {

    @Test
    void keepsTheEntriesOfTmpThatHoldWhatTheRuntimeNeeds() {
        assertThat(PrivateTmp.kept(Arrays.asList(Path.of("/tmp/stratus-lambda-env-1/tmp"), Path.of("/tmp/junit-7/data/lambda/tasks/x"),
                Path.of("/tmp/junit-7/data/runtime"), null, Path.of("/work/.stratus/lambda"), Path.of("/tmp"))))
                .containsExactly(Path.of("/tmp/stratus-lambda-env-1"), Path.of("/tmp/junit-7"));
    }
}
