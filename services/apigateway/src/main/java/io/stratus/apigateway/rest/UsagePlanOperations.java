package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.Patches.Patch;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.apigateway.rest.UsagePlanModel.ApiKeyRequest;
import io.stratus.apigateway.rest.UsagePlanModel.ApiKeys;
import io.stratus.apigateway.rest.UsagePlanModel.ApiStage;
import io.stratus.apigateway.rest.UsagePlanModel.CreateApiKeyRequest;
import io.stratus.apigateway.rest.UsagePlanModel.CreateUsagePlanKeyRequest;
import io.stratus.apigateway.rest.UsagePlanModel.CreateUsagePlanRequest;
import io.stratus.apigateway.rest.UsagePlanModel.GetApiKeysRequest;
import io.stratus.apigateway.rest.UsagePlanModel.GetUsagePlanKeysRequest;
import io.stratus.apigateway.rest.UsagePlanModel.GetUsagePlansRequest;
import io.stratus.apigateway.rest.UsagePlanModel.UpdateApiKeyRequest;
import io.stratus.apigateway.rest.UsagePlanModel.UpdateUsagePlanRequest;
import io.stratus.apigateway.rest.UsagePlanModel.UsagePlan;
import io.stratus.apigateway.rest.UsagePlanModel.UsagePlanKey;
import io.stratus.apigateway.rest.UsagePlanModel.UsagePlanKeyRequest;
import io.stratus.apigateway.rest.UsagePlanModel.UsagePlanKeys;
import io.stratus.apigateway.rest.UsagePlanModel.UsagePlanRequest;
import io.stratus.apigateway.rest.UsagePlanModel.UsagePlans;
import io.stratus.apigateway.rest.RestApiRequests.Empty;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * API keys, usage plans and the keys in them. A method with {@code apiKeyRequired} serves only
 * calls whose {@code x-api-key} is an enabled key in a usage plan of the API's stage, within the
 * plan's throttling and quota ({@link UsageMeter}). Thread-safe.
 */
final class UsagePlanOperations {

    private static final int MIN_KEY_LENGTH = 20;

    private final UsagePlanStore store;
    private final Clock clock;

    UsagePlanOperations(UsagePlanStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    // API keys

    UsagePlanModel.ApiKey createApiKey(RequestContext context, CreateApiKeyRequest request) {
        RestApiService.notYet("stageKeys (use usage plans)", request.stageKeys() != null && !request.stageKeys().isEmpty());
        String value = request.value() == null ? Ids.lowerAlphanumeric(20) + Ids.upperAlphanumeric(20) : request.value();
        if (value.length() < MIN_KEY_LENGTH) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "API Key value should be at least %d characters", MIN_KEY_LENGTH);
        }
        Instant now = clock.instant();
        UsagePlanModel.ApiKey apiKey = new UsagePlanModel.ApiKey(Ids.lowerAlphanumeric(10), value, request.name(), request.customerId(),
                request.description(), Boolean.TRUE.equals(request.enabled()), now, now, null,
                request.tags() == null || request.tags().isEmpty() ? null : java.util.Map.copyOf(request.tags()));
        return store.transaction(txn -> {
            if (!UsagePlanStore.putApiKey(txn, context.accountId(), context.region(), apiKey, null)) {
                throw AwsException.of(ApiGatewayErrors.CONFLICT, "API Key already exists");
            }
            return apiKey;
        });
    }

    UsagePlanModel.ApiKey getApiKey(RequestContext context, ApiKeyRequest request) {
        UsagePlanModel.ApiKey apiKey = apiKey(store.reader(), context, request.apiKey());
        return Boolean.TRUE.equals(request.includeValue()) ? apiKey : apiKey.withoutValue();
    }

    ApiKeys getApiKeys(RequestContext context, GetApiKeysRequest request) {
        List<UsagePlanModel.ApiKey> all = UsagePlanStore.apiKeys(store.reader(), context.accountId(), context.region()).stream()
                .filter(k -> request.nameQuery() == null || (k.name() != null && k.name().startsWith(request.nameQuery())))
                .filter(k -> request.customerId() == null || request.customerId().equals(k.customerId()))
                .map(k -> Boolean.TRUE.equals(request.includeValues()) ? k : k.withoutValue())
                .sorted(Comparator.comparing(UsagePlanModel.ApiKey::id))
                .toList();
        Pages.Page<UsagePlanModel.ApiKey> page = Pages.of(all, UsagePlanModel.ApiKey::id, request.position(), request.limit());
        return new ApiKeys(page.position(), page.items(), null);
    }

    UsagePlanModel.ApiKey updateApiKey(RequestContext context, UpdateApiKeyRequest request) {
        List<Patch> patches = Patches.parse(request.patchOperations());
        return store.transaction(txn -> {
            UsagePlanModel.ApiKey k = apiKey(txn, context, request.apiKey());
            for (Patch patch : patches) {
                String value = patch.removes() ? null : patch.value();
                k = switch (patch.first()) {
                    case "name" -> new UsagePlanModel.ApiKey(k.id(), k.value(), value, k.customerId(), k.description(), k.enabled(), k.createdDate(),
                            k.lastUpdatedDate(), k.stageKeys(), k.tags());
                    case "description" -> new UsagePlanModel.ApiKey(k.id(), k.value(), k.name(), k.customerId(), value, k.enabled(), k.createdDate(),
                            k.lastUpdatedDate(), k.stageKeys(), k.tags());
                    case "customerId" -> new UsagePlanModel.ApiKey(k.id(), k.value(), k.name(), value, k.description(), k.enabled(), k.createdDate(),
                            k.lastUpdatedDate(), k.stageKeys(), k.tags());
                    case "enabled" -> new UsagePlanModel.ApiKey(k.id(), k.value(), k.name(), k.customerId(), k.description(),
                            Patches.booleanValue(patch), k.createdDate(), k.lastUpdatedDate(), k.stageKeys(), k.tags());
                    default -> throw Patches.invalidPath(patch, "/name", "/description", "/customerId", "/enabled");
                };
            }
            UsagePlanModel.ApiKey updated = new UsagePlanModel.ApiKey(k.id(), k.value(), k.name(), k.customerId(), k.description(), k.enabled(),
                    k.createdDate(), clock.instant(), k.stageKeys(), k.tags());
            UsagePlanStore.putApiKey(txn, context.accountId(), context.region(), updated, k.value());
            return updated.withoutValue();
        });
    }

    Empty deleteApiKey(RequestContext context, ApiKeyRequest request) {
        store.transaction(txn -> {
            UsagePlanModel.ApiKey apiKey = apiKey(txn, context, request.apiKey());
            for (UsagePlan plan : UsagePlanStore.usagePlans(txn, context.accountId(), context.region())) {
                if (plan.keys().contains(apiKey.id())) {
                    List<String> keys = new ArrayList<>(plan.keys());
                    keys.remove(apiKey.id());
                    UsagePlanStore.putUsagePlan(txn, context.accountId(), context.region(), withKeys(plan, keys));
                }
            }
            UsagePlanStore.deleteApiKey(txn, context.accountId(), context.region(), apiKey);
            return null;
        });
        return new Empty();
    }

    // Usage plans

    UsagePlan createUsagePlan(RequestContext context, CreateUsagePlanRequest request) {
        if (request.name() == null || request.name().isBlank()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Usage plan name must be non-empty");
        }
        List<ApiStage> stages = request.apiStages() == null ? List.of() : request.apiStages().stream().map(UsagePlanLimits::stage).toList();
        UsagePlan plan = new UsagePlan(Ids.lowerAlphanumeric(6), request.name(), request.description(), stages,
                UsagePlanLimits.throttle(request.throttle()), UsagePlanLimits.quota(request.quota()),
                request.tags() == null || request.tags().isEmpty() ? null : java.util.Map.copyOf(request.tags()), null);
        return store.transaction(txn -> {
            stages.forEach(stage -> checkStage(txn, context, stage));
            UsagePlanStore.putUsagePlan(txn, context.accountId(), context.region(), plan);
            return plan.shown();
        });
    }

    private static void checkStage(StoreReader reader, RequestContext context, ApiStage stage) {
        ApiKey key = RestApiOperations.key(context, stage.apiId());
        RestApiOperations.api(reader, key);
        if (stage.stage() == null || RestApiStore.stage(reader, key, stage.stage()).isEmpty()) {
            throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid stage identifier specified");
        }
    }

    UsagePlan getUsagePlan(RequestContext context, UsagePlanRequest request) {
        return usagePlan(store.reader(), context, request.usagePlanId()).shown();
    }

    UsagePlans getUsagePlans(RequestContext context, GetUsagePlansRequest request) {
        List<UsagePlan> all = UsagePlanStore.usagePlans(store.reader(), context.accountId(), context.region()).stream()
                .filter(p -> request.keyId() == null || p.keys().contains(request.keyId()))
                .sorted(Comparator.comparing(UsagePlan::id))
                .toList();
        Pages.Page<UsagePlan> page = Pages.of(all, UsagePlan::id, request.position(), request.limit());
        return new UsagePlans(page.position(), page.items().stream().map(UsagePlan::shown).toList());
    }

    UsagePlan updateUsagePlan(RequestContext context, UpdateUsagePlanRequest request) {
        List<Patch> patches = Patches.parse(request.patchOperations());
        return store.transaction(txn -> {
            UsagePlan p = usagePlan(txn, context, request.usagePlanId());
            for (Patch patch : patches) {
                p = switch (patch.first()) {
                    case "name" -> new UsagePlan(p.id(), Patches.value(patch), p.description(), p.apiStages(), p.throttle(), p.quota(), p.tags(),
                            p.keyIds());
                    case "description" -> new UsagePlan(p.id(), p.name(), patch.removes() ? null : patch.value(), p.apiStages(), p.throttle(),
                            p.quota(), p.tags(), p.keyIds());
                    case "apiStages" -> p.withStages(patch.path().size() == 1 ? apiStages(txn, context, p.apiStages(), patch)
                            : UsagePlanLimits.patchStageThrottle(p.apiStages(), patch));
                    case "throttle", "quota" -> UsagePlanLimits.patchLimits(p, patch);
                    default -> throw Patches.invalidPath(patch, "/name", "/description", "/apiStages", "/throttle/(burstLimit|rateLimit)",
                            "/quota/(limit|offset|period)");
                };
            }
            p = p.withLimits(UsagePlanLimits.throttle(p.throttle()), UsagePlanLimits.quota(p.quota()));
            UsagePlanStore.putUsagePlan(txn, context.accountId(), context.region(), p);
            return p.shown();
        });
    }

    /** {@code add}/{@code remove} {@code /apiStages} with the value {@code <apiId>:<stage>}. */
    private static List<ApiStage> apiStages(Transaction txn, RequestContext context, List<ApiStage> current, Patch patch) {
        String value = Patches.value(patch);
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid API stage specified: %s. Use <apiId>:<stage>.", value);
        }
        ApiStage stage = new ApiStage(value.substring(0, colon), value.substring(colon + 1), null);
        List<ApiStage> stages = new ArrayList<>(current == null ? List.of() : current);
        stages.removeIf(s -> s.apiId().equals(stage.apiId()) && s.stage().equals(stage.stage()));
        switch (patch.op()) {
            case "add" -> {
                checkStage(txn, context, stage);
                stages.add(stage);
            }
            case "remove" -> { }
            default -> throw Patches.invalidPath(patch, "/apiStages (add or remove)");
        }
        return stages;
    }

    Empty deleteUsagePlan(RequestContext context, UsagePlanRequest request) {
        store.transaction(txn -> {
            usagePlan(txn, context, request.usagePlanId());
            UsagePlanStore.deleteUsagePlan(txn, context.accountId(), context.region(), request.usagePlanId());
            return null;
        });
        return new Empty();
    }

    // Keys in usage plans

    UsagePlanKey createUsagePlanKey(RequestContext context, CreateUsagePlanKeyRequest request) {
        if (!"API_KEY".equals(request.keyType())) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Invalid key type specified: %s. The key type must be API_KEY.", request.keyType());
        }
        return store.transaction(txn -> {
            UsagePlan plan = usagePlan(txn, context, request.usagePlanId());
            UsagePlanModel.ApiKey apiKey = apiKey(txn, context, request.keyId());
            if (plan.keys().contains(apiKey.id())) {
                throw AwsException.of(ApiGatewayErrors.CONFLICT, "Usage Plan %s already has API Key %s", plan.id(), apiKey.id());
            }
            List<String> keys = new ArrayList<>(plan.keys());
            keys.add(apiKey.id());
            UsagePlanStore.putUsagePlan(txn, context.accountId(), context.region(), withKeys(plan, keys));
            return planKey(apiKey);
        });
    }

    UsagePlanKey getUsagePlanKey(RequestContext context, UsagePlanKeyRequest request) {
        StoreReader reader = store.reader();
        UsagePlan plan = usagePlan(reader, context, request.usagePlanId());
        if (!plan.keys().contains(request.keyId())) {
            throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Usage Plan Key identifier specified");
        }
        return planKey(apiKey(reader, context, request.keyId()));
    }

    UsagePlanKeys getUsagePlanKeys(RequestContext context, GetUsagePlanKeysRequest request) {
        StoreReader reader = store.reader();
        UsagePlan plan = usagePlan(reader, context, request.usagePlanId());
        List<UsagePlanKey> keys = plan.keys().stream()
                .map(id -> UsagePlanStore.apiKey(reader, context.accountId(), context.region(), id))
                .flatMap(java.util.Optional::stream)
                .filter(k -> request.nameQuery() == null || (k.name() != null && k.name().startsWith(request.nameQuery())))
                .map(UsagePlanOperations::planKey)
                .sorted(Comparator.comparing(UsagePlanKey::id))
                .toList();
        Pages.Page<UsagePlanKey> page = Pages.of(keys, UsagePlanKey::id, request.position(), request.limit());
        return new UsagePlanKeys(page.position(), page.items());
    }

    Empty deleteUsagePlanKey(RequestContext context, UsagePlanKeyRequest request) {
        store.transaction(txn -> {
            UsagePlan plan = usagePlan(txn, context, request.usagePlanId());
            if (!plan.keys().contains(request.keyId())) {
                throw AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Usage Plan Key identifier specified");
            }
            List<String> keys = new ArrayList<>(plan.keys());
            keys.remove(request.keyId());
            UsagePlanStore.putUsagePlan(txn, context.accountId(), context.region(), withKeys(plan, keys));
            return null;
        });
        return new Empty();
    }

    /** A key that may call a stage, and the plan that lets it. */
    record Admission(UsagePlanModel.ApiKey key, UsagePlan plan, ApiStage stage) {}

    /**
     * The plan under which a call to {@code apiId}'s {@code stage} with this {@code x-api-key} value
     * may go on: the key exists, is enabled and is in a usage plan of the stage. Empty when none.
     */
    static java.util.Optional<Admission> admission(StoreReader reader, String accountId, String region, String apiId, String stage,
            String value) {
        if (value == null || value.isEmpty()) {
            return java.util.Optional.empty();
        }
        var apiKey = UsagePlanStore.apiKeyByValue(reader, accountId, region, value).filter(k -> Boolean.TRUE.equals(k.enabled()));
        if (apiKey.isEmpty()) {
            return java.util.Optional.empty();
        }
        for (UsagePlan plan : UsagePlanStore.usagePlans(reader, accountId, region)) {
            if (plan.keys().contains(apiKey.get().id())) {
                for (ApiStage s : plan.apiStages()) {
                    if (s.apiId().equals(apiId) && s.stage().equals(stage)) {
                        return java.util.Optional.of(new Admission(apiKey.get(), plan, s));
                    }
                }
            }
        }
        return java.util.Optional.empty();
    }

    // Shared

    private static UsagePlanKey planKey(UsagePlanModel.ApiKey apiKey) {
        return new UsagePlanKey(apiKey.id(), "API_KEY", apiKey.value(), apiKey.name());
    }

    private static UsagePlan withKeys(UsagePlan plan, List<String> keys) {
        return new UsagePlan(plan.id(), plan.name(), plan.description(), plan.apiStages(), plan.throttle(), plan.quota(), plan.tags(),
                keys.isEmpty() ? null : List.copyOf(keys));
    }

    private static UsagePlanModel.ApiKey apiKey(StoreReader reader, RequestContext context, String keyId) {
        return UsagePlanStore.apiKey(reader, context.accountId(), context.region(), keyId == null ? "" : keyId).orElseThrow(() ->
                AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid API Key identifier specified"));
    }

    private static UsagePlan usagePlan(StoreReader reader, RequestContext context, String planId) {
        return UsagePlanStore.usagePlan(reader, context.accountId(), context.region(), planId == null ? "" : planId).orElseThrow(() ->
                AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Usage Plan ID specified"));
    }
}
