package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.lambda.FunctionRules.FunctionReference;
import io.stratus.lambda.LambdaModel.InvokeRequest;
import io.stratus.lambda.LambdaModel.InvokeResponse;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The ways in to a function: Invoke and InvokeWithResponseStream (RequestResponse, Event, DryRun),
 * function URLs' calls, and the {@link FunctionInvoker} other services reach functions through.
 * Each running invocation pins the code it runs ({@link CodeStore.Reference}) until it ends; an
 * {@code Event} invocation is stored before it is acknowledged ({@link AsyncInvocations}).
 * Thread-safe.
 */
final class InvokeOperations implements FunctionInvoker {

    private final CodeStore code;
    private final VersionOperations versions;
    private final VersionOperations.Lookup lookup;
    private final PolicyOperations policies;
    private final Invoker invoker;
    private final AsyncInvocations async;

    InvokeOperations(CodeStore code, VersionOperations versions, VersionOperations.Lookup lookup, PolicyOperations policies, Invoker invoker,
            AsyncInvocations async) {
        this.code = requireNonNull(code, "code is null");
        this.versions = requireNonNull(versions, "versions is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
        this.policies = requireNonNull(policies, "policies is null");
        this.invoker = requireNonNull(invoker, "invoker is null");
        this.async = requireNonNull(async, "async is null");
    }

    /** Answers a RequestResponse invocation from the runtime's answer (see {@link Invoker#start}); the rest at once. */
    CompletionStage<InvokeResponse> invoke(RequestContext context, InvokeRequest request) {
        return run(context, request, InvokePayloads.invocationType(request.invocationType(), request.logType()), null)
                .thenApply(ResponseStreams.Invoked::response);
    }

    /** Answered as soon as the function begins to stream (see {@link ResponseStreams}), else when it is done. */
    CompletionStage<LambdaModel.InvokeWithResponseStreamResponse> invokeWithResponseStream(RequestContext context, InvokeRequest request) {
        String type = ResponseStreams.invocationType(request.invocationType());
        InvokePayloads.invocationType(type, request.logType());
        return ResponseStreams.answer(streaming -> run(context, request, type, streaming));
    }

    /**
     * Runs an Invoke of {@code type} (already checked): the answer, and the response the function
     * streamed, if it did.
     *
     * @param streaming told when the function begins to stream its response; null when only the end matters
     */
    private CompletionStage<ResponseStreams.Invoked> run(RequestContext context, InvokeRequest request, String type,
            Consumer<ResponseStreams.Started> streaming) {
        FunctionReference reference = FunctionRules.reference(request.functionName(), request.qualifier());
        String owner = policies.invokedAccount(context, reference);
        // As AWS checks: the function before the payload. Its code is pinned below, once running it.
        find(owner, context.region(), reference);
        byte[] payload = request.payload() == null ? new byte[0] : request.payload();
        InvokePayloads.requireJson(payload);
        switch (type) {
            case "DryRun" -> {
                return CompletableFuture.completedFuture(new ResponseStreams.Invoked(new InvokeResponse(204, null, null, null, null), null));
            }
            case "Event" -> {
                enqueue(owner, context.region(), reference, context.requestId(), payload, context.traceHeader());
                return CompletableFuture.completedFuture(new ResponseStreams.Invoked(new InvokeResponse(202, null, null, null, null), null));
            }
            case "RequestResponse" -> {
                if (payload.length > InvokePayloads.MAX_SYNC_PAYLOAD) {
                    throw InvokePayloads.tooLarge(payload.length, InvokePayloads.MAX_SYNC_PAYLOAD);
                }
                boolean tail = "Tail".equals(request.logType());
                String clientContext = InvokePayloads.clientContext(request.clientContext());
                // The code stays pinned until the invocation ends.
                CodeStore.Reference code = current(owner, context.region(), reference);
                CompletableFuture<Invoker.Outcome> outcome;
                try {
                    // The invocation's request id is the Invoke's own, as the caller's x-amzn-RequestId reports it.
                    Consumer<StreamedResponse> started = streaming == null ? null
                            : stream -> streaming.accept(new ResponseStreams.Started(stream, code.function().version()));
                    outcome = invoker.start(code.function(), invokedArn(owner, context.region(), reference), payload, clientContext, tail,
                            context.requestId(), context.traceHeader(), started);
                } catch (RuntimeException e) {
                    code.close();
                    throw e;
                }
                return outcome.whenComplete((ended, failure) -> code.close()).thenApply(ended -> new ResponseStreams.Invoked(new InvokeResponse(
                        ended.result().statusCode(), ended.result().functionError(), ended.logTail(), code.function().version(),
                        ended.result().payload()), ended.stream()));
            }
            default -> throw new IllegalStateException("invocation type " + type);
        }
    }

    @Override
    public Result invoke(String accountId, String region, String function, byte[] payload) {
        return invoke(accountId, region, function, payload, null);
    }

    @Override
    public Result invoke(String accountId, String region, String function, byte[] payload, String traceHeader) {
        FunctionReference reference = FunctionRules.reference(function, null);
        find(accountId, region, reference);
        InvokePayloads.requireJson(payload == null ? new byte[0] : payload);
        try (CodeStore.Reference code = current(accountId, region, reference)) {
            return invoker.invoke(code.function(), invokedArn(accountId, region, reference), payload == null ? new byte[0] : payload, null, false,
                    UUID.randomUUID().toString(), traceHeader).result();
        }
    }

    /** A function URL's call: as {@link #invoke(String, String, String, byte[])}, with the call's request id. */
    CompletableFuture<Invoker.Outcome> invokeUrl(String accountId, String region, String function, byte[] event, String requestId,
            Consumer<StreamedResponse> streaming) {
        FunctionReference reference = FunctionRules.reference(function, null);
        // The code stays pinned until the invocation ends.
        CodeStore.Reference code = current(accountId, region, reference);
        try {
            return invoker.start(code.function(), invokedArn(accountId, region, reference), event, null, false, requestId, null, streaming)
                    .whenComplete((ended, failure) -> code.close());
        } catch (RuntimeException e) {
            code.close();
            throw e;
        }
    }

    @Override
    public boolean exists(String accountId, String region, String function) {
        try {
            find(accountId, region, FunctionRules.reference(function, null));
            return true;
        } catch (AwsException e) {
            if (e.errorCode() == LambdaErrors.RESOURCE_NOT_FOUND || e.errorCode() == LambdaErrors.INVALID_PARAMETER_VALUE
                    || e.errorCode() == LambdaErrors.VALIDATION) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void invokeAsync(String accountId, String region, String function, byte[] payload) {
        invokeAsync(accountId, region, function, payload, null, null);
    }

    @Override
    public void invokeAsync(String accountId, String region, String function, byte[] payload, ServiceCaller caller) {
        invokeAsync(accountId, region, function, payload, caller, null);
    }

    @Override
    public void invokeAsync(String accountId, String region, String function, byte[] payload, ServiceCaller caller, String traceHeader) {
        if (caller != null && !policies.allows(accountId, region, FunctionRules.reference(function, null), caller)) {
            throw AwsException.of(LambdaErrors.ACCESS_DENIED, "%s is not authorized to perform: lambda:InvokeFunction on resource: %s",
                    caller.principal(), function);
        }
        byte[] event = payload == null ? new byte[0] : payload;
        FunctionReference reference = FunctionRules.reference(function, null);
        find(accountId, region, reference);
        InvokePayloads.requireJson(event);
        enqueue(accountId, region, reference, UUID.randomUUID().toString(), event, traceHeader);
    }

    @Override
    public boolean allows(String accountId, String region, String function, ServiceCaller caller) {
        return exists(accountId, region, function) && policies.allows(accountId, region, FunctionRules.reference(function, null), caller);
    }

    /** Acknowledges an {@code Event} invocation (stored before this returns), pinning the code it will run. */
    private void enqueue(String accountId, String region, FunctionReference reference, String requestId, byte[] payload, String trace) {
        if (payload.length > InvokePayloads.MAX_ASYNC_PAYLOAD) {
            throw InvokePayloads.tooLarge(payload.length, InvokePayloads.MAX_ASYNC_PAYLOAD);
        }
        CodeStore.Reference code = current(accountId, region, reference);
        try {
            async.enqueue(code, requestId, invokedArn(accountId, region, reference), payload, trace);
        } catch (RuntimeException e) {
            code.close();
            throw e;
        }
    }

    /**
     * The function's current record with a reference to its code, taken together so an update
     * cannot delete the code between the two; close it when the invocation ends.
     */
    private CodeStore.Reference current(String accountId, String region, FunctionReference reference) {
        return code.locked(accountId, region, reference.name(), () -> {
            FunctionRecord latest = lookup.latest(accountId, region, reference);
            // An alias with a routing configuration picks one of its versions per invocation; $LATEST
            // runs what it was before an update until the update is Successful.
            FunctionRecord function = versions.qualified(latest, reference.qualifier(), true).running();
            FunctionRules.requireActive(function);
            return code.reference(function);
        });
    }

    /** The ARN an invocation names, as the function's context reports it: with the qualifier it was invoked with. */
    private static String invokedArn(String accountId, String region, FunctionReference reference) {
        String arn = FunctionRecord.arn(accountId, region, reference.name());
        return reference.qualifier() == null ? arn : arn + ":" + reference.qualifier();
    }

    /** The version, alias's version or {@code $LATEST} a reference names (an alias's primary version). */
    private FunctionRecord find(String accountId, String region, FunctionReference reference) {
        return versions.qualified(lookup.latest(accountId, region, reference), reference.qualifier(), false);
    }
}
