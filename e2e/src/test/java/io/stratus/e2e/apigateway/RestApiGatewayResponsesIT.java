package io.stratus.e2e.apigateway;

import static io.stratus.e2e.apigateway.RestApiControlPlaneIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.GatewayResponseType;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Op;

/** Gateway responses: what an API answers when API Gateway answers itself, customized per type or per 4XX/5XX family. */
@StratusTest
class RestApiGatewayResponsesIT {

    @Test
    void customizedResponsesApplyFromTheNextDeployment(ApiGatewayClient apigw, Stratus stratus) throws Exception {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "gateway-responses");
        api.method("GET", "/broken", i -> i.type(IntegrationType.MOCK).requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        api.deploy("prod");
        assertThat(api.get("/prod/nothing").body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");

        var missing = apigw.putGatewayResponse(r -> r.restApiId(api.id).responseType(GatewayResponseType.MISSING_AUTHENTICATION_TOKEN)
                .statusCode("404")
                .responseParameters(Map.of("gatewayresponse.header.Access-Control-Allow-Origin", "'*'",
                        "gatewayresponse.header.X-Asked", "method.request.header.X-Trace"))
                .responseTemplates(Map.of("application/json", "{\"error\": $context.error.messageString, \"type\": \"$context.error.responseType\"}")));
        assertThat(missing.defaultResponse()).isFalse();
        apigw.putGatewayResponse(r -> r.restApiId(api.id).responseType(GatewayResponseType.DEFAULT_5_XX)
                .responseParameters(Map.of("gatewayresponse.header.Access-Control-Allow-Origin", "'*'")));

        assertThat(api.get("/prod/nothing").statusCode()).as("not deployed yet").isEqualTo(403);
        api.deploy("prod");

        HttpResponse<String> notFound = RestApiFixture.HTTP.send(HttpRequest.newBuilder(api.url("/prod/nothing")).header("X-Trace", "t-9").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).isEqualTo("{\"error\": \"Missing Authentication Token\", \"type\": \"MISSING_AUTHENTICATION_TOKEN\"}");
        assertThat(notFound.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(notFound.headers().firstValue("X-Asked")).hasValue("t-9");
        assertThat(notFound.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");

        HttpResponse<String> broken = api.get("/prod/broken");
        assertThat(broken.statusCode()).as("no integration response: the DEFAULT_5XX family").isEqualTo(500);
        assertThat(broken.body()).isEqualTo("{\"message\":\"Internal server error\"}");
        assertThat(broken.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void everyTypeHasADefaultUntilCustomized(ApiGatewayClient apigw, Stratus stratus) {
        RestApiFixture api = new RestApiFixture(apigw, stratus, "defaults");
        var unauthorized = apigw.getGatewayResponse(r -> r.restApiId(api.id).responseType(GatewayResponseType.UNAUTHORIZED));
        assertThat(unauthorized.defaultResponse()).isTrue();
        assertThat(unauthorized.statusCode()).isEqualTo("401");
        assertThat(unauthorized.responseTemplates()).containsEntry("application/json", "{\"message\":$context.error.messageString}");
        assertThat(apigw.getGatewayResponses(r -> r.restApiId(api.id).limit(500)).items()).hasSizeGreaterThan(15);

        var updated = apigw.updateGatewayResponse(r -> r.restApiId(api.id).responseType(GatewayResponseType.UNAUTHORIZED)
                .patchOperations(p -> p.op(Op.REPLACE).path("/statusCode").value("403")));
        assertThat(updated.statusCode()).isEqualTo("403");
        assertThat(updated.defaultResponse()).isFalse();
        apigw.deleteGatewayResponse(r -> r.restApiId(api.id).responseType(GatewayResponseType.UNAUTHORIZED));
        assertThat(apigw.getGatewayResponse(r -> r.restApiId(api.id).responseType(GatewayResponseType.UNAUTHORIZED)).statusCode()).isEqualTo("401");

        assertError(() -> apigw.deleteGatewayResponse(r -> r.restApiId(api.id).responseType(GatewayResponseType.UNAUTHORIZED)), 404,
                "NotFoundException", "Invalid Gateway Response identifier specified");
        assertError(() -> apigw.putGatewayResponse(r -> r.restApiId(api.id).responseType("NOT_A_TYPE")), 400, "BadRequestException",
                "Member must satisfy enum value set");
        assertError(() -> apigw.putGatewayResponse(r -> r.restApiId(api.id).responseType(GatewayResponseType.THROTTLED)
                .responseParameters(Map.of("method.response.header.X", "'y'"))), 400, "BadRequestException", "Invalid mapping expression");
    }
}
