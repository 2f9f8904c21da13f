package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.storage.MemoryStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeLocationsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T03:00:00Z");
    private static final String PREFIX = "http://localhost:4566/_aws/lambda-code/";
    private static final RequestContext CONTEXT = new RequestContext("req-1", "000000000000", "us-east-1", "test",
            Principal.root("000000000000"), NOW);

    @TempDir
    Path dir;

    private final MemoryStore store = new MemoryStore();
    private Path zip;

    @BeforeEach
    void writeZip() throws IOException {
        zip = dir.resolve("code/000000000000/us-east-1/fn/abcd.zip");
        Files.createDirectories(zip.getParent());
        Files.writeString(zip, "zip bytes");
    }

    private CodeLocations locations(Instant now) {
        return new CodeLocations(store, dir, URI.create("http://localhost:4566"), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String token(String url) {
        assertThat(url).startsWith(PREFIX);
        return url.substring(PREFIX.length());
    }

    private static HttpResponse get(CodeLocations locations, String token) {
        return locations.handle(CONTEXT, token, HttpRequest.of("GET", "/", Map.of("Host", List.of("localhost")), new byte[0]));
    }

    private static String body(HttpResponse response) throws IOException {
        if (response.stream() == null) {
            return new String(response.body(), StandardCharsets.UTF_8);
        }
        try (InputStream in = response.stream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aUrlDownloadsTheZipUntilItExpires() throws IOException {
        String token = token(locations(NOW).url(zip));

        HttpResponse fresh = get(locations(NOW.plusSeconds(600)), token);
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(body(fresh)).isEqualTo("zip bytes");
        assertThat(fresh.headers()).contains(Map.entry("Content-Type", "application/zip"));

        HttpResponse expired = get(locations(NOW.plusSeconds(601)), token);
        assertThat(expired.status()).isEqualTo(403);
        assertThat(body(expired)).contains("<Code>AccessDenied</Code>", "<Message>Request has expired</Message>", "<RequestId>req-1</RequestId>");
    }

    @Test
    void anAlteredTokenOrAnotherMethodDoesNotMatchTheSignature() throws IOException {
        CodeLocations locations = locations(NOW);
        String token = token(locations.url(zip));
        String otherZip = token(locations.url(dir.resolve("code/000000000000/us-east-1/other/abcd.zip")));
        String forged = otherZip.substring(0, otherZip.indexOf('.')) + token.substring(token.indexOf('.'));

        for (String bad : List.of(forged, token.substring(0, token.length() - 2), "no-dot", "!!.??", "." + token)) {
            HttpResponse response = get(locations, bad);
            assertThat(response.status()).as(bad).isEqualTo(403);
            assertThat(body(response)).as(bad).contains("<Code>SignatureDoesNotMatch</Code>");
        }
        HttpResponse put = locations.handle(CONTEXT, token, HttpRequest.of("PUT", "/", Map.of("Host", List.of("localhost")), new byte[0]));
        assertThat(put.status()).isEqualTo(403);
        assertThat(body(put)).contains("<Code>SignatureDoesNotMatch</Code>");
    }

    @Test
    void theSigningKeyLivesInTheStoreSoAnotherInstanceAcceptsTheUrl() throws IOException {
        String token = token(locations(NOW).url(zip));

        assertThat(body(get(locations(NOW), token))).isEqualTo("zip bytes");
        CodeLocations otherStore = new CodeLocations(new MemoryStore(), dir, URI.create("http://localhost:4566"), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(get(otherStore, token).status()).isEqualTo(403);
    }

    @Test
    void codeThatIsGoneIsNoSuchKey() throws IOException {
        String token = token(locations(NOW).url(zip));
        Files.delete(zip);

        HttpResponse response = get(locations(NOW), token);
        assertThat(response.status()).isEqualTo(404);
        assertThat(body(response)).contains("<Code>NoSuchKey</Code>");
    }
}
