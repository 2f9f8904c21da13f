package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LambdaSettingsTest {

    @Test
    void aRelativeDataDirIsMadeAbsoluteBecauseRuntimesStartInTheirTaskRoot() {
        LambdaSettings settings = LambdaSettings.durable(Path.of(".stratus", "lambda"), URI.create("http://127.0.0.1:4566"));

        assertThat(settings.dataDir()).isAbsolute();
        assertThat(settings.dataDir()).isEqualTo(Path.of(".stratus", "lambda").toAbsolutePath().normalize());
    }
}
