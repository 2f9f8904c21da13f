package io.stratus.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which service each kind of AWS request reaches. */
class RouterTest {

    record Empty() {}

    private static final List<ServiceDefinition> SERVICES = List.of(
            ServiceDefinition.builder("sqs").protocol(Protocol.AWS_JSON_1_0).protocol(Protocol.AWS_QUERY)
                    .targetPrefix("AmazonSQS").queryVersion("2012-11-05", "http://queue.amazonaws.com/doc/2012-11-05/")
                    .operation("ListQueues", Empty.class, (c, i) -> i).build(),
            ServiceDefinition.builder("sts").protocol(Protocol.AWS_QUERY)
                    .queryVersion("2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/")
                    .operation("GetCallerIdentity", Empty.class, (c, i) -> i).build(),
            ServiceDefinition.builder("lambda").protocol(Protocol.REST_JSON_1)
                    .operation("ListFunctions", "GET", "/2015-03-31/functions", 200, Empty.class, (c, i) -> i)
                    .endpoint("lambda-url", (context, resource, request) -> HttpResponse.empty(200)).build(),
            ServiceDefinition.builder("apigateway").protocol(Protocol.REST_JSON_1)
                    .operation("GetRestApis", "GET", "/restapis", 200, Empty.class, (c, i) -> i).build(),
            ServiceDefinition.builder("execute-api").protocol(Protocol.REST_JSON_1)
                    .endpoint("execute-api", (context, resource, request) -> HttpResponse.empty(200)).build(),
            ServiceDefinition.builder("s3").protocol(Protocol.REST_XML).xmlNamespace("http://s3.amazonaws.com/doc/2006-03-01/")
                    .operation("ListBuckets", "GET", "/", 200, Empty.class, (c, i) -> i)
                    .operation("GetObject", "GET", "/{Bucket}/{Key+}", 200, Empty.class, (c, i) -> i).build());

    private static final Router ROUTER = new Router(SERVICES, Map.of("s3", "s3"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            virtual-hosted bucket                 | GET  | /key.txt                | mybucket.s3.localhost:4566                   | -                             | -    | s3
            bucket on the LocalStack domain       | GET  | /key.txt                | mybucket.s3.localhost.localstack.cloud:4566  | -                             | -    | s3
            bucket on a custom --hostname         | GET  | /key.txt                | mybucket.s3.stratus.internal                 | -                             | -    | s3
            bucket whose name has dots            | GET  | /key.txt                | my.bucket.s3.localhost                       | -                             | -    | s3
            API Gateway invoke host               | GET  | /prod/items             | a1b2c3.execute-api.localhost:4566            | -                             | -    | execute-api
            API Gateway invoke path               | GET  | /_aws/execute-api/a1b2c3/prod/items | localhost:4566                   | -                             | -    | execute-api
            signed invoke still reaches the API   | GET  | /prod/items             | a1b2c3.execute-api.localhost:4566            | -                             | s3   | execute-api
            function URL host                     | GET  | /                       | abcdef.lambda-url.us-east-1.localhost        | -                             | -    | lambda
            plain localhost falls back to S3      | GET  | /                       | localhost:4566                               | -                             | -    | s3
            X-Amz-Target picks the JSON service   | POST | /                       | localhost                                    | AmazonSQS.ListQueues          | -    | sqs
            credential scope picks the service    | POST | /?Action=GetCallerIdentity | localhost                                 | -                             | sts  | sts
            Query Version picks the service       | GET  | /?Action=ListQueues&Version=2012-11-05 | localhost                      | -                             | -    | sqs
            REST path picks the service           | GET  | /2015-03-31/functions   | localhost                                    | -                             | -    | lambda
            scope narrows REST matching           | GET  | /restapis               | localhost                                    | -                             | apigateway | apigateway
            unknown paths fall back to S3         | GET  | /bucket/some/key        | 127.0.0.1:4566                               | -                             | -    | s3
            platform endpoints are Stratus's own  | GET  | /_stratus/health        | mybucket.s3.localhost                        | -                             | -    | _stratus
            unknown target is unroutable          | POST | /                       | localhost                                    | Nope_2020.Do                  | -    | -
            """)
    void routes(String name, String method, String pathAndQuery, String host, String target, String scope, String expected) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of(host));
        if (target != null) {
            headers.put("X-Amz-Target", List.of(target));
        }
        Route route = ROUTER.route(HttpRequest.of(method, pathAndQuery, headers, new byte[0]), scope);

        switch (route) {
            case Route.ToService toService -> assertThat(toService.service().name()).isEqualTo(expected);
            case Route.ToEndpoint toEndpoint -> assertThat(toEndpoint.service().name()).isEqualTo(expected);
            case Route.ToPlatform toPlatform -> assertThat(expected).isEqualTo("_stratus");
            case Route.Unroutable unroutable -> assertThat(expected).as(unroutable.error().getMessage()).isNull();
        }
    }

    /** A browser's form upload to S3 (PostObject) is no awsQuery request, whatever its fields say. */
    @org.junit.jupiter.api.Test
    void aMultipartFormPostToABucketIsS3() {
        byte[] body = "--b\r\nContent-Disposition: form-data; name=\"Action\"\r\n\r\nListQueues\r\n--b--\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (String[] hostAndPath : new String[][] {{"localhost:4566", "/photos"}, {"photos.s3.localhost:4566", "/"}}) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("Host", List.of(hostAndPath[0]));
            headers.put("Content-Type", List.of("multipart/form-data; boundary=b"));
            Route route = ROUTER.route(HttpRequest.of("POST", hostAndPath[1], headers, body), null);
            assertThat(route).isInstanceOfSatisfying(Route.ToService.class, toService -> assertThat(toService.service().name()).isEqualTo("s3"));
        }
    }

    @org.junit.jupiter.api.Test
    void aVirtualHostedBucketIsTheResourceTheHostNames() {
        Route route = ROUTER.route(HttpRequest.of("GET", "/key.txt", Map.of("Host", List.of("my.bucket.s3.localhost:4566")), new byte[0]), null);

        assertThat(route).isInstanceOfSatisfying(Route.ToService.class, toService -> assertThat(toService.hostResource()).isEqualTo("my.bucket"));
        assertThat(ROUTER.route(HttpRequest.of("GET", "/b/k", Map.of("Host", List.of("localhost")), new byte[0]), null))
                .isInstanceOfSatisfying(Route.ToService.class, toService -> assertThat(toService.hostResource()).isNull());
    }

    @org.junit.jupiter.api.Test
    void anInvokeUrlNamesTheApiAndKeepsTheRestOfThePath() {
        Route byHost = ROUTER.route(HttpRequest.of("GET", "/prod/items/7?x=1", Map.of("Host", List.of("a1b2c3.execute-api.localhost:4566")), new byte[0]), null);
        Route byPath = ROUTER.route(HttpRequest.of("GET", "/_aws/execute-api/a1b2c3/prod/items/7?x=1", Map.of("Host", List.of("localhost")), new byte[0]), null);
        Route bare = ROUTER.route(HttpRequest.of("GET", "/_aws/execute-api/a1b2c3", Map.of("Host", List.of("localhost")), new byte[0]), null);

        assertThat(byHost).isEqualTo(new Route.ToEndpoint(SERVICES.get(4), "execute-api", "a1b2c3", "/prod/items/7"));
        assertThat(byPath).isEqualTo(byHost);
        assertThat(bare).isEqualTo(new Route.ToEndpoint(SERVICES.get(4), "execute-api", "a1b2c3", "/"));
    }

    @org.junit.jupiter.api.Test
    void anAwsPathWithoutAnEndpointLabelIsAnOrdinaryPath() {
        Route route = ROUTER.route(HttpRequest.of("GET", "/_aws/s3/abc/x", Map.of("Host", List.of("localhost")), new byte[0]), null);

        assertThat(route).isInstanceOfSatisfying(Route.ToService.class, toService -> assertThat(toService.service().name()).isEqualTo("s3"));
    }
}
