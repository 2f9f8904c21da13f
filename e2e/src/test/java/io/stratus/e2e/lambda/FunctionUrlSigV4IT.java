package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionUrlIT.JSON;
import static io.stratus.e2e.lambda.FunctionUrlIT.NODE_MIRROR;
import static io.stratus.e2e.lambda.FunctionUrlIT.urlId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.core.StratusConfig;
import io.stratus.e2e.RawHttp;
import io.stratus.protocol.auth.SigV4Signer;
import io.stratus.protocol.auth.SignableRequest;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** With {@code --auth sigv4}, an AWS_IAM function URL lets in only calls whose signature verifies. */
@StratusTest(auth = StratusConfig.Auth.SIGV4)
class FunctionUrlSigV4IT {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static String get(Stratus stratus, String id, String secret) throws Exception {
        String host = id + ".lambda-url.us-east-1.localhost:" + stratus.port();
        SignableRequest.Snapshot signed = new SigV4Signer("test", secret, Optional.empty())
                .sign(SignableRequest.Snapshot.of("GET", "/signed", "").withHeader("host", host), "us-east-1", "lambda", Instant.now(), EMPTY_SHA256);
        StringBuilder request = new StringBuilder("GET /signed HTTP/1.1\r\n");
        signed.headers().forEach((name, values) -> values.forEach(value -> request.append(name).append(": ").append(value).append("\r\n")));
        try (RawHttp http = new RawHttp(stratus.port())) {
            return http.send(request.append("\r\n").toString()).readResponse();
        }
    }

    @Test
    void onlyVerifiedSignaturesPass(LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "guarded", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_MIRROR));
        String id = urlId(lambda.createFunctionUrlConfig(r -> r.functionName("guarded").authType(FunctionUrlAuthType.AWS_IAM)).functionUrl());

        String good = get(stratus, id, "test");
        assertThat(good).startsWith("HTTP/1.1 201");
        JsonNode event = JSON.readTree(good.substring(good.indexOf("\r\n\r\n") + 4));
        JsonNode iam = event.get("requestContext").get("authorizer").get("iam");
        assertThat(iam.get("accessKey").asText()).isEqualTo("test");
        assertThat(iam.get("accountId").asText()).isEqualTo("000000000000");
        assertThat(iam.get("userArn").asText()).isEqualTo("arn:aws:iam::000000000000:root");
        assertThat(event.get("requestContext").get("accountId").asText()).isEqualTo("000000000000");

        String forged = get(stratus, id, "not-the-secret");
        assertThat(forged).startsWith("HTTP/1.1 403").endsWith(FunctionUrlAuthIT.FORBIDDEN);
        String unsigned;
        try (RawHttp http = new RawHttp(stratus.port())) {
            unsigned = http.send("GET / HTTP/1.1\r\nHost: " + id + ".lambda-url.us-east-1.localhost\r\n\r\n").readResponse();
        }
        assertThat(unsigned).startsWith("HTTP/1.1 403");

        // A NONE URL does not care about the signature, not even a bad one.
        lambda.updateFunctionUrlConfig(r -> r.functionName("guarded").authType(FunctionUrlAuthType.NONE));
        FunctionUrlIT.allowPublic(lambda, "guarded", null);
        assertThat(get(stratus, id, "not-the-secret")).startsWith("HTTP/1.1 201");
    }
}
