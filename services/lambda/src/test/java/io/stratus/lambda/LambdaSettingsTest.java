package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LambdaSettingsTest {

    @Test
    void aRelativeDataDirIsMadeAbsoluteBecauseRuntimesStartInTheirTaskRoot() {
        LambdaSettings settings = LambdaSettings.durable(Path.of(".stratus", "lambda"), URI.create("http://127.0.0.1:4566"));

        assertThat(settings.dataDir()).isAbsolute();
        assertThat(settings.dataDir()).isEqualTo(Path.of(".stratus", "lambda").toAbsolutePath().normalize());
    }

    @Test
    void theRetryDelayDefaultsToAwsMinuteAndComesFromItsSystemProperty() {
        LambdaSettings settings = LambdaSettings.durable(Path.of("data"), URI.create("http://127.0.0.1:4566"));
        assertThat(settings.asyncRetryDelay()).isEqualTo(Duration.ofMinutes(1));
        try {
            System.setProperty(LambdaSettings.ASYNC_RETRY_DELAY_PROPERTY, "PT0.5S");
            assertThat(settings.withSystemProperties().asyncRetryDelay()).isEqualTo(Duration.ofMillis(500));
            System.setProperty(LambdaSettings.ASYNC_RETRY_DELAY_PROPERTY, "soon");
            assertThatThrownBy(settings::withSystemProperties).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(LambdaSettings.ASYNC_RETRY_DELAY_PROPERTY);
        } finally {
            System.clearProperty(LambdaSettings.ASYNC_RETRY_DELAY_PROPERTY);
        }
        assertThat(settings.withSystemProperties()).isEqualTo(settings);
    }

    @Test
    void concurrencyAndIdleTimeoutComeFromTheirSystemProperties() {
        LambdaSettings settings = LambdaSettings.durable(Path.of("data"), URI.create("http://127.0.0.1:4566"));
        assertThat(settings.accountConcurrency()).isEqualTo(1000);
        try {
            System.setProperty(LambdaSettings.ACCOUNT_CONCURRENCY_PROPERTY, "50");
            System.setProperty(LambdaSettings.IDLE_TIMEOUT_PROPERTY, "PT30S");
            System.setProperty(LambdaSettings.ASYNC_CONCURRENCY_PROPERTY, "2");
            LambdaSettings changed = settings.withSystemProperties();
            assertThat(changed.accountConcurrency()).isEqualTo(50);
            assertThat(changed.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(changed.asyncConcurrency()).isEqualTo(2);
            System.setProperty(LambdaSettings.ACCOUNT_CONCURRENCY_PROPERTY, "0");
            assertThatThrownBy(settings::withSystemProperties).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(LambdaSettings.ACCOUNT_CONCURRENCY_PROPERTY);
            System.setProperty(LambdaSettings.ACCOUNT_CONCURRENCY_PROPERTY, "many");
            assertThatThrownBy(settings::withSystemProperties).isInstanceOf(IllegalArgumentException.class);
            System.clearProperty(LambdaSettings.ACCOUNT_CONCURRENCY_PROPERTY);
            System.setProperty(LambdaSettings.IDLE_TIMEOUT_PROPERTY, "PT0S");
            assertThatThrownBy(settings::withSystemProperties).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(LambdaSettings.IDLE_TIMEOUT_PROPERTY);
        } finally {
            System.clearProperty(LambdaSettings.ACCOUNT_CONCURRENCY_PROPERTY);
            System.clearProperty(LambdaSettings.IDLE_TIMEOUT_PROPERTY);
            System.clearProperty(LambdaSettings.ASYNC_CONCURRENCY_PROPERTY);
        }
    }

    @Test
    void theNodeModulesDirectoryComesFromItsSystemPropertyAndMustExist(@org.junit.jupiter.api.io.TempDir Path modules) {
        LambdaSettings settings = LambdaSettings.durable(Path.of("data"), URI.create("http://127.0.0.1:4566"));
        assertThat(settings.nodeModules()).isNull();
        try {
            System.setProperty(LambdaSettings.NODE_MODULES_PROPERTY, modules.toString());
            assertThat(settings.withSystemProperties().nodeModules()).isEqualTo(modules.toAbsolutePath().normalize());
            assertThat(settings.withSystemProperties().withAccountConcurrency(3).nodeModules()).as("kept by the other withers").isNotNull();
            System.setProperty(LambdaSettings.NODE_MODULES_PROPERTY, modules.resolve("missing").toString());
            assertThatThrownBy(settings::withSystemProperties).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(LambdaSettings.NODE_MODULES_PROPERTY);
        } finally {
            System.clearProperty(LambdaSettings.NODE_MODULES_PROPERTY);
        }
    }

    @Test
    void functionUrlsAreUnderLocalhostUntilTheServerNamesItsHostname() {
        LambdaSettings settings = LambdaSettings.durable(Path.of("data"), URI.create("http://127.0.0.1:4566"));
        assertThat(settings.urlHostname()).isEqualTo("localhost");
        LambdaSettings named = settings.withUrlHostname("stratus.test").withAccountConcurrency(5);
        assertThat(named.urlHostname()).isEqualTo("stratus.test");
        assertThat(named.accountConcurrency()).isEqualTo(5);
    }
}
