package io.stratus.server;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The server's metrics in Prometheus form: requests by service, operation and status with latency
 * histograms, and the JVM's own. Thread-safe.
 */
final class Metrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final ConcurrentHashMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    Metrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    void recordRequest(String service, String operation, int status, long nanos) {
        timers.computeIfAbsent(new TimerKey(service, operation, status), this::timer).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Looking a timer up by its tags on every request costs more than the request; keep them. Its
     * equality is written out: a record's generated one runs through method handles, slower than
     * the lookup it serves.
     */
    private record TimerKey(String service, String operation, int status) {

        @Override
        public boolean equals(Object other) {
            return other instanceof TimerKey key && status == key.status && operation.equals(key.operation) && service.equals(key.service);
        }

        @Override
        public int hashCode() {
            return (service.hashCode() * 31 + operation.hashCode()) * 31 + status;
        }
    }

    private Timer timer(TimerKey key) {
        return Timer.builder("stratus.requests")
                .description("AWS requests served, by service, operation and HTTP status")
                .tag("service", key.service())
                .tag("operation", key.operation())
                .tag("status", Integer.toString(key.status()))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
