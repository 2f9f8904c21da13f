package io.stratus.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import io.stratus.protocol.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One port, both protocols: plain HTTP at once, TLS once its identity is made (waiting for it if need be). */
class TlsDetectorTest {

    @TempDir
    Path dir;

    private static HttpResponse bare(AwsException error, io.stratus.protocol.HttpRequest request) {
        return HttpResponse.of(error.errorCode().httpStatus(), "text/plain", error.getMessage());
    }

    private static Edge edge(CompletableFuture<TlsIdentity> tls) throws InterruptedException {
        return Edge.start("127.0.0.1", 0, 1024, tls, EdgeFailureTest.sync(request ->
                HttpResponse.of(200, "text/plain", request.secure() ? "secure" : "plain")), TlsDetectorTest::bare);
    }

    private static HttpClient trusting(TlsIdentity identity) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("stratus", identity.authority());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).build();
    }

    @Test
    void aTlsConnectionWaitsForTheIdentityWhilePlainHttpIsServed() throws Exception {
        CompletableFuture<TlsIdentity> tls = new CompletableFuture<>();
        Edge edge = edge(tls);
        TlsIdentity identity = TlsIdentity.open(dir, "localhost");
        try (HttpClient https = trusting(identity); HttpClient plain = HttpClient.newHttpClient()) {
            CompletableFuture<java.net.http.HttpResponse<String>> secure = https.sendAsync(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + edge.port() + "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            // Meanwhile plain HTTP on the same port goes on.
            assertThat(plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("plain");
            Thread.sleep(200);
            assertThat(secure).isNotDone();

            tls.complete(identity);
            assertThat(secure.get(10, TimeUnit.SECONDS).body()).isEqualTo("secure");
        } finally {
            edge.close();
        }
    }

    @Test
    void withoutAnIdentityATlsConnectionIsClosed() throws Exception {
        CompletableFuture<TlsIdentity> tls = new CompletableFuture<>();
        Edge edge = edge(tls);
        try (HttpClient https = trusting(TlsIdentity.open(dir, "localhost"))) {
            CompletableFuture<java.net.http.HttpResponse<String>> secure = https.sendAsync(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + edge.port() + "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            tls.completeExceptionally(new IllegalStateException("no TLS here"));
            assertThatThrownBy(() -> secure.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
        } finally {
            edge.close();
        }
    }
}
