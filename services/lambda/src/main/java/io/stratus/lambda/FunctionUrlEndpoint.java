package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.HttpEndpoint;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves function URLs: {@code http://<url-id>.lambda-url.<region>.localhost:4566/…} and
 * {@code http://localhost:4566/_aws/lambda-url/<url-id>/…}. Finds the URL's function, answers CORS
 * preflights, checks the auth type and the function's resource policy (as
 * {@link PolicyOperations#allowsUrlCall} decides), invokes the function synchronously with the
 * payload format 2.0 event (through the same path as Invoke: concurrency, timeout, logs) and turns its answer into
 * the HTTP response. Errors are answered as function URLs answer them, never in the Lambda API's
 * error shape. Thread-safe; one call per request, on the request's virtual thread.
 */
final class FunctionUrlEndpoint implements HttpEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionUrlEndpoint.class);
    static final String FORBIDDEN =
            "Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html";

    /**
     * Starts a function as Invoke does, with the request id its context reports; the invocation's
     * end completes the answer.
     *
     * @param streaming told when the function begins to stream its response; null when only the end matters
     */
    @FunctionalInterface
    interface UrlInvoker {
        CompletableFuture<Invoker.Outcome> invoke(String accountId, String region, String function, byte[] event, String requestId,
                Consumer<StreamedResponse> streaming);
    }

    private final FunctionUrls urls;
    private final PolicyOperations policies;
    private final UrlInvoker invoker;

    FunctionUrlEndpoint(FunctionUrls urls, PolicyOperations policies, UrlInvoker invoker) {
        this.urls = requireNonNull(urls, "urls is null");
        this.policies = requireNonNull(policies, "policies is null");
        this.invoker = requireNonNull(invoker, "invoker is null");
    }

    @Override
    public HttpResponse handle(RequestContext context, String urlId, HttpRequest request) {
        Optional<FunctionUrls.Found> found = urls.find(urlId);
        if (found.isEmpty()) {
            return message(404, "Not Found", null);
        }
        FunctionUrls.Found url = found.get();
        FunctionUrlModel.Cors cors = url.config().cors();
        // Before the auth type: browsers never sign a preflight.
        if (FunctionUrlCors.isPreflight(cors, request)) {
            return FunctionUrlCors.preflight(cors, request);
        }
        Optional<FunctionUrlEvents.IamCaller> caller = Optional.empty();
        boolean iam = url.config().authType().equals("AWS_IAM");
        if (iam) {
            caller = signedCaller(context);
            if (caller.isEmpty()) {
                return forbidden();
            }
        }
        try {
            // NONE: the caller is anonymous, whatever it signed (Lambda does not authenticate it).
            if (!policies.allowsUrlCall(url.location().accountId(), url.location().region(), reference(url), url.config().authType(),
                    iam ? context : null)) {
                return forbidden();
            }
        } catch (AwsException e) {
            if (e.errorCode() == LambdaErrors.RESOURCE_NOT_FOUND) {
                return message(404, "Not Found", null); // deleted while this request was on its way
            }
            throw e;
        }
        byte[] body;
        try {
            body = request.bodyBytes(InvokePayloads.MAX_SYNC_PAYLOAD);
        } catch (AwsException e) {
            return tooLarge();
        }
        byte[] event = FunctionUrlEvents.event(request, body, urlId, url.location().region(), context.requestId(), context.receivedAt(), caller);
        // In RESPONSE_STREAM mode what the function streams is the response (with its prelude, when it
        // writes one through awslambda.HttpResponseStream), sent as it streams it.
        boolean streams = "RESPONSE_STREAM".equals(url.config().invokeMode());
        CompletableFuture<StreamedResponse> started = new CompletableFuture<>();
        CompletableFuture<Invoker.Outcome> ended;
        try {
            // The function's awsRequestId is the event's requestContext.requestId and the response's x-amzn-RequestId.
            ended = invoker.invoke(url.location().accountId(), url.location().region(), url.functionName(), event, context.requestId(),
                    streams ? started::complete : null);
        } catch (AwsException e) {
            if (e.errorCode() == LambdaErrors.TOO_MANY_REQUESTS) {
                return message(429, "Rate Exceeded.", "TooManyRequestsException");
            }
            if (e.errorCode() == LambdaErrors.REQUEST_ENTITY_TOO_LARGE) {
                return tooLarge();
            }
            if (e.errorCode() == LambdaErrors.RESOURCE_NOT_FOUND) {
                // Deleted while this request was on its way.
                return message(404, "Not Found", null);
            }
            throw e;
        }
        try {
            CompletableFuture.anyOf(started, ended).get();
            if (started.isDone()) {
                return streamed(cors, request, urlId, url, started.join(), ended);
            }
            Invoker.Outcome outcome = ended.get();
            return outcome.result().failed() ? internalError() : FunctionUrlCors.apply(cors, request, FunctionUrlEvents.response(outcome.result().payload()));
        } catch (FunctionUrlEvents.MalformedResponse e) {
            LOG.debug("Function URL {} of {}: {}", urlId, url.functionName(), e.getMessage());
            return internalError();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while invoking " + url.functionName(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /**
     * The response of a function that began to stream: sent from its first byte on, as it comes; one
     * that ends before its first byte because the function failed is a function error.
     */
    private static HttpResponse streamed(FunctionUrlModel.Cors cors, HttpRequest request, String urlId, FunctionUrls.Found url,
            StreamedResponse stream, CompletableFuture<Invoker.Outcome> ended)
            throws InterruptedException, ExecutionException, FunctionUrlEvents.MalformedResponse {
        if (!stream.awaitBytes() && ended.get().result().failed()) {
            return internalError();
        }
        try {
            return FunctionUrlCors.apply(cors, request, FunctionUrlEvents.streamedResponse(stream));
        } catch (java.io.IOException e) {
            LOG.debug("Function URL {} of {}: reading its stream failed", urlId, url.functionName(), e);
            return internalError();
        }
    }

    /**
     * The caller of a signed request, as the edge authenticated it: with {@code --auth sigv4} only
     * a signature that verifies, else any well-formed one (as for the AWS APIs).
     */
    private static Optional<FunctionUrlEvents.IamCaller> signedCaller(RequestContext context) {
        if (context.accessKeyId() == null) {
            return Optional.empty();
        }
        return Optional.of(new FunctionUrlEvents.IamCaller(context.accessKeyId(), context.principal().accountId(), context.principal().userId(),
                context.principal().arn()));
    }

    /** The function, or the alias, whose policy decides who may call the URL. */
    private static FunctionRules.FunctionReference reference(FunctionUrls.Found url) {
        String qualifier = url.location().qualifier();
        return new FunctionRules.FunctionReference(url.location().name(), qualifier.isEmpty() ? null : qualifier);
    }

    /** A caller the auth type or the function's resource policy refuses, as function URLs answer it today. */
    private static HttpResponse forbidden() {
        return message(403, FORBIDDEN, "AccessDeniedException");
    }

    /** A function error, a timeout, or an answer that is not a response: 502, as function URLs answer. */
    private static HttpResponse internalError() {
        return HttpResponse.of(502, "application/json", "Internal Server Error");
    }

    private static HttpResponse tooLarge() {
        return message(413, "Request must be smaller than 6291456 bytes for the InvokeFunction operation", "RequestTooLargeException");
    }

    private static HttpResponse message(int status, String message, String errorType) {
        String body = "{\"Message\":" + FunctionUrlEvents.JSON.getNodeFactory().textNode(message) + "}";
        HttpResponse response = HttpResponse.of(status, "application/json", body);
        if (errorType != null) {
            response.header("x-amzn-ErrorType", errorType);
        }
        return response;
    }
}
