package io.stratus.core.spi;

/**
 * Runs a Lambda function synchronously, as another service does when it delivers to a function
 * (SNS subscriptions, EventBridge rules, Step Functions tasks, event source pollers, API Gateway
 * integrations). Implemented by the Lambda service; the server hands it to the services that need it.
 *
 * <p>Thread safety: callable from any number of threads at once. A call blocks until the function
 * answers or times out (up to the function's timeout, at most 15 minutes), so callers call it from
 * a virtual thread or a worker of their own, never from an event loop.
 */
public interface FunctionInvoker {

    /**
     * What a synchronous invocation returned.
     *
     * @param statusCode the HTTP status Invoke answers with (200 for a run function, also when it failed)
     * @param payload what the function returned, or the error document it failed with
     * @param functionError {@code Unhandled} when the function failed, else null (AWS's {@code X-Amz-Function-Error})
     */
    record Result(int statusCode, byte[] payload, String functionError) {

        public Result {
            payload = payload == null ? new byte[0] : payload.clone();
        }

        public boolean failed() {
            return functionError != null;
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }
    }

    /**
     * Invokes a function and waits for its answer.
     *
     * @param accountId the account the function lives in
     * @param region the function's region
     * @param function the function's name, partial ARN or ARN, optionally with a qualifier ({@code :$LATEST}, a version, an alias)
     * @param payload the event, as JSON bytes
     * @throws io.stratus.core.AwsException as Invoke would answer: {@code ResourceNotFoundException}
     *     for an unknown function, {@code TooManyRequestsException} when throttled
     */
    Result invoke(String accountId, String region, String function, byte[] payload);

    /**
     * Like {@link #invoke(String, String, String, byte[])}, for an event that came with an X-Ray
     * trace header (an SQS message's {@code AWSTraceHeader}): the invocation continues its trace, and
     * Lambda's recursive loop detection follows its chain.
     *
     * @param traceHeader the event's trace header, or null
     * @throws io.stratus.core.AwsException also {@code RecursiveInvocationException} when the chain runs
     *     the function in a loop
     */
    default Result invoke(String accountId, String region, String function, byte[] payload, String traceHeader) {
        return invoke(accountId, region, function, payload);
    }

    /**
     * Queues an asynchronous invocation ({@code InvocationType: Event}) and returns once Lambda
     * accepted it; the function runs later, with Lambda's retries for asynchronous events.
     *
     * @param function the function's name, partial ARN or ARN, optionally with a qualifier
     * @throws io.stratus.core.AwsException as Invoke would answer: {@code ResourceNotFoundException}
     *     for an unknown function, {@code RequestEntityTooLargeException} over the asynchronous limit
     */
    void invokeAsync(String accountId, String region, String function, byte[] payload);

    /**
     * Like {@link #invokeAsync(String, String, String, byte[])}, on behalf of {@code caller}, which
     * the function's resource policy must allow {@code lambda:InvokeFunction}.
     *
     * @throws io.stratus.core.AwsException {@code AccessDeniedException} when the policy does not allow the caller
     */
    void invokeAsync(String accountId, String region, String function, byte[] payload, ServiceCaller caller);

    /**
     * Like {@link #invokeAsync(String, String, String, byte[], ServiceCaller)} (or, with no caller,
     * {@link #invokeAsync(String, String, String, byte[])}), for a delivery that carries the X-Ray
     * trace header of the request it comes from: the invocation continues its trace, and Lambda's
     * recursive loop detection follows its chain.
     *
     * @param caller the service delivering, or null for a delivery as the function's own account
     * @param traceHeader the trace header, or null
     */
    default void invokeAsync(String accountId, String region, String function, byte[] payload, ServiceCaller caller, String traceHeader) {
        if (caller == null) {
            invokeAsync(accountId, region, function, payload);
        } else {
            invokeAsync(accountId, region, function, payload, caller);
        }
    }

    /** Whether the function exists and its resource policy allows {@code caller} to invoke it. */
    boolean allows(String accountId, String region, String function, ServiceCaller caller);

    /** Whether the function (and the version or alias it names, if any) exists. */
    boolean exists(String accountId, String region, String function);
}
