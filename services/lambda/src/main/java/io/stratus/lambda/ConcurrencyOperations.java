package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.lambda.ControlModel.Concurrency;
import io.stratus.lambda.ControlModel.Empty;
import io.stratus.lambda.ControlModel.FunctionConcurrencyRequest;
import io.stratus.lambda.ControlModel.PutFunctionConcurrencyRequest;
import io.stratus.lambda.FunctionStore.Attachment;
import io.stratus.lambda.LambdaModel.AccountLimit;
import io.stratus.lambda.LambdaModel.AccountUsage;
import io.stratus.lambda.LambdaModel.GetAccountSettingsRequest;
import io.stratus.lambda.LambdaModel.GetAccountSettingsResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GetAccountSettings, and reserved concurrency: PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency,
 * and the reservations Invoke enforces ({@link EnvironmentPool#reserve}), with the provisioned
 * concurrency that the account's unreserved pool sets aside ({@link ProvisionedConcurrencyOperations}). A reservation is kept in
 * the store (one attachment per function) and, for Invoke, in a cache of each account's
 * reservations, loaded on first use and dropped whenever one changes.
 *
 * <p>Thread-safe: changes and cache loads of reservations hold this object's monitor, so a load
 * never caches what a change has just replaced; Invoke reads the cache without it.
 */
final class ConcurrencyOperations {

    /** AWS keeps at least this much of the account's concurrency unreserved. */
    static final int MIN_UNRESERVED = 100;
    /** AWS's default quota on the code of all of an account's functions in a region: 75 GB. */
    private static final long TOTAL_CODE_SIZE = 75L * 1024 * 1024 * 1024;

    /**
     * An account's reservations by {@code region/name}, and their sum; and its provisioned
     * concurrency by {@code region/name} (all of a function's versions and aliases together).
     */
    record Reservations(Map<String, Integer> byFunction, int total, Map<String, Integer> provisioned) {
        Reservations {
            byFunction = Map.copyOf(byFunction);
            provisioned = Map.copyOf(provisioned);
        }

        /**
         * What the account's unreserved pool does not have: the reservations, and the provisioned
         * concurrency of functions without one (a reservation includes its function's).
         */
        int withheld() {
            return withheldExcept(null);
        }

        /** {@link #withheld()} without what the function {@code region/name} withholds. */
        int withheldExcept(String function) {
            int withheld = 0;
            for (Map.Entry<String, Integer> reservation : byFunction.entrySet()) {
                withheld += reservation.getKey().equals(function) ? 0 : reservation.getValue();
            }
            for (Map.Entry<String, Integer> entry : provisioned.entrySet()) {
                withheld += entry.getKey().equals(function) || byFunction.containsKey(entry.getKey()) ? 0 : entry.getValue();
            }
            return withheld;
        }
    }

    private final FunctionStore functions;
    private final int accountConcurrency;
    private final VersionOperations.Lookup lookup;
    private final Map<String, Reservations> cache = new ConcurrentHashMap<>();
    private final LayerStore layers;

    /** @param layers whose archives count in GetAccountSettings' {@code TotalCodeSize} */
    ConcurrencyOperations(FunctionStore functions, int accountConcurrency, VersionOperations.Lookup lookup, LayerStore layers) {
        this.functions = requireNonNull(functions, "functions is null");
        this.layers = requireNonNull(layers, "layers is null");
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
            Reservations reservations = reservations(latest.accountId());
            // The reservation must hold what the function's versions and aliases have provisioned.
            int provisioned = reservations.provisioned().getOrDefault(key(latest), 0);
            if (reserved < provisioned) {
                throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                        "Specified ReservedConcurrentExecutions for function is less than the function's provisioned concurrency [%d].",
                        provisioned);
            }
            // Other functions' reservations and provisioned concurrency (this one's joins the reservation).
            int others = reservations.withheldExcept(key(latest));
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

    /**
     * GetAccountSettings: the account's limits and what its functions in this region use, as AWS
     * reports them; the unreserved concurrency is what functions' reservations and provisioned
     * concurrency (in all regions) leave.
     */
    GetAccountSettingsResponse getAccountSettings(RequestContext context, GetAccountSettingsRequest request) {
        List<FunctionRecord> all = functions.list(context.accountId(), context.region(), null, Integer.MAX_VALUE);
        // AWS's TotalCodeSize: every deployment package (each published version keeps its own) and every layer archive.
        long codeSize = 0;
        for (FunctionRecord function : all) {
            codeSize += function.codeSize() + functions.versions(function.accountId(), function.region(), function.name(), 0, Integer.MAX_VALUE)
                    .stream().mapToLong(FunctionRecord::codeSize).sum();
        }
        codeSize += layers.all(context.accountId(), context.region()).stream().mapToLong(LayerVersion::codeSize).sum();
        return new GetAccountSettingsResponse(
                new AccountLimit(TOTAL_CODE_SIZE, CodeStore.MAX_UNZIPPED_BYTES, CodeStore.MAX_ZIP_BYTES, accountConcurrency,
                        accountConcurrency - reservations(context.accountId()).withheld()),
                new AccountUsage(codeSize, (long) all.size()));
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
        Map<String, Integer> provisioned = new HashMap<>();
        functions.attachments(Attachment.PROVISIONED_CONCURRENCY, accountId, ProvisionedConcurrencyOperations.Config.class).forEach((key, config) ->
                provisioned.merge(key.substring(0, key.lastIndexOf('/')), config.requested(), Integer::sum));
        return new Reservations(byFunction, byFunction.values().stream().mapToInt(Integer::intValue).sum(), provisioned);
    }

    /** The account's concurrency (as configured). */
    int accountConcurrency() {
        return accountConcurrency;
    }

    private static String key(FunctionRecord function) {
        return function.region() + "/" + function.name();
    }

    private FunctionRecord latest(RequestContext context, String functionName) {
        return lookup.latest(context.accountId(), context.region(), FunctionRules.reference(functionName, null));
    }
}
