package io.stratus.protocol.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** Writes aws-chunked bodies the way the SDKs do, for tests to decode. */
final class AwsChunkedBodies {

    private AwsChunkedBodies() {}

    /**
     * {@code data} in chunks of {@code chunkSize}, signed from {@code seed} when present, then
     * {@code trailers} (signed too when {@code seed} is present and there are any).
     */
    static byte[] encode(byte[] data, int chunkSize, Optional<SeedSignature> seed, Map<String, String> trailers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String previous = seed.map(SeedSignature::signature).orElse(null);
        int offset = 0;
        while (true) {
            byte[] chunk = Arrays.copyOfRange(data, offset, Math.min(data.length, offset + chunkSize));
            StringBuilder header = new StringBuilder(Integer.toHexString(chunk.length));
            if (seed.isPresent()) {
                previous = seed.get().signingKey().sign(SigV4Signer.chunkStringToSign(seed.get().amzDate(), seed.get().scope(), previous,
                        Sha256.hex(chunk)));
                header.append(";chunk-signature=").append(previous);
            }
            write(out, header + "\r\n");
            if (chunk.length == 0) {
                break;
            }
            out.writeBytes(chunk);
            write(out, "\r\n");
            offset += chunk.length;
        }
        StringBuilder canonical = new StringBuilder();
        trailers.forEach((name, value) -> {
            write(out, name + ":" + value + "\r\n");
            canonical.append(name).append(':').append(value).append('\n');
        });
        if (seed.isPresent() && !trailers.isEmpty()) {
            write(out, "x-amz-trailer-signature:" + seed.get().signingKey().sign(SigV4Signer.trailerStringToSign(seed.get().amzDate(),
                    seed.get().scope(), previous, Sha256.hex(canonical.toString()))) + "\r\n");
        }
        write(out, "\r\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
