package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.lambda.FunctionStore.Attachment;
import io.stratus.protocol.traits.HttpLabel;
import java.util.Set;

/**
 * Get/PutFunctionRecursionConfig: whether Lambda stops a function that runs in a recursive loop
 * ({@code Terminate}, the default) or lets it run ({@code Allow}); see {@link TraceLineage} for how
 * a loop is found. Kept per function, for all its versions. Thread-safe.
 */
final class RecursionOperations {

    static final String TERMINATE = "Terminate";
    static final String ALLOW = "Allow";
    private static final Set<String> MODES = Set.of(TERMINATE, ALLOW);

    record FunctionRequest(@HttpLabel("FunctionName") String functionName) {}

    record PutRequest(@HttpLabel("FunctionName") String functionName, String recursiveLoop) {}

    /** The configuration, as both operations answer it and as it is kept. */
    record RecursionConfig(String recursiveLoop) {}

    private final FunctionStore functions;
    private final VersionOperations.Lookup lookup;

    RecursionOperations(FunctionStore functions, VersionOperations.Lookup lookup) {
        this.functions = requireNonNull(functions, "functions is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
    }

    RecursionConfig get(RequestContext context, FunctionRequest request) {
        FunctionRecord latest = latest(context, request.functionName());
        return new RecursionConfig(allowsLoops(latest) ? ALLOW : TERMINATE);
    }

    RecursionConfig put(RequestContext context, PutRequest request) {
        FunctionRecord latest = latest(context, request.functionName());
        String mode = request.recursiveLoop();
        if (mode == null) {
            throw FunctionRules.notNull("recursiveLoop");
        }
        if (!MODES.contains(mode)) {
            throw AwsException.of(LambdaErrors.VALIDATION, "1 validation error detected: Value '%s' at 'recursiveLoop' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [Allow, Terminate]", mode);
        }
        // Terminate is the default: kept as no attachment at all.
        functions.changeAttachment(Attachment.RECURSION, latest.accountId(), latest.region(), latest.name(), "", RecursionConfig.class,
                current -> mode.equals(ALLOW) ? new RecursionConfig(ALLOW) : null)
                .orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name()));
        return new RecursionConfig(mode);
    }

    /** Whether the function may run in a recursive loop ({@code Allow}). */
    boolean allowsLoops(FunctionRecord function) {
        return functions.attachment(Attachment.RECURSION, function.accountId(), function.region(), function.name(), "", RecursionConfig.class)
                .isPresent();
    }

    /**
     * Refuses an invocation that would run the function once more in a loop its chain of events is
     * caught in, unless the function allows loops.
     *
     * @throws AwsException {@code RecursiveInvocationException}
     */
    void check(FunctionRecord function, TraceLineage lineage) {
        if (lineage.loops(function) && !allowsLoops(function)) {
            throw AwsException.of(LambdaErrors.RECURSIVE_INVOCATION, "Lambda has detected your function being invoked in a recursive loop with "
                    + "other AWS resources and stopped your function's invocation.");
        }
    }

    private FunctionRecord latest(RequestContext context, String functionName) {
        FunctionRules.FunctionReference reference = FunctionRules.reference(functionName, null);
        if (reference.qualifier() != null) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Recursion configuration applies to the function, not to a version or alias: %s",
                    functionName);
        }
        return lookup.latest(context.accountId(), context.region(), reference);
    }
}
