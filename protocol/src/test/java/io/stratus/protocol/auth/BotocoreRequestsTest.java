package io.stratus.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests the real botocore signed (STS and DynamoDB posts, a Lambda path with an ARN that must be
 * double-encoded, S3 keys with every awkward character, presigned S3 and STS URLs, an aws-chunked
 * upload): each verifies, and any change to what was signed breaks it.
 */
class BotocoreRequestsTest {

    private static final SigV4Fixtures.Captured CAPTURED = SigV4Fixtures.botocore();

    static Stream<SigV4Fixtures.Request> requests() {
        return CAPTURED.requests().stream();
    }

    private static SigV4Verifier verifierAt(SigV4Auth auth) {
        return new SigV4Verifier(key -> key.equals(CAPTURED.accessKeyId()) ? Optional.of(CAPTURED.secretAccessKey()) : Optional.empty(),
                Clock.fixed(auth.requestTime(), ZoneOffset.UTC));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void verifies(SigV4Fixtures.Request captured) {
        SignableRequest.Snapshot request = captured.request();
        SigV4Auth auth = SigV4Parser.parse(request).orElseThrow();
        assertThat(SigV4Parser.credentialScope(request)).contains(auth.credential());
        verifierAt(auth).verify(request, auth, captured.payloadHash());
        if (!auth.presigned() && !auth.contentSha256().orElse("").startsWith("STREAMING-")) {
            SigV4Verifier.checkContentSha256(auth, Sha256.hex(captured.body()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void refusesTamperedRequests(SigV4Fixtures.Request captured) {
        SignableRequest.Snapshot request = captured.request();
        SigV4Auth auth = SigV4Parser.parse(request).orElseThrow();
        SigV4Verifier verifier = verifierAt(auth);
        String signedHeader = auth.signedHeaders().stream().filter(name -> !name.equals("host")).findFirst().orElse("host");
        SignableRequest.Snapshot otherHeader = request.withHeader(signedHeader, request.firstHeader(signedHeader).orElse("") + "x");
        SignableRequest.Snapshot otherQuery = request.withRawQuery(request.rawQuery().isEmpty() ? "a=b" : request.rawQuery() + "&a=b");
        SignableRequest.Snapshot otherPath = new SignableRequest.Snapshot(request.method(), request.rawPath() + "x", request.rawQuery(),
                request.headers());

        for (SignableRequest tampered : new SignableRequest[] {otherHeader, otherQuery, otherPath}) {
            assertThatThrownBy(() -> verifier.verify(tampered, auth, captured.payloadHash()))
                    .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(CommonErrors.SIGNATURE_DOES_NOT_MATCH));
        }
        assertThatThrownBy(() -> verifier.verify(request, auth, Sha256.hex("another body")))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(CommonErrors.SIGNATURE_DOES_NOT_MATCH));
    }

    @Test
    void s3ContentSha256MustMatchTheBody() {
        SigV4Fixtures.Request captured = find("botocore-s3-put-object-odd-key");
        SigV4Auth auth = SigV4Parser.parse(captured.request()).orElseThrow();
        assertThatThrownBy(() -> SigV4Verifier.checkContentSha256(auth, Sha256.hex("tampered")))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(CommonErrors.X_AMZ_CONTENT_SHA256_MISMATCH);
                    assertThat(e.details()).containsEntry("ClientComputedContentSHA256", auth.contentSha256().orElseThrow());
                });
    }

    @Test
    void decodesBotocoresAwsChunkedUploadAndItsCrc32Trailer() throws IOException {
        SigV4Fixtures.Request captured = find("botocore-s3-put-object-aws-chunked-crc32");
        SignableRequest.Snapshot request = captured.request();
        assertThat(AwsChunkedInputStream.isAwsChunked(request)).isTrue();
        SigV4Auth auth = SigV4Parser.parse(request).orElseThrow();
        SigV4Verifier verifier = verifierAt(auth);
        verifier.verify(request, auth, auth.contentSha256().orElseThrow());

        try (AwsChunkedInputStream body = AwsChunkedInputStream.forRequest(new ByteArrayInputStream(captured.body()), request,
                Optional.of(verifier.seedSignature(auth)))) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello world ".repeat(1000));
            assertThat(body.checksums()).isEqualTo(Map.of(ChecksumAlgorithm.CRC32, "vwx6Eg=="));
        }
    }

    private static SigV4Fixtures.Request find(String name) {
        return CAPTURED.requests().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }
}
