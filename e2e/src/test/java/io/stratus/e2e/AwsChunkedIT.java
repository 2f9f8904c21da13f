package io.stratus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * aws-chunked bodies (what current SDKs send for S3 uploads) are decoded at the edge, with their
 * trailing checksum verified, before any service reads them.
 */
@StratusTest
class AwsChunkedIT {

    private static final String BODY = "{\"DurationSeconds\":900}";

    private static String request(String body, String trailerChecksum) {
        String first = body.substring(0, 10);
        String second = body.substring(10);
        String chunked = Integer.toHexString(first.length()) + "\r\n" + first + "\r\n"
                + Integer.toHexString(second.length()) + "\r\n" + second + "\r\n"
                + "0\r\n" + "x-amz-checksum-crc32:" + trailerChecksum + "\r\n\r\n";
        return "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
                + "X-Amz-Target: AWSSecurityTokenServiceV20110615.GetSessionToken\r\n"
                + "Content-Encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\n"
                + "x-amz-trailer: x-amz-checksum-crc32\r\nx-amz-decoded-content-length: " + body.length() + "\r\n"
                + "Content-Length: " + chunked.length() + "\r\n\r\n" + chunked;
    }

    private static String crc32(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        long value = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    @Test
    void unsignedChunksWithTrailingChecksumAreDecoded(Stratus stratus) throws Exception {
        try (RawHttp raw = new RawHttp(stratus.port())) {
            raw.send(request(BODY, crc32(BODY)));
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 200").contains("\"Credentials\"");
        }
    }

    @Test
    void wrongTrailingChecksumIsBadDigest(Stratus stratus) throws Exception {
        try (RawHttp raw = new RawHttp(stratus.port())) {
            raw.send(request(BODY, crc32("something else")));
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 400").contains("BadDigest");
        }
    }
}
