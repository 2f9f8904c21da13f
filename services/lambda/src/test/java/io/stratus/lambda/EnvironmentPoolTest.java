package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stratus.core.AwsException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentPoolTest {

    @TempDir
    Path dir;
    private Path taskRoot;
    private Path runtimeDir;

    @BeforeEach
    void setUp() throws IOException {
        taskRoot = Files.createDirectories(dir.resolve("task"));
        Files.writeString(taskRoot.resolve("index.js"), "let n = 0; exports.handler = async () => ++n;");
        runtimeDir = Files.createDirectories(dir.resolve("runtime"));
        try (InputStream in = LambdaService.class.getResourceAsStream("runtime/bootstrap.js")) {
            Files.copy(in, runtimeDir.resolve("bootstrap.js"));
        }
    }

    private EnvironmentPool pool(int concurrency, Duration idleTimeout) {
        LambdaSettings settings = new LambdaSettings(dir, false, URI.create("http://127.0.0.1:1"), concurrency, idleTimeout, LambdaSettings.DEFAULT_ASYNC_CONCURRENCY);
        return new EnvironmentPool(settings, java.time.Clock.systemUTC(), function -> new CodeStore.Reference() {
            @Override
            public FunctionRecord function() {
                return function;
            }

            @Override
            public Path taskRoot() {
                return taskRoot;
            }

            @Override
            public void close() {}
        }, runtimeDir, io.stratus.core.spi.Logs.NONE);
    }

    private static FunctionRecord function(String revision) {
        return new FunctionRecord("000000000000", "us-east-1", "counter", "nodejs20.x", "arn:aws:iam::000000000000:role/r", "index.handler",
                "", 3, 128, Map.of(), "c2hh", 1, Instant.EPOCH, revision, FunctionRecord.LATEST, 0, null);
    }

    private static String run(ExecutionEnvironment environment) {
        return new String(environment.invoke(java.util.UUID.randomUUID().toString(), null, "{}".getBytes(StandardCharsets.UTF_8), null, TraceLineage.NONE.next(environment.function()), null).join().payload(),
                StandardCharsets.UTF_8);
    }

    @Test
    void invocationsBeyondTheAccountLimitAreThrottled() {
        try (EnvironmentPool pool = pool(2, Duration.ofMinutes(1))) {
            EnvironmentPool.Slot first = pool.reserve("111111111111");
            EnvironmentPool.Slot second = pool.reserve("111111111111");

            assertThatThrownBy(() -> pool.reserve("111111111111")).isInstanceOfSatisfying(AwsException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(LambdaErrors.TOO_MANY_REQUESTS);
                assertThat(e.errorCode().httpStatus()).isEqualTo(429);
                assertThat(e.details()).containsEntry("Reason", "ConcurrentInvocationLimitExceeded");
            });
            // Accounts are limited separately, and a finished invocation frees its slot.
            pool.reserve("222222222222").close();
            first.close();
            pool.reserve("111111111111").close();
            second.close();
        }
    }

    @Test
    void reservedConcurrencyIsCountedApartFromTheUnreservedPool() {
        try (EnvironmentPool pool = pool(10, Duration.ofMinutes(1))) {
            String account = "333333333333";
            // "a" reserves 2 of the account's 10; the other functions share the 8 left.
            EnvironmentPool.Slot a1 = pool.reserve(account, "us-east-1/a", 2, 2);
            EnvironmentPool.Slot a2 = pool.reserve(account, "us-east-1/a", 2, 2);
            assertThatThrownBy(() -> pool.reserve(account, "us-east-1/a", 2, 2)).isInstanceOfSatisfying(AwsException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(LambdaErrors.TOO_MANY_REQUESTS);
                assertThat(e.details()).containsEntry("Reason", "ReservedFunctionConcurrentInvocationLimitExceeded");
            });
            List<EnvironmentPool.Slot> others = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                others.add(pool.reserve(account, "us-east-1/b", null, 2));
            }
            assertThatThrownBy(() -> pool.reserve(account, "us-east-1/c", null, 2)).isInstanceOfSatisfying(AwsException.class,
                    e -> assertThat(e.details()).containsEntry("Reason", "ConcurrentInvocationLimitExceeded"));
            assertThatThrownBy(() -> pool.reserve(account, "us-east-1/zero", 0, 2)).isInstanceOfSatisfying(AwsException.class,
                    e -> assertThat(e.details()).containsEntry("Reason", "ReservedFunctionConcurrentInvocationLimitExceeded"));
            a1.close();
            pool.reserve(account, "us-east-1/a", 2, 2).close();
            others.getFirst().close();
            pool.reserve(account, "us-east-1/c", null, 2).close();
            a2.close();
            others.forEach(EnvironmentPool.Slot::close);
        }
    }

    @Test
    void warmEnvironmentIsReusedUntilItsFunctionChanges() {
        assumeTrue(hasNode());
        try (EnvironmentPool pool = pool(10, Duration.ofMinutes(1))) {
            ExecutionEnvironment environment = pool.lease(function("r1"), FunctionRuntime.NODEJS20);
            assertThat(run(environment)).isEqualTo("1");
            pool.release(environment);

            ExecutionEnvironment again = pool.lease(function("r1"), FunctionRuntime.NODEJS20);
            assertThat(again).isSameAs(environment);
            assertThat(run(again)).isEqualTo("2");
            pool.release(again);

            pool.retire("000000000000", "us-east-1", "counter", FunctionRecord.LATEST);
            assertThat(environment.usable()).isFalse();
            ExecutionEnvironment fresh = pool.lease(function("r2"), FunctionRuntime.NODEJS20);
            assertThat(run(fresh)).isEqualTo("1");
            pool.release(fresh);
        }
    }

    @Test
    void idleEnvironmentsAreReaped() throws InterruptedException {
        assumeTrue(hasNode());
        try (EnvironmentPool pool = pool(10, Duration.ofMillis(50))) {
            ExecutionEnvironment environment = pool.lease(function("r1"), FunctionRuntime.NODEJS20);
            run(environment);
            pool.release(environment);
            pool.reapIdle();
            assertThat(environment.usable()).isTrue();

            Thread.sleep(100);
            pool.reapIdle();

            assertThat(environment.usable()).isFalse();
            assertThat(pool.lease(function("r1"), FunctionRuntime.NODEJS20)).isNotSameAs(environment);
        }
    }

    @Test
    void provisionedEnvironmentsAreInitializedAheadAndNeverReapedWhileProvisioned() throws InterruptedException {
        assumeTrue(hasNode());
        try (EnvironmentPool pool = pool(10, Duration.ofMillis(50))) {
            FunctionRecord version = function("r1");
            EnvironmentPool.FunctionKey key = EnvironmentPool.FunctionKey.of(version);

            assertThat(pool.provision(version, FunctionRuntime.NODEJS20, 2)).isNull();
            assertThat(pool.provisioned(key)).isEqualTo(2);
            // Asking again for as many starts nothing.
            assertThat(pool.provision(version, FunctionRuntime.NODEJS20, 2)).isNull();
            assertThat(pool.provisioned(key)).isEqualTo(2);

            ExecutionEnvironment first = pool.leaseProvisioned(version);
            ExecutionEnvironment second = pool.leaseProvisioned(version);
            assertThat(first).isNotNull().isNotSameAs(second);
            assertThat(second).isNotNull();
            assertThat(pool.leaseProvisioned(version)).as("both are busy").isNull();
            assertThat(run(first)).isEqualTo("1");
            pool.release(first);
            pool.release(second);

            Thread.sleep(100);
            pool.reapIdle();
            assertThat(first.usable()).isTrue();
            assertThat(second.usable()).isTrue();
            ExecutionEnvironment again = pool.leaseProvisioned(version);
            assertThat(again).isIn(first, second);
            pool.release(again);

            // No longer provisioned: ordinary environments, reaped once idle.
            pool.unprovisionExcept(java.util.Set.of());
            assertThat(pool.provisioned(key)).isZero();
            assertThat(pool.leaseProvisioned(version)).isNull();
            Thread.sleep(100);
            pool.reapIdle();
            assertThat(first.usable()).isFalse();
            assertThat(second.usable()).isFalse();
        }
    }

    @Test
    void anEnvironmentThatCannotInitializeIsNotProvisioned() throws IOException {
        assumeTrue(hasNode());
        Files.writeString(taskRoot.resolve("index.js"), "throw new Error('no');");
        try (EnvironmentPool pool = pool(10, Duration.ofMinutes(1))) {
            FunctionRecord version = function("r1");
            // The runtime reports the module's error as its init error, and exits.
            assertThat(pool.provision(version, FunctionRuntime.NODEJS20, 1)).isEqualTo("Error");
            assertThat(pool.provisioned(EnvironmentPool.FunctionKey.of(version))).isZero();
        }
    }

    private static boolean hasNode() {
        try {
            return FunctionRuntime.NODEJS20.interpreter().isPresent();
        } catch (AwsException e) {
            return false;
        }
    }
}
