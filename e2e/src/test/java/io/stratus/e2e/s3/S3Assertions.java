package io.stratus.e2e.s3;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Assertions on the S3 errors the SDK raises: the exact code and status. */
final class S3Assertions {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private S3Assertions() {}

    static void assertS3Error(ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.statusCode()).as("status of %s", e.getMessage()).isEqualTo(status);
                    if (code != null) {
                        org.assertj.core.api.Assertions.assertThat(e.awsErrorDetails().errorCode()).as("code of %s", e.getMessage()).isEqualTo(code);
                    }
                });
    }

    /**
     * An unsigned request (the test server runs without SigV4) and its answer, for what the SDK
     * does not expose: the members S3 adds to an error ({@code ArgumentName}, {@code Method}, …).
     *
     * @param headers names and values, alternating
     */
    static HttpResponse<String> send(Stratus stratus, String method, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(stratus.endpoint().resolve(pathAndQuery)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
