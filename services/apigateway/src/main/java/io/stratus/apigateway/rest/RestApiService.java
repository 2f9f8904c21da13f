package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiDirectory;
import io.stratus.apigateway.ApiInvoker;
import io.stratus.apigateway.GatewayResponses;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import io.stratus.protocol.shape.MemberNaming;
import io.stratus.storage.Store;
import java.time.Clock;

/** REST APIs (API Gateway v1, {@code /restapis/…}): not served yet; every operation is unknown. Thread-safe. */
public final class RestApiService implements StratusService, ApiInvoker {

    private final Store store;
    private final Clock clock;
    private final ApiDirectory directory;
    private final FunctionInvoker functions;
    private final ServiceDefinition definition;

    public RestApiService(Store store, Clock clock, ApiDirectory directory, FunctionInvoker functions) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.functions = requireNonNull(functions, "functions is null");
        this.definition = ServiceDefinition.builder("apigateway")
                .signingName("apigateway")
                .protocol(Protocol.REST_JSON_1)
                .naming(MemberNaming.CAMEL_CASE)
                .build();
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }

    @Override
    public HttpResponse invoke(RequestContext context, String apiId, ApiDirectory.Location location, HttpRequest request) {
        return GatewayResponses.message(404, "Not Found");
    }
}
