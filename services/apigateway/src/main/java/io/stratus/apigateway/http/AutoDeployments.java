package io.stratus.apigateway.http;

import io.stratus.apigateway.http.HttpApiResources.Authorizer;
import io.stratus.apigateway.http.HttpApiResources.Deployment;
import io.stratus.apigateway.http.HttpApiResources.Integration;
import io.stratus.apigateway.http.HttpApiResources.Route;
import io.stratus.apigateway.http.HttpApiResources.Stage;
import io.stratus.core.Ids;
import java.util.List;
import java.util.Optional;

/**
 * Stages with {@code autoDeploy}: every change to an API's routes, integrations or authorizers, in
 * the transaction that makes it, deploys the API anew to each such stage, as API Gateway does.
 * The stage's previous automatic deployment goes when no other stage uses it, so an API changed
 * often keeps one automatic deployment per stage. Stateless.
 */
final class AutoDeployments {

    static final String DESCRIPTION = "Automatic deployment triggered by changes to the Api configuration";
    static final int ID_LENGTH = 6;

    private AutoDeployments() {}

    /** Deploys the API as it is in {@code writes} to every one of its stages with {@code autoDeploy}. */
    static void deploy(HttpApiStore.Writes writes, String accountId, String region, String apiId, String now) {
        List<Stage> stages = writes.parts(accountId, region, apiId, HttpApiStore.Kind.STAGE);
        for (Stage stage : stages) {
            if (stage.autoDeploy()) {
                deploy(writes, accountId, region, apiId, stage, now);
            }
        }
    }

    /** Deploys the API as it is in {@code writes} to one stage, and returns the stage as it is then. */
    static Stage deploy(HttpApiStore.Writes writes, String accountId, String region, String apiId, Stage stage, String now) {
        List<Route> routes = writes.parts(accountId, region, apiId, HttpApiStore.Kind.ROUTE);
        List<Integration> integrations = writes.parts(accountId, region, apiId, HttpApiStore.Kind.INTEGRATION);
        List<Authorizer> authorizers = writes.parts(accountId, region, apiId, HttpApiStore.Kind.AUTHORIZER);
        Deployment deployment = new Deployment(Ids.lowerAlphanumeric(ID_LENGTH), DESCRIPTION, now, true, routes, integrations, authorizers);
        writes.putPart(accountId, region, apiId, HttpApiStore.Kind.DEPLOYMENT, deployment.deploymentId(), deployment);
        Stage deployed = new Stage(stage.stageName(), stage.autoDeploy(), deployment.deploymentId(), stage.description(), stage.stageVariables(),
                stage.createdDate(), now, stage.tags(), stage.apiGatewayManaged());
        writes.putPart(accountId, region, apiId, HttpApiStore.Kind.STAGE, stage.stageName(), deployed);
        if (stage.deploymentId() != null) {
            dropIfUnused(writes, accountId, region, apiId, stage.deploymentId());
        }
        return deployed;
    }

    private static void dropIfUnused(HttpApiStore.Writes writes, String accountId, String region, String apiId, String deploymentId) {
        Optional<Deployment> previous = writes.part(accountId, region, apiId, HttpApiStore.Kind.DEPLOYMENT, deploymentId);
        if (previous.isEmpty() || !previous.get().autoDeployed()) {
            return;
        }
        List<Stage> stages = writes.parts(accountId, region, apiId, HttpApiStore.Kind.STAGE);
        if (stages.stream().noneMatch(s -> deploymentId.equals(s.deploymentId()))) {
            writes.deletePart(accountId, region, apiId, HttpApiStore.Kind.DEPLOYMENT, deploymentId);
        }
    }
}
