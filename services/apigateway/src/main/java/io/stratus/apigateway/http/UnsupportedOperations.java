package io.stratus.apigateway.http;

import io.stratus.apigateway.NotYet;
import io.stratus.apigateway.NotYet.Operation;
import io.stratus.protocol.ServiceDefinition;
import java.util.List;

/**
 * The HTTP API (apigatewayv2) operations Stratus does not have yet, declared so a client gets a
 * {@code NotImplemented} that names the operation ({@link NotYet}) instead of an unknown-operation
 * error: import and export, models, route and integration responses, custom domain names and API
 * mappings, VPC links, authorizer cache resets and route settings' removal.
 */
final class UnsupportedOperations {

    private static final String API = "/v2/apis/{apiId}";

    private static final List<Operation> OPERATIONS = List.of(
            new Operation("ImportApi", "PUT", "/v2/apis"),
            new Operation("ReimportApi", "PUT", API),
            new Operation("ExportApi", "GET", API + "/exports/{specification}"),
            new Operation("CreateModel", "POST", API + "/models"),
            new Operation("GetModels", "GET", API + "/models"),
            new Operation("GetModel", "GET", API + "/models/{modelId}"),
            new Operation("UpdateModel", "PATCH", API + "/models/{modelId}"),
            new Operation("DeleteModel", "DELETE", API + "/models/{modelId}"),
            new Operation("GetModelTemplate", "GET", API + "/models/{modelId}/template"),
            new Operation("CreateRouteResponse", "POST", API + "/routes/{routeId}/routeresponses"),
            new Operation("GetRouteResponses", "GET", API + "/routes/{routeId}/routeresponses"),
            new Operation("GetRouteResponse", "GET", API + "/routes/{routeId}/routeresponses/{routeResponseId}"),
            new Operation("UpdateRouteResponse", "PATCH", API + "/routes/{routeId}/routeresponses/{routeResponseId}"),
            new Operation("DeleteRouteResponse", "DELETE", API + "/routes/{routeId}/routeresponses/{routeResponseId}"),
            new Operation("DeleteRouteRequestParameter", "DELETE", API + "/routes/{routeId}/requestparameters/{requestParameterKey}"),
            new Operation("CreateIntegrationResponse", "POST", API + "/integrations/{integrationId}/integrationresponses"),
            new Operation("GetIntegrationResponses", "GET", API + "/integrations/{integrationId}/integrationresponses"),
            new Operation("GetIntegrationResponse", "GET", API + "/integrations/{integrationId}/integrationresponses/{integrationResponseId}"),
            new Operation("UpdateIntegrationResponse", "PATCH", API + "/integrations/{integrationId}/integrationresponses/{integrationResponseId}"),
            new Operation("DeleteIntegrationResponse", "DELETE", API + "/integrations/{integrationId}/integrationresponses/{integrationResponseId}"),
            new Operation("DeleteAccessLogSettings", "DELETE", API + "/stages/{stageName}/accesslogsettings"),
            new Operation("DeleteRouteSettings", "DELETE", API + "/stages/{stageName}/routesettings/{routeKey}"),
            new Operation("ResetAuthorizersCache", "DELETE", API + "/stages/{stageName}/cache/authorizers"),
            new Operation("CreateDomainName", "POST", "/v2/domainnames"),
            new Operation("GetDomainNames", "GET", "/v2/domainnames"),
            new Operation("GetDomainName", "GET", "/v2/domainnames/{domainName}"),
            new Operation("UpdateDomainName", "PATCH", "/v2/domainnames/{domainName}"),
            new Operation("DeleteDomainName", "DELETE", "/v2/domainnames/{domainName}"),
            new Operation("CreateApiMapping", "POST", "/v2/domainnames/{domainName}/apimappings"),
            new Operation("GetApiMappings", "GET", "/v2/domainnames/{domainName}/apimappings"),
            new Operation("CreateVpcLink", "POST", "/v2/vpclinks"),
            new Operation("GetVpcLinks", "GET", "/v2/vpclinks"));

    private UnsupportedOperations() {}

    static ServiceDefinition.Builder declare(ServiceDefinition.Builder builder) {
        return NotYet.operations(builder, OPERATIONS);
    }
}
