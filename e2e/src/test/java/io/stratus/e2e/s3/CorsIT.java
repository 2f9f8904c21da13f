package io.stratus.e2e.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** CORS from a bucket's configuration: preflight answers and the headers on actual requests, as browsers see them. */
@StratusTest
class CorsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> preflight(Stratus stratus, String path, String origin, String method, String headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stratus.endpoint() + path)).method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (method != null) {
            request.header("Access-Control-Request-Method", method);
        }
        if (headers != null) {
            request.header("Access-Control-Request-Headers", headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void configure(S3Client s3, String bucket) {
        s3.createBucket(r -> r.bucket(bucket));
        s3.putBucketCors(r -> r.bucket(bucket).corsConfiguration(c -> c.corsRules(
                CORSRule.builder().allowedOrigins("https://app.example.com").allowedMethods("GET", "PUT").allowedHeaders("content-type", "x-amz-*")
                        .exposeHeaders("ETag").maxAgeSeconds(600).build(),
                CORSRule.builder().allowedOrigins("*").allowedMethods("GET").build())));
    }

    @Test
    void preflightsAreAnsweredByTheFirstMatchingRule(S3Client s3, Stratus stratus) throws Exception {
        configure(s3, "cors-preflight");

        HttpResponse<String> allowed = preflight(stratus, "/cors-preflight/photos/cat.jpg", "https://app.example.com", "PUT", "Content-Type, X-Amz-Date");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, PUT");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type, x-amz-date");
        assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers")).hasValue("ETag");
        assertThat(allowed.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");

        HttpResponse<String> anyOrigin = preflight(stratus, "/cors-preflight", "https://elsewhere.example", "GET", null);
        assertThat(anyOrigin.statusCode()).isEqualTo(200);
        assertThat(anyOrigin.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");

        HttpResponse<String> refused = preflight(stratus, "/cors-preflight/k", "https://elsewhere.example", "PUT", null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("<Code>AccessForbidden</Code>").contains("CORSResponse: This CORS request is not allowed.");
        assertThat(preflight(stratus, "/cors-preflight/k", "https://app.example.com", "PUT", "x-secret").statusCode()).isEqualTo(403);

        HttpResponse<String> noOrigin = preflight(stratus, "/cors-preflight/k", null, "GET", null);
        assertThat(noOrigin.statusCode()).isEqualTo(400);
        assertThat(noOrigin.body()).contains("Insufficient information. Origin request header needed.");
    }

    @Test
    void aBucketWithoutCorsRefusesPreflightsAndAddsNothing(S3Client s3, Stratus stratus) throws Exception {
        s3.createBucket(r -> r.bucket("cors-none"));
        s3.putObject(r -> r.bucket("cors-none").key("k"), RequestBody.fromString("v"));

        HttpResponse<String> refused = preflight(stratus, "/cors-none/k", "https://app.example.com", "GET", null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("CORSResponse: CORS is not enabled for this bucket.");
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/cors-none/k")).header("Origin", "https://app.example.com")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(preflight(stratus, "/cors-missing-bucket/k", "https://app.example.com", "GET", null).statusCode()).isEqualTo(404);
    }

    @Test
    void actualRequestsFromAnAllowedOriginCarryTheGrants(S3Client s3, Stratus stratus) throws Exception {
        configure(s3, "cors-actual");
        s3.putObject(r -> r.bucket("cors-actual").key("k"), RequestBody.fromString("v"));

        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/cors-actual/k")).header("Origin", "https://app.example.com")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("v");
        assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(get.headers().firstValue("Access-Control-Expose-Headers")).hasValue("ETag");
        assertThat(get.headers().firstValue("Vary")).hasValueSatisfying(v -> assertThat(v).contains("Origin"));
        HttpResponse<String> delete = HTTP.send(HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/cors-actual/k")).header("Origin", "https://app.example.com")
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(204);
        assertThat(delete.headers().firstValue("Access-Control-Allow-Origin")).as("no rule allows DELETE").isEmpty();
        // Errors carry the grants too, so a browser app can read a 404.
        HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/cors-actual/gone"))
                .header("Origin", "https://app.example.com").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("<Code>NoSuchKey</Code>");
        assertThat(missing.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
    }

    @Test
    void configurationsS3WouldRefuseAreRefused(S3Client s3) {
        s3.createBucket(r -> r.bucket("cors-bad"));

        assertThatThrownBy(() -> s3.putBucketCors(r -> r.bucket("cors-bad").corsConfiguration(c -> c.corsRules(
                CORSRule.builder().allowedOrigins("*").allowedMethods("PATCH").build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Found unsupported HTTP method in CORS config. Unsupported method is PATCH");
                });
        assertThatThrownBy(() -> s3.putBucketCors(r -> r.bucket("cors-bad").corsConfiguration(c -> c.corsRules(
                CORSRule.builder().allowedOrigins("https://*.*.example.com").allowedMethods("GET").build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorMessage()).contains("can not have more than one wildcard"));
    }
}
