package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.lambda.ControlModel.ListVersionsByFunctionRequest;
import io.stratus.lambda.ControlModel.ListVersionsByFunctionResponse;
import io.stratus.lambda.ControlModel.PublishVersionRequest;
import io.stratus.lambda.FunctionRules.FunctionReference;
import io.stratus.lambda.LambdaModel.FunctionConfiguration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Published versions: PublishVersion, ListVersionsByFunction, deleting one version, and what a
 * qualifier ({@code $LATEST}, a version number or an alias name) names. A version is an immutable
 * snapshot of {@code $LATEST}'s code and configuration; its code stays on disk as long as it
 * exists (see {@link CodeStore#sweep}). Thread-safe: all state is in the store.
 */
final class VersionOperations {

    private static final Pattern VERSION_NUMBER = Pattern.compile("[0-9]+");

    /** The function's {@code $LATEST} as a request names it (region and account checked), or ResourceNotFoundException. */
    interface Lookup {
        FunctionRecord latest(String accountId, String region, FunctionReference reference);
    }

    private final FunctionStore functions;
    private final CodeStore code;
    private final EnvironmentPool pool;
    private final Clock clock;
    private final Lookup lookup;

    VersionOperations(FunctionStore functions, CodeStore code, EnvironmentPool pool, Clock clock, Lookup lookup) {
        this.functions = requireNonNull(functions, "functions is null");
        this.code = requireNonNull(code, "code is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
    }

    static boolean isVersionNumber(String qualifier) {
        return VERSION_NUMBER.matcher(qualifier).matches();
    }

    FunctionConfiguration publishVersion(RequestContext context, PublishVersionRequest request) {
        FunctionReference reference = FunctionRules.reference(request.functionName(), null);
        if (reference.qualifier() != null) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Version can only be published for $LATEST; remove the qualifier from the function name.");
        }
        String description = request.description() == null ? null : FunctionRules.description(request.description(), "");
        FunctionRecord latest = lookup.latest(context.accountId(), context.region(), reference);
        FunctionRules.requireSettled(latest);
        return publish(latest.accountId(), latest.region(), latest.name(), request.codeSha256(), description, request.revisionId()).configuration();
    }

    /**
     * Publishes the function's {@code $LATEST} (CreateFunction and UpdateFunctionCode with
     * {@code Publish} too); without a change since the last version, returns that version.
     */
    FunctionRecord publish(String accountId, String region, String name, String codeSha256, String description, String revisionId) {
        // Under the function's code lock: a sweep must see the new version's record naming its code.
        return code.locked(accountId, region, name, () -> functions.publish(accountId, region, name, latest -> {
            if (codeSha256 != null && !codeSha256.equals(latest.codeSha256())) {
                throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                        "CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). Please try again with the CodeSHA256 in $LATEST.",
                        codeSha256, latest.codeSha256());
            }
            if (revisionId != null && !revisionId.equals(latest.revisionId())) {
                throw AwsException.of(LambdaErrors.PRECONDITION_FAILED,
                        "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
            }
        }, (latest, number) -> latest.publish(number, description == null ? latest.description() : description, clock.instant(),
                UUID.randomUUID().toString()))).orElseThrow(() -> LambdaService.notFound(accountId, region, name)).version();
    }

    ListVersionsByFunctionResponse listVersions(RequestContext context, ListVersionsByFunctionRequest request) {
        FunctionReference reference = FunctionRules.reference(request.functionName(), null);
        int maxItems = Math.min(FunctionRules.maxItems(request.maxItems(), FunctionRules.MOST_LISTED), FunctionRules.MOST_LISTED);
        FunctionRecord latest = lookup.latest(context.accountId(), context.region(), reference);
        // The marker is the last version of the page before: $LATEST comes first, then versions by number.
        String marker = request.marker();
        long after = 0;
        List<FunctionRecord> page = new ArrayList<>();
        if (marker == null || marker.isEmpty()) {
            page.add(latest);
        } else if (isVersionNumber(marker)) {
            after = parse(marker);
        } else if (!marker.equals(FunctionRecord.LATEST)) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Invalid marker: %s", marker);
        }
        if (after < Long.MAX_VALUE) {
            page.addAll(functions.versions(latest.accountId(), latest.region(), latest.name(), after, maxItems + 1 - page.size()));
        }
        String nextMarker = page.size() > maxItems ? page.get(maxItems - 1).version() : null;
        // ListVersionsByFunction qualifies every ARN, $LATEST's too.
        return new ListVersionsByFunctionResponse(nextMarker, page.stream().limit(maxItems).map(f -> f.configuration(true)).toList());
    }

    /**
     * What a qualifier names: {@code $LATEST} (or none), a published version, or an alias's
     * version. With {@code route}, an alias with a routing configuration picks one of its two
     * versions by their weights, as Invoke does; else it names its primary version.
     */
    FunctionRecord qualified(FunctionRecord latest, String qualifier, boolean route) {
        if (qualifier == null || qualifier.equals(FunctionRecord.LATEST)) {
            return latest;
        }
        if (isVersionNumber(qualifier)) {
            return functions.version(latest.accountId(), latest.region(), latest.name(), parse(qualifier))
                    .orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name() + ":" + qualifier));
        }
        AliasOperations.Alias alias = functions.alias(latest.accountId(), latest.region(), latest.name(), qualifier, AliasOperations.Alias.class)
                .orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name() + ":" + qualifier));
        return qualified(latest, route ? pick(alias) : alias.functionVersion(), false);
    }

    /** The version an invocation of the alias runs: the extra one with its weight's probability. */
    private static String pick(AliasOperations.Alias alias) {
        for (Map.Entry<String, Double> extra : alias.weights().entrySet()) {
            if (ThreadLocalRandom.current().nextDouble() < extra.getValue()) {
                return extra.getKey();
            }
        }
        return alias.functionVersion();
    }

    /**
     * DeleteFunction with a version number as Qualifier: deletes that version (and its own policy
     * and event invoke config), stops its environments and frees its code unless another version
     * or {@code $LATEST} has the same.
     */
    void deleteVersion(String accountId, String region, String name, String qualifier) {
        if (!isVersionNumber(qualifier)) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "Deletion of aliases is not supported by DeleteFunction; use DeleteAlias to delete alias %s.", qualifier);
        }
        List<String> aliases = functions.aliases(accountId, region, name, AliasOperations.Alias.class).stream()
                .filter(a -> a.functionVersion().equals(qualifier) || a.weights().containsKey(qualifier))
                .map(AliasOperations.Alias::name).toList();
        if (!aliases.isEmpty()) {
            throw AwsException.of(LambdaErrors.RESOURCE_CONFLICT, "Unable to delete version because the following aliases reference it: %s", aliases);
        }
        FunctionRecord deleted = code.locked(accountId, region, name, () -> functions.deleteVersion(accountId, region, name, parse(qualifier)))
                .orElseThrow(() -> LambdaService.notFound(accountId, region, name + ":" + qualifier));
        pool.retire(accountId, region, name, deleted.version());
        code.sweep(accountId, region, name);
    }

    private static long parse(String number) {
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            // More digits than any version could have: no such version.
            return Long.MAX_VALUE;
        }
    }
}
