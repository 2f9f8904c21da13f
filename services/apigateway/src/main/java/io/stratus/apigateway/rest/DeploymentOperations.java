package io.stratus.apigateway.rest;

import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.ApiGatewayErrors;
import io.stratus.apigateway.rest.Patches.Patch;
import io.stratus.apigateway.rest.RestApiModel.Deployment;
import io.stratus.apigateway.rest.RestApiModel.Method;
import io.stratus.apigateway.rest.RestApiModel.MethodSnapshot;
import io.stratus.apigateway.rest.RestApiModel.Resource;
import io.stratus.apigateway.rest.RestApiModel.Stage;
import io.stratus.apigateway.rest.RestApiRequests.CreateDeploymentRequest;
import io.stratus.apigateway.rest.RestApiRequests.CreateStageRequest;
import io.stratus.apigateway.rest.RestApiRequests.DeploymentRequest;
import io.stratus.apigateway.rest.RestApiRequests.Deployments;
import io.stratus.apigateway.rest.RestApiRequests.Empty;
import io.stratus.apigateway.rest.RestApiRequests.GetDeploymentsRequest;
import io.stratus.apigateway.rest.RestApiRequests.GetStagesRequest;
import io.stratus.apigateway.rest.RestApiRequests.StageRequest;
import io.stratus.apigateway.rest.RestApiRequests.Stages;
import io.stratus.apigateway.rest.RestApiRequests.UpdateDeploymentRequest;
import io.stratus.apigateway.rest.RestApiRequests.UpdateStageRequest;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.apigateway.rest.RestApiStore.DeployedApi;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Deployments (a frozen copy of the resource tree, so later edits do not change what a stage
 * serves) and stages (a name in the invoke URL pointing at one deployment, with stage variables).
 * Thread-safe.
 */
final class DeploymentOperations {

    private static final Pattern STAGE_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,128}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern VARIABLE_VALUE = Pattern.compile("[A-Za-z0-9_ \\-.:/?#&=,+~%]{0,512}");

    private final RestApiStore store;
    private final Clock clock;

    DeploymentOperations(RestApiStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    // Deployments

    Deployment createDeployment(RequestContext context, CreateDeploymentRequest request) {
        RestApiService.notYet("cacheClusterEnabled", Boolean.TRUE.equals(request.cacheClusterEnabled()));
        RestApiService.notYet("cacheClusterSize", request.cacheClusterSize() != null);
        RestApiService.notYet("canarySettings", request.canarySettings() != null && !request.canarySettings().isNull());
        RestApiService.notYet("tracingEnabled", Boolean.TRUE.equals(request.tracingEnabled()));
        String stageName = request.stageName() == null || request.stageName().isEmpty() ? null : stageName(request.stageName());
        Map<String, String> variables = variables(request.variables());
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            List<Resource> resources = RestApiStore.resources(txn, key);
            Deployment deployment = new Deployment(Ids.lowerAlphanumeric(6), request.description(), clock.instant(), summary(resources));
            RestApiStore.putDeployment(txn, key, new DeployedApi(deployment, resources, RestApiStore.authorizers(txn, key),
                    RestApiStore.gatewayResponses(txn, key), RestApiStore.validators(txn, key), RestApiStore.models(txn, key)));
            if (stageName != null) {
                Instant now = clock.instant();
                Stage stage = RestApiStore.stage(txn, key, stageName)
                        .map(s -> new Stage(deployment.id(), s.clientCertificateId(), s.stageName(),
                                request.stageDescription() == null ? s.description() : request.stageDescription(), s.cacheClusterEnabled(),
                                s.cacheClusterStatus(), s.methodSettings(), variables == null ? s.variables() : merge(s.variables(), variables),
                                s.tracingEnabled(), s.tags(), s.createdDate(), now))
                        .orElseGet(() -> new Stage(deployment.id(), null, stageName, request.stageDescription(), false, "NOT_AVAILABLE",
                                Map.of(), variables, false, null, now, now));
                RestApiStore.putStage(txn, key, stage);
            }
            return deployment;
        });
    }

    /** {@code path → method → what it needs}, and the checks AWS makes before it deploys. */
    private static Map<String, Map<String, MethodSnapshot>> summary(List<Resource> resources) {
        Map<String, Map<String, MethodSnapshot>> summary = new TreeMap<>();
        for (Resource resource : resources) {
            for (Method method : resource.methods().values()) {
                if (method.methodIntegration() == null) {
                    throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "No integration defined for method");
                }
                summary.computeIfAbsent(resource.path(), p -> new TreeMap<>())
                        .put(method.httpMethod(), new MethodSnapshot(method.authorizationType(), Boolean.TRUE.equals(method.apiKeyRequired())));
            }
        }
        if (summary.isEmpty()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "The REST API doesn't contain any methods");
        }
        return summary;
    }

    Deployment getDeployment(RequestContext context, DeploymentRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        return deployment(reader, key, request.deploymentId()).deployment();
    }

    Deployments getDeployments(RequestContext context, GetDeploymentsRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        List<Deployment> all = RestApiStore.deployments(reader, key).stream().map(DeployedApi::deployment)
                .sorted(Comparator.comparing(Deployment::id)).toList();
        Pages.Page<Deployment> page = Pages.of(all, Deployment::id, request.position(), request.limit());
        return new Deployments(page.position(), page.items());
    }

    Deployment updateDeployment(RequestContext context, UpdateDeploymentRequest request) {
        List<Patch> patches = Patches.parse(request.patchOperations());
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            DeployedApi deployed = deployment(txn, key, request.deploymentId());
            Deployment d = deployed.deployment();
            for (Patch patch : patches) {
                if (!patch.first().equals("description") || patch.path().size() != 1) {
                    throw Patches.invalidPath(patch, "/description");
                }
                d = new Deployment(d.id(), patch.removes() ? null : patch.value(), d.createdDate(), d.apiSummary());
            }
            RestApiStore.putDeployment(txn, key, new DeployedApi(d, deployed.resources(), deployed.authorizers(), deployed.gatewayResponses(),
                    deployed.validators(), deployed.models()));
            return d;
        });
    }

    Empty deleteDeployment(RequestContext context, DeploymentRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            deployment(txn, key, request.deploymentId());
            if (RestApiStore.stages(txn, key).stream().anyMatch(s -> s.deploymentId().equals(request.deploymentId()))) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Active stages pointing to this deployment must be moved or deleted");
            }
            RestApiStore.deleteDeployment(txn, key, request.deploymentId());
            return null;
        });
        return new Empty();
    }

    // Stages

    Stage createStage(RequestContext context, CreateStageRequest request) {
        String stageName = stageName(request.stageName());
        RestApiService.notYet("cacheClusterEnabled", Boolean.TRUE.equals(request.cacheClusterEnabled()));
        RestApiService.notYet("cacheClusterSize", request.cacheClusterSize() != null);
        RestApiService.notYet("canarySettings", request.canarySettings() != null && !request.canarySettings().isNull());
        RestApiService.notYet("tracingEnabled", Boolean.TRUE.equals(request.tracingEnabled()));
        RestApiService.notYet("documentationVersion", request.documentationVersion() != null);
        if (request.deploymentId() == null || request.deploymentId().isEmpty()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Deployment id must be specified");
        }
        Map<String, String> variables = variables(request.variables());
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            deployment(txn, key, request.deploymentId());
            if (RestApiStore.stage(txn, key, stageName).isPresent()) {
                throw AwsException.of(ApiGatewayErrors.CONFLICT, "Stage already exists");
            }
            Instant now = clock.instant();
            Stage stage = new Stage(request.deploymentId(), null, stageName, request.description(), false, "NOT_AVAILABLE", Map.of(), variables,
                    false, request.tags() == null || request.tags().isEmpty() ? null : Map.copyOf(request.tags()), now, now);
            RestApiStore.putStage(txn, key, stage);
            return stage;
        });
    }

    Stage getStage(RequestContext context, StageRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        return stage(reader, key, request.stageName());
    }

    Stages getStages(RequestContext context, GetStagesRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        StoreReader reader = store.reader();
        RestApiOperations.api(reader, key);
        return new Stages(RestApiStore.stages(reader, key).stream()
                .filter(s -> request.deploymentId() == null || s.deploymentId().equals(request.deploymentId()))
                .toList());
    }

    Stage updateStage(RequestContext context, UpdateStageRequest request) {
        List<Patch> patches = Patches.parse(request.patchOperations());
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        return store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            Stage stage = stage(txn, key, request.stageName());
            for (Patch patch : patches) {
                stage = patch(txn, key, stage, patch);
            }
            stage = new Stage(stage.deploymentId(), stage.clientCertificateId(), stage.stageName(), stage.description(), stage.cacheClusterEnabled(),
                    stage.cacheClusterStatus(), stage.methodSettings(), stage.variables(), stage.tracingEnabled(), stage.tags(), stage.createdDate(),
                    clock.instant());
            RestApiStore.putStage(txn, key, stage);
            return stage;
        });
    }

    private static Stage patch(Transaction txn, ApiKey key, Stage s, Patch patch) {
        return switch (patch.first()) {
            case "description" -> new Stage(s.deploymentId(), s.clientCertificateId(), s.stageName(), patch.removes() ? null : patch.value(),
                    s.cacheClusterEnabled(), s.cacheClusterStatus(), s.methodSettings(), s.variables(), s.tracingEnabled(), s.tags(), s.createdDate(),
                    s.lastUpdatedDate());
            case "deploymentId" -> {
                String deploymentId = Patches.value(patch);
                deployment(txn, key, deploymentId);
                yield new Stage(deploymentId, s.clientCertificateId(), s.stageName(), s.description(), s.cacheClusterEnabled(), s.cacheClusterStatus(),
                        s.methodSettings(), s.variables(), s.tracingEnabled(), s.tags(), s.createdDate(), s.lastUpdatedDate());
            }
            case "variables" -> {
                if (!patch.removes()) {
                    variables(Map.of(patch.rest(), patch.value() == null ? "" : patch.value()));
                }
                yield new Stage(s.deploymentId(), s.clientCertificateId(), s.stageName(), s.description(), s.cacheClusterEnabled(),
                        s.cacheClusterStatus(), s.methodSettings(), Patches.applyToMap(s.variables(), patch, v -> v), s.tracingEnabled(), s.tags(),
                        s.createdDate(), s.lastUpdatedDate());
            }
            case "cacheClusterEnabled", "cacheClusterSize", "tracingEnabled", "clientCertificateId", "canarySettings", "accessLogSettings",
                 "webAclArn", "documentationVersion" -> throw AwsException.of(ApiGatewayErrors.NOT_IMPLEMENTED,
                    "Stage setting /%s is not supported by Stratus yet.", patch.first());
            default -> {
                if (patch.path().size() == 4 && patch.path().get(2).equals("throttling")) {
                    yield new Stage(s.deploymentId(), s.clientCertificateId(), s.stageName(), s.description(), s.cacheClusterEnabled(),
                            s.cacheClusterStatus(), StageThrottling.patch(s.methodSettings(), patch), s.variables(), s.tracingEnabled(), s.tags(),
                            s.createdDate(), s.lastUpdatedDate());
                }
                if (patch.path().size() >= 3) {
                    throw AwsException.of(ApiGatewayErrors.NOT_IMPLEMENTED, "Method settings (/%s) are not supported by Stratus yet.", String.join("/", patch.path()));
                }
                throw Patches.invalidPath(patch, "/description", "/deploymentId", "/variables/<name>",
                        "/<resourcePath>/<httpMethod>/throttling/(burstLimit|rateLimit)");
            }
        };
    }

    Empty deleteStage(RequestContext context, StageRequest request) {
        ApiKey key = RestApiOperations.key(context, request.restApiId());
        store.transaction(txn -> {
            RestApiOperations.api(txn, key);
            stage(txn, key, request.stageName());
            RestApiStore.deleteStage(txn, key, request.stageName());
            return null;
        });
        return new Empty();
    }

    // Shared

    private static DeployedApi deployment(StoreReader reader, ApiKey key, String deploymentId) {
        return RestApiStore.deployment(reader, key, deploymentId == null ? "" : deploymentId).orElseThrow(() ->
                AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Deployment identifier specified"));
    }

    private static Stage stage(StoreReader reader, ApiKey key, String stageName) {
        return RestApiStore.stage(reader, key, stageName == null ? "" : stageName).orElseThrow(() ->
                AwsException.of(ApiGatewayErrors.NOT_FOUND, "Invalid Stage identifier specified"));
    }

    private static String stageName(String name) {
        if (name == null || !STAGE_NAME.matcher(name).matches()) {
            throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Stage name only allows a-zA-Z0-9_");
        }
        return name;
    }

    private static Map<String, String> variables(Map<String, String> variables) {
        if (variables == null || variables.isEmpty()) {
            return null;
        }
        variables.forEach((name, value) -> {
            if (!VARIABLE_NAME.matcher(name).matches()) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST, "Stage variable name must be alphanumeric or underscore: %s", name);
            }
            if (value == null || !VARIABLE_VALUE.matcher(value).matches()) {
                throw AwsException.of(ApiGatewayErrors.BAD_REQUEST,
                        "Stage variable value %s must be at most 512 characters out of alphanumerics and _ -.:/?#&=,+~%%", value);
            }
        });
        return new LinkedHashMap<>(variables);
    }

    private static Map<String, String> merge(Map<String, String> current, Map<String, String> added) {
        Map<String, String> merged = new LinkedHashMap<>(current == null ? Map.of() : current);
        merged.putAll(added);
        return merged;
    }
}
