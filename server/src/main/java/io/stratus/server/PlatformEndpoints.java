package io.stratus.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import java.util.List;
import java.util.function.Supplier;

/** Stratus's own endpoints under {@code /_stratus/}: health and metrics. Thread-safe. */
final class PlatformEndpoints {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A service's name and whether it is up, for the health endpoint. */
    record ServiceState(String name, String state) {}

    private final String version;
    private final String storage;
    private final Supplier<List<ServiceState>> services;
    private final Metrics metrics;

    PlatformEndpoints(String version, String storage, Supplier<List<ServiceState>> services, Metrics metrics) {
        this.version = requireNonNull(version, "version is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.services = requireNonNull(services, "services is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    static boolean isKnown(String path) {
        return path.equals("health") || path.equals("metrics");
    }

    HttpResponse handle(HttpRequest request, String path, String requestId) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            throw AwsException.of(CommonErrors.UNKNOWN_OPERATION, "%s /_stratus/%s is not supported.", request.method(), path);
        }
        return switch (path) {
            case "health" -> health();
            case "metrics" -> HttpResponse.of(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
            default -> throw AwsException.of(CommonErrors.UNKNOWN_OPERATION, "There is no Stratus endpoint /_stratus/%s.", path);
        };
    }

    private HttpResponse health() {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", "ok");
        body.put("version", version);
        body.put("storage", storage);
        ObjectNode serviceStates = body.putObject("services");
        for (ServiceState service : services.get()) {
            serviceStates.put(service.name(), service.state());
        }
        try {
            return HttpResponse.of(200, "application/json", JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
