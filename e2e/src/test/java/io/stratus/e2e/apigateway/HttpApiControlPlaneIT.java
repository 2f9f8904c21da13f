package io.stratus.e2e.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.ApiGatewayV2Exception;
import software.amazon.awssdk.services.apigatewayv2.model.CreateApiResponse;
import software.amazon.awssdk.services.apigatewayv2.model.CreateIntegrationResponse;
import software.amazon.awssdk.services.apigatewayv2.model.CreateRouteResponse;
import software.amazon.awssdk.services.apigatewayv2.model.GetApisResponse;
import software.amazon.awssdk.services.apigatewayv2.model.GetIntegrationResponse;
import software.amazon.awssdk.services.apigatewayv2.model.GetStageResponse;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/** The HTTP API control plane through the SDK: APIs, routes, integrations, stages, deployments, tags, and their bad inputs. */
@StratusTest
class HttpApiControlPlaneIT {

    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:handler";

    static void assertError(ThrowingCallable call, int status, String code, Consumer<String> message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiGatewayV2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
            message.accept(e.awsErrorDetails().errorMessage());
            assertThat(e.requestId()).isNotBlank();
        });
    }

    private static CreateApiResponse api(ApiGatewayV2Client apis, String name) {
        return apis.createApi(r -> r.name(name).protocolType(ProtocolType.HTTP));
    }

    @Test
    void createGetUpdateDeleteAnApi(ApiGatewayV2Client apis, Stratus stratus) {
        CreateApiResponse created = apis.createApi(r -> r.name("orders").protocolType(ProtocolType.HTTP).description("first")
                .version("1").tags(Map.of("team", "blue")));

        assertThat(created.apiId()).matches("[a-z0-9]{10}");
        assertThat(created.name()).isEqualTo("orders");
        assertThat(created.protocolType()).isEqualTo(ProtocolType.HTTP);
        assertThat(created.routeSelectionExpression()).isEqualTo("$request.method $request.path");
        assertThat(created.apiKeySelectionExpression()).isEqualTo("$request.header.x-api-key");
        assertThat(created.apiEndpoint()).isEqualTo("http://" + created.apiId() + ".execute-api.localhost:" + stratus.port());
        assertThat(created.createdDate()).isNotNull();
        assertThat(created.tags()).containsEntry("team", "blue");

        var fetched = apis.getApi(r -> r.apiId(created.apiId()));
        assertThat(fetched.name()).isEqualTo("orders");
        assertThat(fetched.description()).isEqualTo("first");
        assertThat(fetched.createdDate()).isEqualTo(created.createdDate());

        var updated = apis.updateApi(r -> r.apiId(created.apiId()).name("orders-v2").corsConfiguration(c -> c.allowOrigins("https://a.example")));
        assertThat(updated.name()).isEqualTo("orders-v2");
        assertThat(updated.description()).isEqualTo("first");
        assertThat(updated.corsConfiguration().allowOrigins()).containsExactly("https://a.example");

        apis.deleteCorsConfiguration(r -> r.apiId(created.apiId()));
        assertThat(apis.getApi(r -> r.apiId(created.apiId())).corsConfiguration()).isNull();

        apis.deleteApi(r -> r.apiId(created.apiId()));
        assertError(() -> apis.getApi(r -> r.apiId(created.apiId())), 404, "NotFoundException",
                m -> assertThat(m).isEqualTo("Invalid API identifier specified 000000000000:" + created.apiId()));
        assertError(() -> apis.deleteApi(r -> r.apiId(created.apiId())), 404, "NotFoundException", m -> {});
    }

    @Test
    void errorsHaveAwsShapeOnTheWire(Stratus stratus) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(stratus.endpoint() + "/v2/apis/nosuchapi0"))
                        .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/apigateway/aws4_request, "
                                + "SignedHeaders=host;x-amz-date, Signature=0000")
                        .header("X-Amz-Date", "20260101T000000Z")
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("NotFoundException");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.body()).isEqualTo("{\"message\":\"Invalid API identifier specified 000000000000:nosuchapi0\"}");
    }

    @Test
    void getApisPages(ApiGatewayV2Client apis) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            ids.add(api(apis, "paged-" + i).apiId());
        }

        Set<String> seen = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            GetApisResponse page = apis.getApis(r -> r.maxResults("2").nextToken(next));
            assertThat(page.items().size()).isLessThanOrEqualTo(2);
            page.items().forEach(item -> seen.add(item.apiId()));
            token = page.nextToken();
            pages++;
        } while (token != null && pages < 20);

        assertThat(seen).containsAll(ids);
        assertThat(apis.getApis(r -> r.maxResults("500")).nextToken()).as("no token after the last page").isNull();
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertError(() -> apis.getApis(r -> r.maxResults("many")), 400, "BadRequestException", m -> assertThat(m).contains("maxResults"));
    }

    @Test
    void badApiInputs(ApiGatewayV2Client apis) {
        assertError(() -> apis.createApi(r -> r.name("ws").protocolType(ProtocolType.WEBSOCKET).routeSelectionExpression("$request.body.action")),
                501, "NotImplemented", m -> assertThat(m).contains("WebSocket APIs are not supported"));
        assertError(() -> apis.createApi(r -> r.protocolType(ProtocolType.HTTP)), 400, "BadRequestException",
                m -> assertThat(m).contains("name"));
        assertError(() -> apis.createApi(r -> r.name("x").protocolType("GRPC")), 400, "BadRequestException",
                m -> assertThat(m).contains("protocolType"));
        assertError(() -> apis.createApi(r -> r.name("x").protocolType(ProtocolType.HTTP)
                .corsConfiguration(c -> c.allowOrigins("*").allowCredentials(true))), 400, "BadRequestException", m -> {});
        assertError(() -> apis.createApi(r -> r.name("x").protocolType(ProtocolType.HTTP).target(FUNCTION_ARN).routeKey("FETCH /x")),
                400, "BadRequestException", m -> assertThat(m).contains("route key"));
        assertError(() -> apis.updateApi(r -> r.apiId("nosuchapi0").name("y")), 404, "NotFoundException", m -> {});
    }

    @Test
    void quickCreateMakesIntegrationRouteAndAutoDeployedDefaultStage(ApiGatewayV2Client apis) {
        CreateApiResponse created = apis.createApi(r -> r.name("quick").protocolType(ProtocolType.HTTP).target(FUNCTION_ARN)
                .routeKey("GET /hello"));

        var integrations = apis.getIntegrations(r -> r.apiId(created.apiId())).items();
        assertThat(integrations).singleElement().satisfies(i -> {
            assertThat(i.integrationType()).isEqualTo(IntegrationType.AWS_PROXY);
            assertThat(i.integrationUri()).isEqualTo(FUNCTION_ARN);
            assertThat(i.payloadFormatVersion()).isEqualTo("2.0");
            assertThat(i.apiGatewayManaged()).isTrue();
        });
        var routes = apis.getRoutes(r -> r.apiId(created.apiId())).items();
        assertThat(routes).singleElement().satisfies(route -> {
            assertThat(route.routeKey()).isEqualTo("GET /hello");
            assertThat(route.target()).isEqualTo("integrations/" + integrations.getFirst().integrationId());
        });
        GetStageResponse stage = apis.getStage(r -> r.apiId(created.apiId()).stageName("$default"));
        assertThat(stage.autoDeploy()).isTrue();
        assertThat(stage.apiGatewayManaged()).isTrue();
        assertThat(stage.deploymentId()).isNotBlank();
        assertThat(apis.getDeployments(r -> r.apiId(created.apiId())).items()).singleElement().satisfies(d -> {
            assertThat(d.deploymentId()).isEqualTo(stage.deploymentId());
            assertThat(d.autoDeployed()).isTrue();
        });

        apis.createRoute(r -> r.apiId(created.apiId()).routeKey("GET /more").target(routes.getFirst().target()));
        String redeployed = apis.getStage(r -> r.apiId(created.apiId()).stageName("$default")).deploymentId();
        assertThat(redeployed).as("a change deploys again").isNotEqualTo(stage.deploymentId());
        assertThat(apis.getDeployments(r -> r.apiId(created.apiId())).items()).as("the replaced automatic deployment goes")
                .singleElement().satisfies(d -> assertThat(d.deploymentId()).isEqualTo(redeployed));
        assertError(() -> apis.deleteRoute(r -> r.apiId(created.apiId()).routeId(routes.getFirst().routeId())), 400, "BadRequestException", m -> {});
    }

    @Test
    void routesAndIntegrations(ApiGatewayV2Client apis) {
        String apiId = api(apis, "routes").apiId();
        CreateIntegrationResponse lambda = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + FUNCTION_ARN + "/invocations")
                .payloadFormatVersion("1.0"));
        assertThat(lambda.integrationMethod()).isEqualTo("POST");
        assertThat(lambda.timeoutInMillis()).isEqualTo(30000);
        CreateIntegrationResponse http = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY)
                .integrationUri("https://backend.example/{proxy}").integrationMethod("ANY").timeoutInMillis(5000)
                .requestParameters(Map.of("append:header.x-stage", "$context.stage", "overwrite:path", "/v1/$request.path.proxy")));
        assertThat(http.payloadFormatVersion()).isEqualTo("1.0");
        assertThat(http.requestParameters()).containsEntry("append:header.x-stage", "$context.stage");

        CreateRouteResponse route = apis.createRoute(r -> r.apiId(apiId).routeKey("GET /items/{id}").target("integrations/" + lambda.integrationId()));
        assertThat(route.routeId()).isNotBlank();
        assertThat(route.authorizationType().toString()).isEqualTo("NONE");
        apis.createRoute(r -> r.apiId(apiId).routeKey("ANY /{proxy+}").target("integrations/" + http.integrationId()));
        apis.createRoute(r -> r.apiId(apiId).routeKey("$default"));

        assertThat(apis.getRoutes(r -> r.apiId(apiId)).items()).extracting(rt -> rt.routeKey())
                .containsExactlyInAnyOrder("GET /items/{id}", "ANY /{proxy+}", "$default");
        assertThat(apis.getRoute(r -> r.apiId(apiId).routeId(route.routeId())).target()).isEqualTo("integrations/" + lambda.integrationId());

        var moved = apis.updateRoute(r -> r.apiId(apiId).routeId(route.routeId()).routeKey("POST /items/{id}").target("integrations/" + http.integrationId()));
        assertThat(moved.routeKey()).isEqualTo("POST /items/{id}");
        var changed = apis.updateIntegration(r -> r.apiId(apiId).integrationId(lambda.integrationId()).payloadFormatVersion("2.0").timeoutInMillis(900));
        assertThat(changed.payloadFormatVersion()).isEqualTo("2.0");
        assertThat(changed.timeoutInMillis()).isEqualTo(900);
        GetIntegrationResponse fetched = apis.getIntegration(r -> r.apiId(apiId).integrationId(lambda.integrationId()));
        assertThat(fetched.timeoutInMillis()).isEqualTo(900);

        assertError(() -> apis.deleteIntegration(r -> r.apiId(apiId).integrationId(http.integrationId())), 409, "ConflictException", m -> {});
        apis.deleteIntegration(r -> r.apiId(apiId).integrationId(lambda.integrationId()));
        apis.deleteRoute(r -> r.apiId(apiId).routeId(route.routeId()));
        assertError(() -> apis.getRoute(r -> r.apiId(apiId).routeId(route.routeId())), 404, "NotFoundException", m -> {});
        assertError(() -> apis.getIntegration(r -> r.apiId(apiId).integrationId(lambda.integrationId())), 404, "NotFoundException", m -> {});
    }

    @Test
    void concurrentCreatesOfOneRouteKeyMakeOneRoute(ApiGatewayV2Client apis) throws Exception {
        String apiId = api(apis, "race").apiId();
        int threads = 8;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger conflicts = new java.util.concurrent.atomic.AtomicInteger();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                pool.submit(() -> {
                    start.await();
                    try {
                        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /same"));
                        created.incrementAndGet();
                    } catch (ApiGatewayV2Exception e) {
                        if (e.statusCode() == 409) {
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }

        assertThat(created.get()).isEqualTo(1);
        assertThat(conflicts.get()).isEqualTo(threads - 1);
        assertThat(apis.getRoutes(r -> r.apiId(apiId)).items()).hasSize(1);
        String routeId = apis.getRoutes(r -> r.apiId(apiId)).items().getFirst().routeId();
        apis.updateRoute(r -> r.apiId(apiId).routeId(routeId).routeKey("GET /renamed"));
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /same"));
        assertError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey("GET /renamed")), 409, "ConflictException", m -> {});
        apis.deleteRoute(r -> r.apiId(apiId).routeId(routeId));
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /renamed"));
    }

    @Test
    void badRouteAndIntegrationInputs(ApiGatewayV2Client apis) {
        String apiId = api(apis, "bad-routes").apiId();
        for (String key : List.of("GET items", "FETCH /items", "GET /items/{proxy+}/more", "GET /a//b", "get /items", "GET /{a}/{a}", "")) {
            assertError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey(key)), 400, "BadRequestException", m -> {});
        }
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /pets"));
        assertError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey("GET /pets")), 409, "ConflictException",
                m -> assertThat(m).contains("GET /pets"));
        assertError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey("GET /x").target("integrations/nope123")), 400, "BadRequestException", m -> {});
        assertError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey("GET /y").authorizationType("JWT").authorizerId("abc")),
                400, "BadRequestException", m -> assertThat(m).contains("authorizer"));
        assertError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey("GET /y").authorizationType("AWS_IAM").authorizerId("abc")),
                400, "BadRequestException", m -> assertThat(m).contains("authorizerId"));
        assertError(() -> apis.createRoute(r -> r.apiId("nosuchapi0").routeKey("GET /pets")), 404, "NotFoundException", m -> {});

        assertError(() -> apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY).integrationUri(FUNCTION_ARN)),
                400, "BadRequestException", m -> assertThat(m).contains("payloadFormatVersion"));
        assertError(() -> apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY).integrationUri("not-an-arn")
                .payloadFormatVersion("2.0")), 400, "BadRequestException", m -> {});
        assertError(() -> apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY).integrationUri(FUNCTION_ARN)
                .payloadFormatVersion("3.0")), 400, "BadRequestException", m -> {});
        assertError(() -> apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY).integrationUri("https://x.example")),
                400, "BadRequestException", m -> assertThat(m).contains("integrationMethod"));
        assertError(() -> apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY).integrationUri("ftp://x.example")
                .integrationMethod("GET")), 400, "BadRequestException", m -> {});
        assertError(() -> apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY).integrationUri("https://x.example")
                .integrationMethod("GET").timeoutInMillis(30001)), 400, "BadRequestException", m -> assertThat(m).contains("Timeout"));
        assertError(() -> apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY).integrationUri("https://x.example")
                .integrationMethod("GET").timeoutInMillis(49)), 400, "BadRequestException", m -> {});
        assertError(() -> apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY).integrationUri("https://x.example")
                .integrationMethod("GET").requestParameters(Map.of("rewrite:path", "/x"))), 400, "BadRequestException", m -> {});
        assertError(() -> apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.MOCK)), 400, "BadRequestException", m -> {});
        assertError(() -> apis.getIntegration(r -> r.apiId(apiId).integrationId("nope123")), 404, "NotFoundException", m -> {});
    }

    @Test
    void badUpdatesAndUnknownParts(ApiGatewayV2Client apis) {
        String apiId = api(apis, "updates").apiId();
        String integrationId = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY)
                .integrationUri("https://x.example").integrationMethod("GET")).integrationId();
        String routeId = apis.createRoute(r -> r.apiId(apiId).routeKey("GET /a").target("integrations/" + integrationId)).routeId();
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /b"));

        assertError(() -> apis.updateRoute(r -> r.apiId(apiId).routeId(routeId).routeKey("GET /b")), 409, "ConflictException", m -> {});
        assertError(() -> apis.updateRoute(r -> r.apiId(apiId).routeId(routeId).routeKey("GET a")), 400, "BadRequestException", m -> {});
        assertError(() -> apis.updateRoute(r -> r.apiId(apiId).routeId(routeId).target("integrations/nope123")), 400, "BadRequestException", m -> {});
        assertError(() -> apis.updateRoute(r -> r.apiId(apiId).routeId("nope123").routeKey("GET /c")), 404, "NotFoundException", m -> {});
        assertError(() -> apis.updateIntegration(r -> r.apiId(apiId).integrationId(integrationId).timeoutInMillis(40000)), 400, "BadRequestException",
                m -> {});
        assertError(() -> apis.updateIntegration(r -> r.apiId(apiId).integrationId(integrationId).integrationType(IntegrationType.AWS_PROXY)),
                400, "BadRequestException", m -> {});
        assertError(() -> apis.updateIntegration(r -> r.apiId(apiId).integrationId("nope123").description("d")), 404, "NotFoundException", m -> {});
        assertError(() -> apis.updateStage(r -> r.apiId(apiId).stageName("nostage").description("d")), 404, "NotFoundException", m -> {});
        assertError(() -> apis.deleteStage(r -> r.apiId(apiId).stageName("nostage")), 404, "NotFoundException", m -> {});
        assertError(() -> apis.updateDeployment(r -> r.apiId(apiId).deploymentId("nope12").description("d")), 404, "NotFoundException", m -> {});
        assertError(() -> apis.deleteRoute(r -> r.apiId(apiId).routeId("nope123")), 404, "NotFoundException", m -> {});
        assertError(() -> apis.getRoutes(r -> r.apiId("nosuchapi0")), 404, "NotFoundException", m -> {});
        assertError(() -> apis.getStages(r -> r.apiId(apiId).maxResults("0")), 400, "BadRequestException", m -> {});

        var detached = apis.updateRoute(r -> r.apiId(apiId).routeId(routeId).target(""));
        assertThat(detached.target()).isNull();
        apis.deleteIntegration(r -> r.apiId(apiId).integrationId(integrationId));
    }

    @Test
    void stagesAndDeployments(ApiGatewayV2Client apis) {
        String apiId = api(apis, "stages").apiId();
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /a"));
        var deployment = apis.createDeployment(r -> r.apiId(apiId).description("first"));
        assertThat(deployment.deploymentStatusAsString()).isEqualTo("DEPLOYED");
        assertThat(deployment.autoDeployed()).isFalse();

        var stage = apis.createStage(r -> r.apiId(apiId).stageName("prod").deploymentId(deployment.deploymentId())
                .stageVariables(Map.of("backend", "blue")).tags(Map.of("env", "prod")));
        assertThat(stage.deploymentId()).isEqualTo(deployment.deploymentId());
        assertThat(stage.autoDeploy()).isFalse();
        assertThat(stage.stageVariables()).containsEntry("backend", "blue");
        apis.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));

        var second = apis.createDeployment(r -> r.apiId(apiId).stageName("prod"));
        assertThat(apis.getStage(r -> r.apiId(apiId).stageName("prod")).deploymentId()).isEqualTo(second.deploymentId());
        assertThat(apis.getDeployments(r -> r.apiId(apiId)).items()).as("two made here, one for the auto-deploying $default stage")
                .extracting(d -> d.autoDeployed()).containsExactlyInAnyOrder(false, false, true);
        assertThat(apis.getStages(r -> r.apiId(apiId)).items()).extracting(s -> s.stageName()).containsExactlyInAnyOrder("prod", "$default");

        var updated = apis.updateStage(r -> r.apiId(apiId).stageName("prod").stageVariables(Map.of("backend", "green")).description("d"));
        assertThat(updated.stageVariables()).containsExactly(Map.entry("backend", "green"));

        assertError(() -> apis.deleteDeployment(r -> r.apiId(apiId).deploymentId(second.deploymentId())), 400, "BadRequestException", m -> {});
        apis.deleteDeployment(r -> r.apiId(apiId).deploymentId(deployment.deploymentId()));
        assertError(() -> apis.getDeployment(r -> r.apiId(apiId).deploymentId(deployment.deploymentId())), 404, "NotFoundException", m -> {});

        assertError(() -> apis.createStage(r -> r.apiId(apiId).stageName("prod")), 409, "ConflictException", m -> {});
        assertError(() -> apis.createStage(r -> r.apiId(apiId).stageName("bad name")), 400, "BadRequestException", m -> {});
        assertError(() -> apis.createStage(r -> r.apiId(apiId).stageName("dev").deploymentId("nope12")), 400, "BadRequestException", m -> {});
        assertError(() -> apis.createStage(r -> r.apiId(apiId).stageName("dev").accessLogSettings(a -> a.destinationArn("arn:aws:logs:x").format("$context.requestId"))),
                501, "NotImplemented", m -> {});
        apis.createStage(r -> r.apiId(apiId).stageName("quiet").defaultRouteSettings(d -> d.detailedMetricsEnabled(false)));
        assertError(() -> apis.createStage(r -> r.apiId(apiId).stageName("throttled").defaultRouteSettings(d -> d.throttlingRateLimit(10.0))),
                501, "NotImplemented", m -> assertThat(m).contains("Throttling"));
        assertError(() -> apis.getModels(r -> r.apiId(apiId)), 501, "NotImplemented",
                m -> assertThat(m).isEqualTo("GetModels is not supported by Stratus yet."));
        assertError(() -> apis.createDomainName(r -> r.domainName("api.example.com")), 501, "NotImplemented",
                m -> assertThat(m).isEqualTo("CreateDomainName is not supported by Stratus yet."));
        assertError(() -> apis.exportApi(r -> r.apiId(apiId).specification("OAS30").outputType("JSON")), 501, "NotImplemented",
                m -> assertThat(m).isEqualTo("ExportApi is not supported by Stratus yet."));
        assertError(() -> apis.createDeployment(r -> r.apiId(apiId).stageName("$default")), 400, "BadRequestException",
                m -> assertThat(m).contains("autoDeploy"));
        assertError(() -> apis.createDeployment(r -> r.apiId(apiId).stageName("nostage")), 400, "BadRequestException", m -> {});

        apis.deleteStage(r -> r.apiId(apiId).stageName("prod"));
        assertError(() -> apis.getStage(r -> r.apiId(apiId).stageName("prod")), 404, "NotFoundException", m -> {});
    }

    @Test
    void tags(ApiGatewayV2Client apis) {
        String apiId = apis.createApi(r -> r.name("tagged").protocolType(ProtocolType.HTTP).tags(Map.of("a", "1"))).apiId();
        String arn = "arn:aws:apigateway:us-east-1::/apis/" + apiId;

        apis.tagResource(r -> r.resourceArn(arn).tags(Map.of("b", "2", "c", "3")));
        assertThat(apis.getTags(r -> r.resourceArn(arn)).tags()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2", "c", "3"));
        apis.untagResource(r -> r.resourceArn(arn).tagKeys("a", "c"));
        assertThat(apis.getTags(r -> r.resourceArn(arn)).tags()).containsExactly(Map.entry("b", "2"));
        assertThat(apis.getApi(r -> r.apiId(apiId)).tags()).containsExactly(Map.entry("b", "2"));

        apis.createStage(r -> r.apiId(apiId).stageName("prod"));
        String stageArn = arn + "/stages/prod";
        apis.tagResource(r -> r.resourceArn(stageArn).tags(Map.of("env", "prod")));
        assertThat(apis.getStage(r -> r.apiId(apiId).stageName("prod")).tags()).containsExactly(Map.entry("env", "prod"));

        assertError(() -> apis.getTags(r -> r.resourceArn("arn:aws:apigateway:us-east-1::/apis/nosuchapi0")), 404, "NotFoundException", m -> {});
        assertError(() -> apis.tagResource(r -> r.resourceArn("arn:aws:sqs:us-east-1:000000000000:q").tags(Map.of("a", "b"))),
                400, "BadRequestException", m -> {});
        assertError(() -> apis.tagResource(r -> r.resourceArn(arn).tags(Map.of("aws:reserved", "x"))), 400, "BadRequestException", m -> {});
    }

    @Test
    void authorizers(ApiGatewayV2Client apis) {
        String apiId = api(apis, "auth").apiId();
        var jwt = apis.createAuthorizer(r -> r.apiId(apiId).name("jwt").authorizerType("JWT").identitySource("$request.header.Authorization")
                .jwtConfiguration(j -> j.issuer("https://issuer.example").audience("aud1", "aud2")));
        assertThat(jwt.authorizerId()).isNotBlank();
        assertThat(jwt.jwtConfiguration().audience()).containsExactly("aud1", "aud2");
        String authorizerUri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + FUNCTION_ARN + "/invocations";
        var lambda = apis.createAuthorizer(r -> r.apiId(apiId).name("lambda").authorizerType("REQUEST").authorizerUri(authorizerUri)
                .authorizerPayloadFormatVersion("2.0").enableSimpleResponses(true).identitySource("$request.header.x-key"));
        assertThat(lambda.enableSimpleResponses()).isTrue();
        assertThat(lambda.authorizerResultTtlInSeconds()).isZero();
        assertThat(apis.getAuthorizers(r -> r.apiId(apiId)).items()).extracting(a -> a.name()).containsExactlyInAnyOrder("jwt", "lambda");

        var route = apis.createRoute(r -> r.apiId(apiId).routeKey("GET /secure").authorizationType("JWT").authorizerId(jwt.authorizerId())
                .authorizationScopes("read"));
        assertThat(route.authorizationScopes()).containsExactly("read");
        assertThat(apis.getRoute(r -> r.apiId(apiId).routeId(route.routeId())).authorizerId()).isEqualTo(jwt.authorizerId());
        assertError(() -> apis.deleteAuthorizer(r -> r.apiId(apiId).authorizerId(jwt.authorizerId())), 409, "ConflictException", m -> {});
        assertError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey("GET /wrong").authorizationType("CUSTOM").authorizerId(jwt.authorizerId())),
                400, "BadRequestException", m -> {});
        assertError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey("GET /scoped").authorizationType("CUSTOM").authorizerId(lambda.authorizerId())
                .authorizationScopes("read")), 400, "BadRequestException", m -> {});
        var open = apis.updateRoute(r -> r.apiId(apiId).routeId(route.routeId()).authorizationType("NONE"));
        assertThat(open.authorizerId()).isNull();
        apis.deleteAuthorizer(r -> r.apiId(apiId).authorizerId(jwt.authorizerId()));
        assertError(() -> apis.getAuthorizer(r -> r.apiId(apiId).authorizerId(jwt.authorizerId())), 404, "NotFoundException", m -> {});
        var renamed = apis.updateAuthorizer(r -> r.apiId(apiId).authorizerId(lambda.authorizerId()).name("renamed"));
        assertThat(renamed.name()).isEqualTo("renamed");
        assertThat(renamed.authorizerUri()).isEqualTo(authorizerUri);

        assertError(() -> apis.createAuthorizer(r -> r.apiId(apiId).name("x").authorizerType("JWT").identitySource("$request.header.Authorization")),
                400, "BadRequestException", m -> assertThat(m).contains("jwtConfiguration"));
        assertError(() -> apis.createAuthorizer(r -> r.apiId(apiId).name("x").authorizerType("REQUEST").authorizerUri(authorizerUri)),
                400, "BadRequestException", m -> assertThat(m).contains("authorizerPayloadFormatVersion"));
        assertError(() -> apis.createAuthorizer(r -> r.apiId(apiId).name("x").authorizerType("REQUEST").authorizerUri(authorizerUri)
                .authorizerPayloadFormatVersion("1.0").enableSimpleResponses(true)), 400, "BadRequestException", m -> {});
        assertError(() -> apis.createAuthorizer(r -> r.apiId(apiId).name("x").authorizerType("REQUEST").authorizerUri("not-a-uri")
                .authorizerPayloadFormatVersion("2.0")), 400, "BadRequestException", m -> {});
        assertError(() -> apis.createAuthorizer(r -> r.apiId(apiId).name("x").authorizerType("TOKEN")), 400, "BadRequestException", m -> {});
        assertError(() -> apis.createAuthorizer(r -> r.apiId(apiId).name("x").authorizerType("REQUEST").authorizerUri(authorizerUri)
                .authorizerPayloadFormatVersion("2.0").identitySource("header.x")), 400, "BadRequestException", m -> {});
        assertError(() -> apis.createAuthorizer(r -> r.apiId("nosuchapi0").name("x").authorizerType("JWT").identitySource("$request.header.Authorization")
                .jwtConfiguration(j -> j.issuer("https://issuer.example").audience("aud1"))), 404, "NotFoundException", m -> {});
    }
}
