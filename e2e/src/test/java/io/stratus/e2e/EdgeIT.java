package io.stratus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.StsClient;

/** The edge: routing, platform endpoints, HTTP details and bad input, over raw HTTP. */
@StratusTest(maxBodyBytes = 64 * 1024)
class EdgeIT {

    private static final String SIGNED_STS = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sts/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000";

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(Stratus stratus, String path, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stratus.endpoint() + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(Stratus stratus, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stratus.endpoint() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthListsVersionStorageAndServices(Stratus stratus) throws Exception {
        HttpResponse<String> response = get(stratus, "/_stratus/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).contains("\"version\"").contains("\"storage\":\"memory\"").contains("\"sts\":\"running\"");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    @Test
    void metricsCountRequestsByServiceOperationAndStatus(Stratus stratus, StsClient sts) throws Exception {
        sts.getCallerIdentity();

        String metrics = get(stratus, "/_stratus/metrics").body();

        assertThat(metrics).contains("stratus_requests_seconds_bucket{operation=\"GetCallerIdentity\",service=\"sts\",status=\"200\"");
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    @Test
    void unknownPlatformEndpointIsAnError(Stratus stratus) throws Exception {
        assertThat(get(stratus, "/_stratus/nothing-here").statusCode()).isEqualTo(400);
    }

    @Test
    void queryWithoutActionIsMissingAction(Stratus stratus) throws Exception {
        HttpResponse<String> response = post(stratus, "/", "application/x-www-form-urlencoded", "Version=2011-06-15",
                "Authorization", SIGNED_STS, "X-Amz-Date", "20250101T000000Z");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<ErrorResponse").contains("<Code>MissingAction</Code>").contains("<RequestId>");
    }

    @Test
    void unknownQueryActionIsInvalidAction(Stratus stratus) throws Exception {
        HttpResponse<String> response = post(stratus, "/", "application/x-www-form-urlencoded", "Action=FlyToTheMoon&Version=2011-06-15");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Type>Sender</Type>").contains("<Code>InvalidAction</Code>");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    @Test
    void queryActionIsRoutedByVersionWithoutASignature(Stratus stratus) throws Exception {
        HttpResponse<String> response = post(stratus, "/", "application/x-www-form-urlencoded", "Action=GetCallerIdentity&Version=2011-06-15");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
                .contains("<Account>000000000000</Account>");
    }

    @Test
    void jsonVariantOfStsAnswersInJson(Stratus stratus) throws Exception {
        HttpResponse<String> response = post(stratus, "/", "application/x-amz-json-1.0", "{}",
                "X-Amz-Target", "AWSSecurityTokenServiceV20110615.GetCallerIdentity");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/x-amz-json-1.0");
        assertThat(response.body()).contains("\"Account\":\"000000000000\"").contains("\"Arn\":\"arn:aws:iam::000000000000:root\"");
    }

    @Test
    void unknownTargetIsUnknownOperation(Stratus stratus) throws Exception {
        HttpResponse<String> response = post(stratus, "/", "application/x-amz-json-1.0", "{}", "X-Amz-Target", "NoSuchService_20990101.DoThings");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"__type\":\"UnknownOperationException\"");
    }

    @Test
    void unknownOperationOfAKnownJsonServiceIsUnknownOperation(Stratus stratus) throws Exception {
        HttpResponse<String> response = post(stratus, "/", "application/x-amz-json-1.0", "{}",
                "X-Amz-Target", "AWSSecurityTokenServiceV20110615.LaunchRocket");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("UnknownOperationException");
    }

    @Test
    void malformedJsonIsSerializationException(Stratus stratus) throws Exception {
        HttpResponse<String> response = post(stratus, "/", "application/x-amz-json-1.0", "{\"RoleArn\": ",
                "X-Amz-Target", "AWSSecurityTokenServiceV20110615.AssumeRole");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"__type\":\"SerializationException\"");
    }

    @Test
    void wrongJsonTypeIsSerializationException(Stratus stratus) throws Exception {
        HttpResponse<String> response = post(stratus, "/", "application/x-amz-json-1.0", "{\"DurationSeconds\": \"soon\"}",
                "X-Amz-Target", "AWSSecurityTokenServiceV20110615.GetSessionToken");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("SerializationException");
    }

    @Test
    void wrongContentTypeForJsonProtocolIsRejected(Stratus stratus) throws Exception {
        HttpResponse<String> response = post(stratus, "/", "text/plain", "{}", "X-Amz-Target", "AWSSecurityTokenServiceV20110615.GetCallerIdentity");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("UnknownOperationException").contains("text/plain");
    }

    @Test
    void malformedAuthorizationHeaderIsAnError(Stratus stratus) throws Exception {
        HttpResponse<String> response = post(stratus, "/", "application/x-www-form-urlencoded", "Action=GetCallerIdentity&Version=2011-06-15",
                "Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sts/aws4_request");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>IncompleteSignature</Code>");
    }

    @Test
    void bodyOverTheLimitIs413(Stratus stratus) throws Exception {
        try (RawHttp raw = new RawHttp(stratus.port())) {
            raw.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "X-Amz-Target: AWSSecurityTokenServiceV20110615.GetSessionToken\r\nContent-Length: " + (70 * 1024) + "\r\n\r\n");
            String response = raw.readResponse();
            assertThat(response).startsWith("HTTP/1.1 413").contains("RequestEntityTooLarge").containsIgnoringCase("x-amzn-RequestId");
        }
    }

    @Test
    void chunkedBodyOverTheLimitIs413(Stratus stratus) throws Exception {
        try (RawHttp raw = new RawHttp(stratus.port())) {
            raw.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "X-Amz-Target: AWSSecurityTokenServiceV20110615.GetSessionToken\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "x".repeat(16 * 1024);
            for (int i = 0; i < 5; i++) {
                raw.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            raw.send("0\r\n\r\n");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 413").contains("RequestEntityTooLarge");
        }
    }

    @Test
    void chunkedRequestBodyIsDecoded(Stratus stratus) throws Exception {
        try (RawHttp raw = new RawHttp(stratus.port())) {
            raw.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk("Action=GetCallerI") + chunk("dentity&Version=2011-06-15") + "0\r\n\r\n");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 200").contains("<Account>000000000000</Account>");
        }
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }

    @Test
    void malformedChunkedBodyIsIncompleteBodyAndClosesTheConnection(Stratus stratus) throws Exception {
        try (RawHttp raw = new RawHttp(stratus.port())) {
            raw.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "X-Amz-Target: AWSSecurityTokenServiceV20110615.GetCallerIdentity\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "2\r\n{}\r\nzz-not-hex\r\n");
            String response = raw.readResponse();
            assertThat(response).startsWith("HTTP/1.1 400").contains("IncompleteBody");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void truncatedBodyDoesNotHangTheServer(Stratus stratus, StsClient sts) throws Exception {
        try (RawHttp raw = new RawHttp(stratus.port())) {
            raw.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 100\r\n"
                    + "X-Amz-Target: AWSSecurityTokenServiceV20110615.GetCallerIdentity\r\n\r\n{\"a\":");
            raw.shutdownOutput();
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(sts.getCallerIdentity().account()).isEqualTo("000000000000");
    }

    @Test
    void expectContinueGets100ThenTheResponse(Stratus stratus) throws Exception {
        String body = "Action=GetCallerIdentity&Version=2011-06-15";
        try (RawHttp raw = new RawHttp(stratus.port())) {
            raw.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 100 Continue");
            raw.send(body);
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void expectContinueWithTooLargeBodyIsRefusedUpFront(Stratus stratus) throws Exception {
        try (RawHttp raw = new RawHttp(stratus.port())) {
            raw.send("PUT /bucket/key HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 10000000\r\n\r\n");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 413").contains("RequestEntityTooLarge");
        }
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection(Stratus stratus) throws Exception {
        String body = "Action=GetCallerIdentity&Version=2011-06-15";
        String request = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
        try (RawHttp raw = new RawHttp(stratus.port())) {
            // Pipelined: both requests sent before reading either response.
            raw.send(request + request);
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 200").contains("keep-alive");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 200");
            raw.send(request);
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void garbageRequestLineIsBadRequest(Stratus stratus) throws Exception {
        try (RawHttp raw = new RawHttp(stratus.port())) {
            raw.send("THIS IS NOT HTTP\r\n\r\n");
            String response = raw.readResponse();
            assertThat(response).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void unroutableJsonRequestIsUnknownOperation(Stratus stratus) throws Exception {
        HttpResponse<String> response = post(stratus, "/2099-01-01/nothing-here", "application/json", "{}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("UnknownOperationException");
        assertThat(response.body()).contains("\"message\"");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    @Test
    void requestWithoutAnyClueGoesToS3(Stratus stratus) throws Exception {
        HttpResponse<String> response = get(stratus, "/some-bucket/some-key");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("<Error><Code>NoSuchBucket</Code>");
        assertThat(response.headers().firstValue("x-amz-request-id")).isPresent();
    }

}
