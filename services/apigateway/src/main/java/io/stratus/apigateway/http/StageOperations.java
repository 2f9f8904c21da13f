package io.stratus.apigateway.http;

import static io.stratus.apigateway.http.HttpApiRules.badRequest;
import static io.stratus.apigateway.http.HttpApiRules.notYet;
import static java.util.Objects.requireNonNull;

import io.stratus.apigateway.http.HttpApiModel.CreateDeploymentRequest;
import io.stratus.apigateway.http.HttpApiModel.CreateStageRequest;
import io.stratus.apigateway.http.HttpApiModel.DeploymentRequest;
import io.stratus.apigateway.http.HttpApiModel.DeploymentResponse;
import io.stratus.apigateway.http.HttpApiModel.Empty;
import io.stratus.apigateway.http.HttpApiModel.GetDeploymentsResponse;
import io.stratus.apigateway.http.HttpApiModel.GetStagesResponse;
import io.stratus.apigateway.http.HttpApiModel.ListRequest;
import io.stratus.apigateway.http.HttpApiModel.StageRequest;
import io.stratus.apigateway.http.HttpApiModel.StageResponse;
import io.stratus.apigateway.http.HttpApiModel.UpdateDeploymentRequest;
import io.stratus.apigateway.http.HttpApiModel.UpdateStageRequest;
import io.stratus.apigateway.http.HttpApiResources.Authorizer;
import io.stratus.apigateway.http.HttpApiResources.Deployment;
import io.stratus.apigateway.http.HttpApiResources.Integration;
import io.stratus.apigateway.http.HttpApiResources.Route;
import io.stratus.apigateway.http.HttpApiResources.Stage;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.RequestContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The stage and deployment operations of the HTTP API control plane. A deployment is a snapshot of
 * the API's routes and integrations; a stage serves its deployment's, or with {@code autoDeploy}
 * the API's current ones. Thread-safe.
 */
final class StageOperations {

    private static final int ID_LENGTH = 6;

    private final HttpApiStore store;
    private final Clock clock;

    StageOperations(HttpApiStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    StageResponse createStage(RequestContext context, CreateStageRequest request) {
        String stageName = HttpApiRules.checkStageName(request.stageName());
        checkUnsupported(request.accessLogSettings(), request.clientCertificateId(), request.defaultRouteSettings(), request.routeSettings());
        Map<String, String> variables = HttpApiRules.checkStageVariables(request.stageVariables());
        Map<String, String> tags = HttpApiRules.checkTags(request.tags());
        String now = HttpApiRules.now(clock);
        Stage stage = store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            if (writes.part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.STAGE, stageName).isPresent()) {
                throw HttpApiRules.conflict("Stage %s already exists", stageName);
            }
            requireDeployment(writes, context, request.apiId(), request.deploymentId());
            Stage created = new Stage(stageName, Boolean.TRUE.equals(request.autoDeploy()), request.deploymentId(), request.description(),
                    variables, now, now, tags, false);
            writes.putPart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.STAGE, stageName, created);
            return created.autoDeploy() ? AutoDeployments.deploy(writes, context.accountId(), context.region(), request.apiId(), created, now) : created;
        });
        return response(stage);
    }

    StageResponse getStage(RequestContext context, StageRequest request) {
        HttpApiRules.requireApi(store, context, request.apiId());
        return response(store.<Stage>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.STAGE, request.stageName())
                .orElseThrow(() -> stageNotFound(request.stageName())));
    }

    GetStagesResponse getStages(RequestContext context, ListRequest request) {
        HttpApiRules.Page page = HttpApiRules.page(request.maxResults(), request.nextToken());
        HttpApiRules.requireApi(store, context, request.apiId());
        List<Stage> stages = store.parts(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.STAGE, page.after(), page.fetch());
        return new GetStagesResponse(page.items(stages).stream().map(StageOperations::response).toList(),
                page.nextToken(stages, Stage::stageName));
    }

    StageResponse updateStage(RequestContext context, UpdateStageRequest request) {
        checkUnsupported(request.accessLogSettings(), request.clientCertificateId(), request.defaultRouteSettings(), request.routeSettings());
        Map<String, String> variables = request.stageVariables() == null ? null : HttpApiRules.checkStageVariables(request.stageVariables());
        String now = HttpApiRules.now(clock);
        Stage stage = store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            Stage current = writes.<Stage>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.STAGE, request.stageName())
                    .orElseThrow(() -> stageNotFound(request.stageName()));
            requireDeployment(writes, context, request.apiId(), request.deploymentId());
            Stage updated = new Stage(current.stageName(),
                    request.autoDeploy() != null ? request.autoDeploy() : current.autoDeploy(),
                    request.deploymentId() != null ? request.deploymentId() : current.deploymentId(),
                    request.description() != null ? request.description() : current.description(),
                    variables != null ? variables : current.stageVariables(),
                    current.createdDate(), now, current.tags(), current.apiGatewayManaged());
            writes.putPart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.STAGE, updated.stageName(), updated);
            // Turning autoDeploy on deploys at once, as API Gateway does.
            return updated.autoDeploy() && !current.autoDeploy()
                    ? AutoDeployments.deploy(writes, context.accountId(), context.region(), request.apiId(), updated, now) : updated;
        });
        return response(stage);
    }

    Empty deleteStage(RequestContext context, StageRequest request) {
        store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            writes.<Stage>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.STAGE, request.stageName())
                    .orElseThrow(() -> stageNotFound(request.stageName()));
            writes.deletePart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.STAGE, request.stageName());
            return null;
        });
        return new Empty();
    }

    DeploymentResponse createDeployment(RequestContext context, CreateDeploymentRequest request) {
        String now = HttpApiRules.now(clock);
        Deployment deployment = store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            Stage stage = null;
            if (request.stageName() != null) {
                stage = writes.<Stage>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.STAGE, request.stageName())
                        .orElseThrow(() -> badRequest("Invalid stage identifier specified: %s", request.stageName()));
                if (stage.autoDeploy()) {
                    throw badRequest("Stage %s has autoDeploy enabled: it deploys every change itself.", request.stageName());
                }
            }
            List<Route> routes = writes.parts(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.ROUTE);
            List<Integration> integrations = writes.parts(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.INTEGRATION);
            List<Authorizer> authorizers = writes.parts(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.AUTHORIZER);
            Deployment created = new Deployment(Ids.lowerAlphanumeric(ID_LENGTH), request.description(), now, false, routes, integrations, authorizers);
            writes.putPart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.DEPLOYMENT, created.deploymentId(), created);
            if (stage != null) {
                writes.putPart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.STAGE, stage.stageName(),
                        new Stage(stage.stageName(), stage.autoDeploy(), created.deploymentId(), stage.description(), stage.stageVariables(),
                                stage.createdDate(), now, stage.tags(), stage.apiGatewayManaged()));
            }
            return created;
        });
        return response(deployment);
    }

    DeploymentResponse getDeployment(RequestContext context, DeploymentRequest request) {
        HttpApiRules.requireApi(store, context, request.apiId());
        return response(store.<Deployment>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.DEPLOYMENT,
                request.deploymentId()).orElseThrow(() -> deploymentNotFound(request.deploymentId())));
    }

    GetDeploymentsResponse getDeployments(RequestContext context, ListRequest request) {
        HttpApiRules.Page page = HttpApiRules.page(request.maxResults(), request.nextToken());
        HttpApiRules.requireApi(store, context, request.apiId());
        List<Deployment> deployments = store.parts(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.DEPLOYMENT,
                page.after(), page.fetch());
        return new GetDeploymentsResponse(page.items(deployments).stream().map(StageOperations::response).toList(),
                page.nextToken(deployments, Deployment::deploymentId));
    }

    DeploymentResponse updateDeployment(RequestContext context, UpdateDeploymentRequest request) {
        Deployment deployment = store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            Deployment current = writes.<Deployment>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.DEPLOYMENT,
                    request.deploymentId()).orElseThrow(() -> deploymentNotFound(request.deploymentId()));
            Deployment updated = new Deployment(current.deploymentId(), request.description() != null ? request.description() : current.description(),
                    current.createdDate(), current.autoDeployed(), current.routes(), current.integrations(), current.authorizers());
            writes.putPart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.DEPLOYMENT, updated.deploymentId(), updated);
            return updated;
        });
        return response(deployment);
    }

    Empty deleteDeployment(RequestContext context, DeploymentRequest request) {
        store.transaction(writes -> {
            HttpApiRules.requireApi(writes, context, request.apiId());
            writes.<Deployment>part(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.DEPLOYMENT, request.deploymentId())
                    .orElseThrow(() -> deploymentNotFound(request.deploymentId()));
            List<Stage> stages = writes.parts(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.STAGE);
            for (Stage stage : stages) {
                if (request.deploymentId().equals(stage.deploymentId())) {
                    throw badRequest("Active stages pointing to this deployment must be moved or deleted (stage %s).", stage.stageName());
                }
            }
            writes.deletePart(context.accountId(), context.region(), request.apiId(), HttpApiStore.Kind.DEPLOYMENT, request.deploymentId());
            return null;
        });
        return new Empty();
    }

    private static void requireDeployment(HttpApiStore.Writes writes, RequestContext context, String apiId, String deploymentId) {
        if (deploymentId != null && writes.part(context.accountId(), context.region(), apiId, HttpApiStore.Kind.DEPLOYMENT, deploymentId).isEmpty()) {
            throw badRequest("Invalid deployment identifier specified: %s", deploymentId);
        }
    }

    private static void checkUnsupported(com.fasterxml.jackson.databind.JsonNode accessLogSettings, String clientCertificateId,
            com.fasterxml.jackson.databind.JsonNode defaultRouteSettings, com.fasterxml.jackson.databind.JsonNode routeSettings) {
        notYet("accessLogSettings", HttpApiRules.present(accessLogSettings));
        notYet("clientCertificateId", clientCertificateId != null);
        notYet("Throttling, logging and detailed metrics (route settings)", !allOff(defaultRouteSettings) || !allOff(routeSettings));
    }

    /**
     * Whether route settings turn nothing on (false, OFF, zero limits), as tools send by default:
     * Stratus can accept those without pretending to throttle, log or measure.
     */
    static boolean allOff(com.fasterxml.jackson.databind.JsonNode settings) {
        if (settings == null || settings.isNull()) {
            return true;
        }
        if (settings.isContainerNode()) {
            for (com.fasterxml.jackson.databind.JsonNode value : settings) {
                if (!allOff(value)) {
                    return false;
                }
            }
            return true;
        }
        return (settings.isBoolean() && !settings.asBoolean()) || (settings.isNumber() && settings.asDouble() == 0)
                || (settings.isTextual() && settings.asText().equals("OFF"));
    }

    private static AwsException stageNotFound(String stageName) {
        return HttpApiRules.notFound("Invalid stage identifier specified %s", stageName);
    }

    private static AwsException deploymentNotFound(String deploymentId) {
        return HttpApiRules.notFound("Invalid Deployment identifier specified %s", deploymentId);
    }

    static StageResponse response(Stage stage) {
        return new StageResponse(stage.apiGatewayManaged() ? true : null, stage.autoDeploy(), stage.createdDate(), stage.deploymentId(),
                stage.description(), stage.lastUpdatedDate(), stage.stageName(), stage.stageVariables(), stage.tags());
    }

    static DeploymentResponse response(Deployment deployment) {
        return new DeploymentResponse(deployment.autoDeployed(), deployment.createdDate(), deployment.deploymentId(), "DEPLOYED",
                deployment.description());
    }
}
