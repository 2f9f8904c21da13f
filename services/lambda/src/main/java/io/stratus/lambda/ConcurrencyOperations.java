package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.lambda.ControlModel.Concurrency;
import io.stratus.lambda.ControlModel.Empty;
import io.stratus.lambda.ControlModel.FunctionConcurrencyRequest;
import io.stratus.lambda.ControlModel.PutFunctionConcurrencyRequest;
import io.stratus.lambda.FunctionStore.Attachment;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reserved concurrency: PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency,
 * and the reservations Invoke enforces ({@link EnvironmentPool#reserve}). A reservation is kept in
 * the store (one attachment per function) and, for Invoke, in a cache of each account's
 * reservations, loaded on first use and dropped whenever one changes.
 *
 * <p>Thread-safe: changes and cache loads of reservations hold this object's monitor, so a load
 * never caches what a change has just replaced; Invoke reads the cache without it.
 */
final class ConcurrencyOperations {

    /** AWS keeps at least this much of the account's concurrency unreserved. */
    static final int MIN_UNRESERVED = 100;

    /** An account's reservations by {@code region/name}, and their sum. */
    record Reservations(Map<String, Integer> byFunction, int total) {}

    private final FunctionStore functions;
    private final int accountConcurrency;
    private final VersionOperations.Lookup lookup;
    private final Map<String, Reservations> cache = new ConcurrentHashMap<>();

    ConcurrencyOperations(FunctionStore functions, int accountConcurrency, VersionOperations.Lookup lookup) {
        this.functions = requireNonNull(functions, "functions is null");
        this.accountConcurrency = accountConcurrency;
        this.lookup = requireNonNull(lookup, "lookup is null");
    }

    Concurrency putFunctionConcurrency(RequestContext context, PutFunctionConcurrencyRequest request) {
        Integer reserved = request.reservedConcurrentExecutions();
        FunctionRecord latest = latest(context, request.functionName());
        if (reserved == null) {
            throw FunctionRules.notNull("reservedConcurrentExecutions");
        }
        if (reserved < 0) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%d' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0",
                    reserved);
        }
        synchronized (this) {
            int others = reservations(latest.accountId()).byFunction().entrySet().stream()
                    .filter(e -> !e.getKey().equals(key(latest)))
                    .mapToInt(Map.Entry::getValue).sum();
            int minimum = Math.min(MIN_UNRESERVED, accountConcurrency);
            if (accountConcurrency - others - reserved < minimum) {
                throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                        "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].",
                        minimum);
            }
            functions.changeAttachment(Attachment.CONCURRENCY, latest.accountId(), latest.region(), latest.name(), "", Concurrency.class,
                    current -> new Concurrency(reserved)).orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name()));
            cache.remove(latest.accountId());
        }
        return new Concurrency(reserved);
    }

    Concurrency getFunctionConcurrency(RequestContext context, FunctionConcurrencyRequest request) {
        return new Concurrency(reserved(latest(context, request.functionName())));
    }

    Empty deleteFunctionConcurrency(RequestContext context, FunctionConcurrencyRequest request) {
        FunctionRecord latest = latest(context, request.functionName());
        synchronized (this) {
            functions.changeAttachment(Attachment.CONCURRENCY, latest.accountId(), latest.region(), latest.name(), "", Concurrency.class,
                    current -> null).orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name()));
            cache.remove(latest.accountId());
        }
        return new Empty();
    }

    /** The function's reserved concurrency, or null (it shares the account's unreserved pool). */
    Integer reserved(FunctionRecord function) {
        return reservations(function.accountId()).byFunction().get(key(function));
    }

    /** The account's reservations, from the cache. */
    Reservations reservations(String accountId) {
        Reservations cached = cache.get(accountId);
        if (cached != null) {
            return cached;
        }
        synchronized (this) {
            return cache.computeIfAbsent(accountId, this::load);
        }
    }

    /** Forgets a deleted function's reservation (the store's went with the function). */
    synchronized void forget(String accountId) {
        cache.remove(accountId);
    }

    private Reservations load(String accountId) {
        Map<String, Integer> byFunction = new HashMap<>();
        functions.attachments(Attachment.CONCURRENCY, accountId, Concurrency.class).forEach((key, concurrency) -> {
            // Keys are region/name/qualifier; reservations are function-wide (empty qualifier).
            byFunction.put(key.substring(0, key.length() - 1), concurrency.reservedConcurrentExecutions());
        });
        return new Reservations(Map.copyOf(byFunction), byFunction.values().stream().mapToInt(Integer::intValue).sum());
    }

    private static String key(FunctionRecord function) {
        return function.region() + "/" + function.name();
    }

    private FunctionRecord latest(RequestContext context, String functionName) {
        return lookup.latest(context.accountId(), context.region(), FunctionRules.reference(functionName, null));
    }
}
