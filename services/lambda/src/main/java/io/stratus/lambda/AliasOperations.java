package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.lambda.ControlModel.AliasConfiguration;
import io.stratus.lambda.ControlModel.AliasRequest;
import io.stratus.lambda.ControlModel.AliasRoutingConfiguration;
import io.stratus.lambda.ControlModel.CreateAliasRequest;
import io.stratus.lambda.ControlModel.Empty;
import io.stratus.lambda.ControlModel.ListAliasesRequest;
import io.stratus.lambda.ControlModel.ListAliasesResponse;
import io.stratus.lambda.ControlModel.UpdateAliasRequest;
import io.stratus.lambda.FunctionRules.FunctionReference;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Aliases: CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases. An alias names a version
 * (or {@code $LATEST}) and optionally one more version with a weight, which Invoke honours
 * ({@link VersionOperations#qualified}). Thread-safe: all state is in the store, changed in
 * transactions that also require the function to exist.
 */
final class AliasOperations {

    private static final String NAME_PATTERN = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final String VERSION_PATTERN = "(\\$LATEST|[0-9]+)";
    private static final Pattern VERSION = Pattern.compile(VERSION_PATTERN);

    /**
     * An alias as stored.
     *
     * @param weights at most one extra version, with the share of invocations it gets (0 to 1)
     */
    record Alias(String name, String functionVersion, String description, Map<String, Double> weights, String revisionId) {
        Alias {
            requireNonNull(name, "name is null");
            requireNonNull(functionVersion, "functionVersion is null");
            requireNonNull(revisionId, "revisionId is null");
            description = description == null ? "" : description;
            weights = weights == null ? Map.of() : Map.copyOf(weights);
        }

        AliasConfiguration configuration(String functionArn) {
            return new AliasConfiguration(functionArn + ":" + name, name, functionVersion, description,
                    weights.isEmpty() ? null : new AliasRoutingConfiguration(weights), revisionId);
        }
    }

    private final FunctionStore functions;
    private final VersionOperations versions;
    private final VersionOperations.Lookup lookup;

    AliasOperations(FunctionStore functions, VersionOperations versions, VersionOperations.Lookup lookup) {
        this.functions = requireNonNull(functions, "functions is null");
        this.versions = requireNonNull(versions, "versions is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
    }

    AliasConfiguration createAlias(RequestContext context, CreateAliasRequest request) {
        String name = name(request.name());
        FunctionRecord latest = latest(context, request.functionName());
        String version = version(latest, request.functionVersion());
        Map<String, Double> weights = routing(latest, version, request.routingConfig());
        String description = FunctionRules.description(request.description(), "");
        Alias alias = new Alias(name, version, description, weights, UUID.randomUUID().toString());
        functions.changeAlias(latest.accountId(), latest.region(), latest.name(), name, Alias.class, existing -> {
            if (existing != null) {
                throw AwsException.of(LambdaErrors.RESOURCE_CONFLICT, "Alias already exists: %s:%s", latest.arn(), name);
            }
            return alias;
        }).orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name()));
        return alias.configuration(latest.arn());
    }

    AliasConfiguration getAlias(RequestContext context, AliasRequest request) {
        String name = name(request.name());
        FunctionRecord latest = latest(context, request.functionName());
        return functions.alias(latest.accountId(), latest.region(), latest.name(), name, Alias.class)
                .orElseThrow(() -> aliasNotFound(latest, name)).configuration(latest.arn());
    }

    AliasConfiguration updateAlias(RequestContext context, UpdateAliasRequest request) {
        String name = name(request.name());
        FunctionRecord latest = latest(context, request.functionName());
        String version = request.functionVersion() == null ? null : version(latest, request.functionVersion());
        String description = request.description() == null ? null : FunctionRules.description(request.description(), "");
        Alias updated = functions.changeAlias(latest.accountId(), latest.region(), latest.name(), name, Alias.class, existing -> {
            if (existing == null) {
                throw aliasNotFound(latest, name);
            }
            if (request.revisionId() != null && !request.revisionId().equals(existing.revisionId())) {
                throw AwsException.of(LambdaErrors.PRECONDITION_FAILED,
                        "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
            }
            String primary = version == null ? existing.functionVersion() : version;
            // No RoutingConfig keeps the alias's; an empty one removes it.
            Map<String, Double> weights = request.routingConfig() == null ? existing.weights() : routing(latest, primary, request.routingConfig());
            if (request.routingConfig() == null && !weights.isEmpty()) {
                weights = routing(latest, primary, new AliasRoutingConfiguration(weights));
            }
            return new Alias(name, primary, description == null ? existing.description() : description, weights, UUID.randomUUID().toString());
        }).orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name())).orElseThrow();
        return updated.configuration(latest.arn());
    }

    Empty deleteAlias(RequestContext context, AliasRequest request) {
        String name = name(request.name());
        FunctionRecord latest = latest(context, request.functionName());
        // Deleting an alias that does not exist succeeds, as on AWS.
        functions.changeAlias(latest.accountId(), latest.region(), latest.name(), name, Alias.class, existing -> null)
                .orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name()));
        // Its resource policy and event invoke config go with it.
        functions.deleteAttachments(latest.accountId(), latest.region(), latest.name(), name);
        return new Empty();
    }

    ListAliasesResponse listAliases(RequestContext context, ListAliasesRequest request) {
        FunctionRecord latest = latest(context, request.functionName());
        int maxItems = FunctionRules.maxItems(request.maxItems(), 50);
        if (request.functionVersion() != null) {
            version(latest, request.functionVersion());
        }
        List<Alias> all = functions.aliases(latest.accountId(), latest.region(), latest.name(), Alias.class).stream()
                .filter(a -> request.functionVersion() == null || a.functionVersion().equals(request.functionVersion()))
                .filter(a -> request.marker() == null || a.name().compareTo(request.marker()) > 0)
                .toList();
        String nextMarker = all.size() > maxItems ? all.get(maxItems - 1).name() : null;
        return new ListAliasesResponse(nextMarker, all.stream().limit(maxItems).map(a -> a.configuration(latest.arn())).toList());
    }

    private FunctionRecord latest(RequestContext context, String functionName) {
        FunctionReference reference = FunctionRules.reference(functionName, null);
        return lookup.latest(context.accountId(), context.region(), reference);
    }

    private static AwsException aliasNotFound(FunctionRecord latest, String name) {
        return new AwsException(LambdaErrors.RESOURCE_NOT_FOUND, "Alias not found: " + latest.arn() + ":" + name, Map.of("Type", "User"), null);
    }

    private static String name(String name) {
        if (name == null) {
            throw FunctionRules.notNull("name");
        }
        if (name.isEmpty() || name.length() > 128) {
            throw validation(name, "name", name.isEmpty() ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 128");
        }
        if (!NAME.matcher(name).matches()) {
            throw validation(name, "name", "Member must satisfy regular expression pattern: " + NAME_PATTERN);
        }
        return name;
    }

    /** A version an alias may name: {@code $LATEST} or one that exists. */
    private String version(FunctionRecord latest, String version) {
        if (version == null) {
            throw FunctionRules.notNull("functionVersion");
        }
        if (version.length() > 1024 || !VERSION.matcher(version).matches()) {
            throw validation(version, "functionVersion", "Member must satisfy regular expression pattern: " + VERSION_PATTERN);
        }
        versions.qualified(latest, version, false);
        return version;
    }

    private Map<String, Double> routing(FunctionRecord latest, String primary, AliasRoutingConfiguration routing) {
        if (routing == null || routing.additionalVersionWeights() == null || routing.additionalVersionWeights().isEmpty()) {
            return Map.of();
        }
        Map<String, Double> weights = routing.additionalVersionWeights();
        if (weights.size() > 1) {
            throw validation(weights.toString(), "routingConfig.additionalVersionWeights", "Member must have length less than or equal to 1");
        }
        Map.Entry<String, Double> extra = weights.entrySet().iterator().next();
        if (extra.getValue() == null || extra.getValue() < 0 || extra.getValue() > 1) {
            throw validation(weights.toString(), "routingConfig.additionalVersionWeights",
                    "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]");
        }
        if (!VersionOperations.isVersionNumber(extra.getKey()) || extra.getKey().length() > 1024) {
            throw validation(weights.toString(), "routingConfig.additionalVersionWeights",
                    "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]+]");
        }
        if (primary.equals(FunctionRecord.LATEST)) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "$LATEST is not supported for an alias pointing to more than 1 version");
        }
        if (extra.getKey().equals(primary)) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "Invalid function version %s. Function version %s is already included in routing configuration.", primary, primary);
        }
        versions.qualified(latest, extra.getKey(), false);
        return Map.of(extra.getKey(), extra.getValue());
    }

    private static AwsException validation(String value, String member, String constraint) {
        return AwsException.of(LambdaErrors.VALIDATION, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s",
                value, member, constraint);
    }
}
