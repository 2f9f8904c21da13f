package io.stratus.apigateway.rest;

import io.stratus.apigateway.NotYet;
import io.stratus.apigateway.NotYet.Operation;
import io.stratus.protocol.ServiceDefinition;
import java.util.List;

/**
 * The REST API operations Stratus does not have yet, declared so a client gets a
 * {@code NotImplemented} that names the operation ({@link NotYet}) instead of an unknown-operation
 * error: authorizer tests, model templates, API key import, SDK generation, documentation, domain
 * names, VPC links, client certificates, account settings.
 */
final class UnsupportedOperations {

    private static final String API = "/restapis/{restapi_id}";

    private static final List<Operation> OPERATIONS = List.of(
            new Operation("TestInvokeAuthorizer", "POST", API + "/authorizers/{authorizer_id}"),
            new Operation("GetModelTemplate", "GET", API + "/models/{model_name}/default_template"),
            new Operation("GetSdk", "GET", API + "/stages/{stage_name}/sdks/{sdk_type}"),
            new Operation("FlushStageCache", "DELETE", API + "/stages/{stage_name}/cache/data"),
            new Operation("FlushStageAuthorizersCache", "DELETE", API + "/stages/{stage_name}/cache/authorizers"),
            new Operation("CreateDocumentationPart", "POST", API + "/documentation/parts"),
            new Operation("GetDocumentationParts", "GET", API + "/documentation/parts"),
            new Operation("CreateDocumentationVersion", "POST", API + "/documentation/versions"),
            new Operation("GetDocumentationVersions", "GET", API + "/documentation/versions"),
            new Operation("ImportApiKeys", "POST", "/apikeys?mode=import"),
            new Operation("CreateDomainName", "POST", "/domainnames"),
            new Operation("GetDomainNames", "GET", "/domainnames"),
            new Operation("GetDomainName", "GET", "/domainnames/{domain_name}"),
            new Operation("UpdateDomainName", "PATCH", "/domainnames/{domain_name}"),
            new Operation("DeleteDomainName", "DELETE", "/domainnames/{domain_name}"),
            new Operation("CreateBasePathMapping", "POST", "/domainnames/{domain_name}/basepathmappings"),
            new Operation("GetBasePathMappings", "GET", "/domainnames/{domain_name}/basepathmappings"),
            new Operation("CreateVpcLink", "POST", "/vpclinks"),
            new Operation("GetVpcLinks", "GET", "/vpclinks"),
            new Operation("GenerateClientCertificate", "POST", "/clientcertificates"),
            new Operation("GetClientCertificates", "GET", "/clientcertificates"),
            new Operation("GetAccount", "GET", "/account"),
            new Operation("UpdateAccount", "PATCH", "/account"));

    private UnsupportedOperations() {}

    static ServiceDefinition.Builder declare(ServiceDefinition.Builder builder) {
        return NotYet.operations(builder, OPERATIONS);
    }
}
