package io.stratus.apigateway.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.apigateway.GatewayResponses;
import io.stratus.apigateway.http.HttpApiResources.Integration;
import io.stratus.apigateway.proxy.IntegrationUris;
import io.stratus.apigateway.proxy.ProxyCall;
import io.stratus.apigateway.proxy.ProxyEventV1;
import io.stratus.apigateway.proxy.ProxyResponses;
import io.stratus.core.AwsException;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code AWS_PROXY} integrations: sends the call to the function as a payload format 2.0 or 1.0
 * event and turns its answer into the response. A function that fails, cannot be invoked or answers
 * something the format cannot take is a 500 {@code Internal Server Error}; one slower than the
 * integration's timeout a 504. Thread-safe.
 */
final class LambdaProxy {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaProxy.class);

    private final FunctionInvoker functions;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    LambdaProxy(FunctionInvoker functions) {
        this.functions = requireNonNull(functions, "functions is null");
    }

    /**
     * @param request the call as it arrived, for the format 1.0 event
     * @param path the call's path after the stage, decoded
     * @param authorized what the route's authorizer adds to the event's {@code requestContext}
     */
    HttpResponse invoke(Integration integration, HttpApiCall call, HttpRequest request, String path, AuthorizerDecision.Allow authorized) {
        Future<HttpResponse> answer = calls.submit((Callable<HttpResponse>) () -> run(integration, call, request, path, authorized));
        try {
            return answer.get(integration.timeoutInMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return GatewayResponses.message(504, "Service Unavailable");
        } catch (ExecutionException e) {
            LOG.warn("Integration {} failed", integration.integrationId(), e.getCause());
            return internalError();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return internalError();
        }
    }

    static HttpResponse internalError() {
        return GatewayResponses.message(500, "Internal Server Error");
    }

    private HttpResponse run(Integration integration, HttpApiCall call, HttpRequest request, String path, AuthorizerDecision.Allow authorized) {
        String uri = ParameterMapping.expandStageVariables(integration.integrationUri(), call);
        if (IntegrationUris.functionArn(uri).isEmpty()) {
            LOG.debug("Integration {} names no function with the stage's variables: {}", integration.integrationId(), uri);
            return internalError();
        }
        String functionArn = IntegrationUris.functionArn(uri).get();
        String[] arn = functionArn.split(":");
        boolean v2 = integration.payloadFormatVersion().equals("2.0");
        ObjectNode event = v2 ? ProxyEventV2.of(call) : ProxyEventV1.of(new ProxyCall(call.accountId(), call.apiId(), call.domainName(),
                call.stage(), call.requestId(), call.time(), call.sourceIp(), path, call.resourcePath(), call.pathParameters(),
                call.stageVariables(), request, call.body(), !ProxyEventV2.isText(call.header("content-type"))), ProxyEventV1.Flavor.HTTP);
        ObjectNode authorizer = v2 ? authorized.v2() : authorized.v1();
        if (authorizer != null && event.get("requestContext") instanceof ObjectNode requestContext) {
            requestContext.set("authorizer", authorizer);
        }
        FunctionInvoker.Result result;
        try {
            result = functions.invoke(arn[4], arn[3], functionArn, event.toString().getBytes(StandardCharsets.UTF_8));
        } catch (AwsException e) {
            LOG.debug("Integration {} could not invoke {}: {}", integration.integrationId(), functionArn, e.getMessage());
            return internalError();
        }
        if (result.failed()) {
            return internalError();
        }
        try {
            return v2 ? fromV2(result.payload()) : ProxyResponses.fromV1(result.payload(), false);
        } catch (ProxyResponses.MalformedResponseException e) {
            LOG.debug("Function {} answered integration {} with a malformed response: {}", functionArn, integration.integrationId(), e.getMessage());
            return internalError();
        }
    }

    /**
     * Format 2.0, where a function that returns a bare JSON string answers with that string as the
     * body (AWS's documented interpretation of {@code "Hello from Lambda!"}), not with its quoted form.
     */
    private static HttpResponse fromV2(byte[] payload) throws ProxyResponses.MalformedResponseException {
        try {
            JsonNode answer = ProxyEventV2.JSON.readTree(payload);
            if (answer != null && answer.isTextual()) {
                return new HttpResponse(200, answer.asText().getBytes(StandardCharsets.UTF_8)).header("Content-Type", "application/json");
            }
        } catch (IOException e) {
            // Not JSON: the shared parser says so.
        }
        return ProxyResponses.fromV2(payload);
    }
}
