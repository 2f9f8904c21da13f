package io.stratus.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The aws-chunked decoder against the worked examples in AWS's "Signature Calculations for the
 * Authorization Header: Transferring Payload in Multiple Chunks" (and its trailer variant), and
 * against every way a body can go wrong.
 */
class AwsChunkedInputStreamTest {

    // The S3 documentation's example: 65 KiB of 'a' in a 64 KiB and a 1 KiB chunk.
    private static final String DOC_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String DOC_SCOPE = "20130524/us-east-1/s3/aws4_request";
    private static final SigningKey DOC_KEY = SigningKey.derive(DOC_SECRET, "20130524", "us-east-1", "s3");
    private static final byte[] DOC_DATA = "a".repeat(66_560).getBytes(StandardCharsets.US_ASCII);
    private static final String[] DOC_SIGNATURES = {
        "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
        "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
        "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
    };
    private static final SeedSignature DOC_SEED =
            new SeedSignature(DOC_KEY, "20130524T000000Z", DOC_SCOPE, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");

    private static byte[] docBody(String... signatures) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("10000;chunk-signature=" + signatures[0] + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(Arrays.copyOf(DOC_DATA, 65_536));
        out.writeBytes(("\r\n400;chunk-signature=" + signatures[1] + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(Arrays.copyOf(DOC_DATA, 1024));
        out.writeBytes(("\r\n0;chunk-signature=" + signatures[2] + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static AwsChunkedInputStream signed(byte[] body, OptionalLong decodedLength) {
        return new AwsChunkedInputStream(new ByteArrayInputStream(body), StreamingPayload.SIGNED, Optional.of(DOC_SEED), Optional.empty(),
                decodedLength);
    }

    private static void assertRefused(InputStream in, String code, int status, String message) {
        assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream())).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.errorCode().code()).isEqualTo(code);
            assertThat(e.errorCode().httpStatus()).isEqualTo(status);
            assertThat(e.getMessage()).isEqualTo(message);
        });
        // A failed stream stays failed.
        assertThatThrownBy(in::read).isInstanceOf(AwsException.class);
    }

    @Test
    void theDocumentedRequestVerifiesAndItsBodyDecodes() throws IOException {
        byte[] body = docBody(DOC_SIGNATURES);
        assertThat(body).hasSize(66_824);
        SignableRequest.Snapshot request = SignableRequest.Snapshot.of("PUT", "/examplebucket/chunkObject.txt", "")
                .withHeader("host", "s3.amazonaws.com").withHeader("content-encoding", "aws-chunked").withHeader("content-length", "66824")
                .withHeader("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD").withHeader("x-amz-date", "20130524T000000Z")
                .withHeader("x-amz-decoded-content-length", "66560").withHeader("x-amz-storage-class", "REDUCED_REDUNDANCY")
                .withHeader("authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/" + DOC_SCOPE + ",SignedHeaders=content-encoding;"
                        + "content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,"
                        + "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
        SigV4Auth auth = SigV4Parser.parse(request).orElseThrow();
        SigV4Verifier verifier = new SigV4Verifier(key -> Optional.of(DOC_SECRET), Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"),
                ZoneOffset.UTC));
        verifier.verify(request, auth, auth.contentSha256().orElseThrow());

        try (AwsChunkedInputStream in = AwsChunkedInputStream.forRequest(new ByteArrayInputStream(body), request,
                Optional.of(verifier.seedSignature(auth)))) {
            assertThat(in.readAllBytes()).isEqualTo(DOC_DATA);
            assertThat(in.checksums()).isEmpty();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void theDocumentedSignedTrailerVerifies() throws IOException {
        SeedSignature seed = new SeedSignature(DOC_KEY, "20130524T000000Z", DOC_SCOPE,
                "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e");
        byte[] body = AwsChunkedBodies.encode(DOC_DATA, 65_536, Optional.of(seed), Map.of("x-amz-checksum-crc32c", "sOO8/Q=="));
        String text = new String(body, StandardCharsets.US_ASCII);
        // The signatures AWS publishes for this example.
        assertThat(text).contains(";chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n",
                ";chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n",
                "0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n",
                "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n");
        try (AwsChunkedInputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(body), StreamingPayload.SIGNED_WITH_TRAILER,
                Optional.of(seed), Optional.of(ChecksumAlgorithm.CRC32C), OptionalLong.of(66_560))) {
            assertThat(in.readAllBytes()).isEqualTo(DOC_DATA);
            assertThat(in.checksums()).isEqualTo(Map.of(ChecksumAlgorithm.CRC32C, "sOO8/Q=="));
            assertThat(in.trailers()).isEqualTo(Map.of("x-amz-checksum-crc32c", "sOO8/Q=="));
        }
        byte[] forged = text.replace("sOO8/Q==\r\n", "AAAAAA==\r\n").getBytes(StandardCharsets.US_ASCII);
        assertRefused(new AwsChunkedInputStream(new ByteArrayInputStream(forged), StreamingPayload.SIGNED_WITH_TRAILER, Optional.of(seed),
                Optional.of(ChecksumAlgorithm.CRC32C), OptionalLong.empty()), "SignatureDoesNotMatch", 403, SigV4Verifier.S3_MISMATCH);
    }

    static Stream<Integer> readSizes() {
        return Stream.of(1, 7, 8192, 65_536, 100_000);
    }

    @ParameterizedTest(name = "reads of {0} bytes")
    @MethodSource("readSizes")
    void decodesWhateverSizeTheReadsAre(int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AwsChunkedInputStream in = signed(docBody(DOC_SIGNATURES), OptionalLong.of(66_560))) {
            byte[] buffer = new byte[size];
            for (int n; (n = in.read(buffer, 0, size)) >= 0; ) {
                assertThat(n).isPositive();
                out.write(buffer, 0, n);
            }
            assertThat(in.decodedBytes()).isEqualTo(66_560);
        }
        assertThat(out.toByteArray()).isEqualTo(DOC_DATA);
    }

    @Test
    void decodesOneByteAtATime() throws IOException {
        try (AwsChunkedInputStream in = signed(docBody(DOC_SIGNATURES), OptionalLong.empty())) {
            int count = 0;
            for (int b; (b = in.read()) >= 0; count++) {
                assertThat(b).isEqualTo('a');
            }
            assertThat(count).isEqualTo(66_560);
        }
    }

    @Test
    void decodesManyChunksFromAStreamThatTricklesIn() throws IOException {
        byte[] data = new byte[200_003];
        new Random(7).nextBytes(data);
        byte[] body = AwsChunkedBodies.encode(data, 8192, Optional.of(DOC_SEED), Map.of());
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 3));
            }
        };
        try (AwsChunkedInputStream in = new AwsChunkedInputStream(trickle, StreamingPayload.SIGNED, Optional.of(DOC_SEED), Optional.empty(),
                OptionalLong.of(data.length))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void refusesAWrongSignatureOnAnyChunk() {
        for (int i = 0; i < DOC_SIGNATURES.length; i++) {
            String[] signatures = DOC_SIGNATURES.clone();
            signatures[i] = "1".repeat(64);
            assertRefused(signed(docBody(signatures), OptionalLong.empty()), "SignatureDoesNotMatch", 403, SigV4Verifier.S3_MISMATCH);
        }
        // Chunks swapped between bodies: each signature chains to the one before it.
        String[] reordered = {DOC_SIGNATURES[1], DOC_SIGNATURES[0], DOC_SIGNATURES[2]};
        assertRefused(signed(docBody(reordered), OptionalLong.empty()), "SignatureDoesNotMatch", 403, SigV4Verifier.S3_MISMATCH);
    }

    @Test
    void readsSignedChunksUncheckedWithoutASeed() throws IOException {
        String[] signatures = {"1".repeat(64), "2".repeat(64), "3".repeat(64)};
        try (AwsChunkedInputStream in = new AwsChunkedInputStream(new ByteArrayInputStream(docBody(signatures)), StreamingPayload.SIGNED,
                Optional.empty(), Optional.empty(), OptionalLong.empty())) {
            assertThat(in.readAllBytes()).isEqualTo(DOC_DATA);
        }
    }

    @Test
    void refusesABodyCutShortAnywhere() {
        byte[] body = docBody(DOC_SIGNATURES);
        for (int length : new int[] {0, 5, 90, 1000, 65_536 + 86, 65_536 + 88, 65_536 + 100, body.length - 90, body.length - 10}) {
            assertRefused(signed(Arrays.copyOf(body, length), OptionalLong.empty()), "IncompleteBody", 400,
                    AwsChunkedInputStream.TRUNCATED);
        }
    }

    @Test
    void refusesADecodedLengthOtherThanDeclared() {
        byte[] body = docBody(DOC_SIGNATURES);
        for (long declared : new long[] {66_559, 66_561, 0}) {
            AwsChunkedInputStream in = signed(body, OptionalLong.of(declared));
            assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream())).isInstanceOfSatisfying(AwsException.class, e -> {
                assertThat(e.errorCode().code()).isEqualTo("IncompleteBody");
                assertThat(e.getMessage()).isEqualTo(AwsChunkedInputStream.LENGTH_MISMATCH);
                assertThat(e.details()).containsEntry("NumberBytesExpected", Long.toString(declared));
            });
        }
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void verifiesTheTrailerChecksumOfEachAlgorithm(ChecksumAlgorithm algorithm) throws IOException {
        byte[] data = "hello world ".repeat(3000).getBytes(StandardCharsets.US_ASCII);
        String checksum = algorithm.compute(data);
        try (AwsChunkedInputStream in = unsignedWithTrailer(data, algorithm, checksum)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(in.checksums()).isEqualTo(Map.of(algorithm, checksum));
        }
        String wrong = algorithm.compute("something else".getBytes(StandardCharsets.US_ASCII));
        assertRefused(unsignedWithTrailer(data, algorithm, wrong), "BadDigest", 400,
                "The " + algorithm + " you specified did not match the calculated checksum.");
    }

    @Test
    void refusesAMissingTrailer() {
        byte[] body = AwsChunkedBodies.encode(new byte[100], 64, Optional.empty(), Map.of());
        assertRefused(new AwsChunkedInputStream(new ByteArrayInputStream(body), StreamingPayload.UNSIGNED_WITH_TRAILER, Optional.empty(),
                Optional.of(ChecksumAlgorithm.CRC32), OptionalLong.empty()), "MalformedTrailerError", 400, AwsChunkedInputStream.MALFORMED_TRAILER);
    }

    @Test
    void refusesBrokenFraming() {
        for (String body : new String[] {"zz\r\nhello\r\n0\r\n\r\n", "5\nhello\r\n0\r\n\r\n", "3\r\nhello\r\n0\r\n\r\n", "-5\r\nhello\r\n"}) {
            assertRefused(unsigned(body), "IncompleteBody", 400, messageOf(body));
        }
    }

    @Test
    void takesUnsignedChunksWithoutATrailer() throws IOException {
        try (AwsChunkedInputStream in = unsigned("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello world");
            assertThat(in.trailers()).isEmpty();
        }
    }

    @Test
    void checksumsWaitForTheEndOfTheBody() {
        AwsChunkedInputStream in = unsigned("5\r\nhello\r\n0\r\n\r\n");
        assertThatThrownBy(in::checksums).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesATrailerTheServiceDoesNotKnow() {
        SignableRequest request = SignableRequest.Snapshot.of("PUT", "/b/k", "").withHeader("x-amz-trailer", "x-amz-checksum-md5");
        assertThatThrownBy(() -> AwsChunkedInputStream.forRequest(InputStream.nullInputStream(), request, Optional.empty()))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode().code()).isEqualTo("InvalidRequest"));
    }

    private static String messageOf(String body) {
        return switch (body.charAt(0)) {
            case 'z' -> "The request body is not valid aws-chunked encoding: invalid chunk size 'zz'.";
            case '-' -> "The request body is not valid aws-chunked encoding: invalid chunk size '-5'.";
            case '3' -> "The request body is not valid aws-chunked encoding: chunk data is longer than its declared size.";
            default -> "The request body is not valid aws-chunked encoding: lines must end in CRLF.";
        };
    }

    private static AwsChunkedInputStream unsigned(String body) {
        return new AwsChunkedInputStream(new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)), StreamingPayload.UNSIGNED_WITH_TRAILER,
                Optional.empty(), Optional.empty(), OptionalLong.empty());
    }

    private static AwsChunkedInputStream unsignedWithTrailer(byte[] data, ChecksumAlgorithm algorithm, String checksum) {
        byte[] body = AwsChunkedBodies.encode(data, 8192, Optional.empty(), Map.of(algorithm.headerName(), checksum));
        return new AwsChunkedInputStream(new ByteArrayInputStream(body), StreamingPayload.UNSIGNED_WITH_TRAILER, Optional.empty(),
                Optional.of(algorithm), OptionalLong.of(data.length));
    }
}
