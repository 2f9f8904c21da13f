package io.stratus.protocol.auth;

import static io.stratus.core.CommonErrors.BAD_DIGEST;
import static io.stratus.core.CommonErrors.INCOMPLETE_BODY;
import static io.stratus.core.CommonErrors.INVALID_REQUEST;
import static io.stratus.core.CommonErrors.SIGNATURE_DOES_NOT_MATCH;
import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decodes an {@code aws-chunked} body as it streams in, never holding more than one buffer:
 * {@code <hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n} chunks, a zero-size final chunk, then
 * optional trailer lines and an empty line. It verifies, when asked, each chunk's signature
 * (chained from the request's seed signature), the trailer's signature, the trailer checksum
 * against one computed over the data, and the decoded length against
 * {@code x-amz-decoded-content-length}.
 *
 * <p>A chunk's bytes are returned before its signature (at the chunk's end) and the checksum (at
 * the body's end) can be checked, as with S3 itself: a consumer must not commit what it read until
 * {@link #read()} has returned {@code -1}. Failures are thrown from {@code read} as the unchecked
 * {@link AwsException}, and again from every later call; I/O failures of the source stay
 * {@link IOException}s. Errors, as S3 answers them: a wrong chunk or trailer signature is
 * {@code SignatureDoesNotMatch} (403); a body that ends early is {@code IncompleteBody} "The
 * request body terminated unexpectedly" (S3's words, quoted in aws/aws-sdk-java-v2#2908), and so
 * is broken framing; a decoded length other than the declared one is {@code IncompleteBody} "You
 * did not provide the number of bytes specified by the Content-Length HTTP header" with
 * {@code NumberBytesExpected} and {@code NumberBytesProvided} (versity/versitygw#1684 quotes S3);
 * a missing checksum trailer is {@code MalformedTrailerError}; a wrong one is {@code BadDigest}
 * "The CRC32 you specified did not match the calculated checksum." S3 also refuses non-final
 * chunks under 8 KiB; this stream accepts them.
 *
 * <p>Not thread-safe, like any {@link InputStream}.
 */
public final class AwsChunkedInputStream extends InputStream {

    static final String TRUNCATED = "The request body terminated unexpectedly";
    static final String LENGTH_MISMATCH = "You did not provide the number of bytes specified by the Content-Length HTTP header";
    static final String MALFORMED_TRAILER =
            "The request contained trailing data that was not well-formed or did not conform to our published schema.";

    private static final int BUFFER_SIZE = 16 * 1024;
    private static final int MAX_LINE = 4096;
    private static final String CHUNK_SIGNATURE = "chunk-signature=";
    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

    private final InputStream source;
    private final StreamingPayload payload;
    private final Optional<SeedSignature> seed;
    private final Optional<ChecksumAlgorithm> trailerChecksum;
    private final OptionalLong decodedContentLength;

    private final byte[] buffer = new byte[BUFFER_SIZE];
    private final byte[] single = new byte[1];
    private final MessageDigest chunkDigest;
    private final ChecksumAlgorithm.Running checksum;
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private int position;
    private int limit;
    private long chunkRemaining;
    private boolean inChunk;
    private boolean finished;
    private long decodedBytes;
    private String claimedSignature;
    private String previousSignature;
    private Map<ChecksumAlgorithm, String> checksums;
    private AwsException failure;

    /**
     * @param source the raw body
     * @param payload what {@code x-amz-content-sha256} announced
     * @param seed where chunk signatures chain from; empty to read signed chunks without checking
     *     them (authentication off)
     * @param trailerChecksum the checksum named by {@code x-amz-trailer}, computed while reading and
     *     checked against the trailer
     * @param decodedContentLength {@code x-amz-decoded-content-length}, if sent
     */
    public AwsChunkedInputStream(InputStream source, StreamingPayload payload, Optional<SeedSignature> seed,
            Optional<ChecksumAlgorithm> trailerChecksum, OptionalLong decodedContentLength) {
        this.source = requireNonNull(source, "source is null");
        this.payload = requireNonNull(payload, "payload is null");
        this.seed = requireNonNull(seed, "seed is null");
        this.trailerChecksum = requireNonNull(trailerChecksum, "trailerChecksum is null");
        this.decodedContentLength = requireNonNull(decodedContentLength, "decodedContentLength is null");
        boolean verifying = payload.signedChunks() && seed.isPresent();
        this.chunkDigest = verifying ? Sha256.newDigest() : null;
        this.previousSignature = seed.map(SeedSignature::signature).orElse(null);
        this.checksum = trailerChecksum.map(ChecksumAlgorithm::start).orElse(null);
    }

    /** Whether a request's body is aws-chunked, by {@code Content-Encoding} or a {@code STREAMING-} payload marker. */
    public static boolean isAwsChunked(SignableRequest request) {
        List<String> contentSha256 = request.headerValues("x-amz-content-sha256");
        if (!contentSha256.isEmpty() && contentSha256.getFirst().startsWith("STREAMING-")) {
            return true;
        }
        for (String value : request.headerValues("content-encoding")) {
            if (value.toLowerCase(Locale.ROOT).contains("aws-chunked")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The decoder for a request's body, configured from its {@code x-amz-content-sha256},
     * {@code x-amz-trailer} and {@code x-amz-decoded-content-length} headers. A body that is
     * aws-chunked by {@code Content-Encoding} alone is read as unsigned chunks.
     */
    public static AwsChunkedInputStream forRequest(InputStream source, SignableRequest request, Optional<SeedSignature> seed) {
        StreamingPayload payload = request.firstHeader("x-amz-content-sha256")
                .flatMap(StreamingPayload::fromContentSha256).orElse(StreamingPayload.UNSIGNED_WITH_TRAILER);
        Optional<ChecksumAlgorithm> trailer = request.firstHeader("x-amz-trailer").map(name -> ChecksumAlgorithm.fromHeaderName(name)
                .orElseThrow(() -> new AwsException(INVALID_REQUEST, "The value specified in the x-amz-trailer header is not supported")));
        OptionalLong decodedLength = OptionalLong.empty();
        Optional<String> declared = request.firstHeader("x-amz-decoded-content-length");
        if (declared.isPresent()) {
            try {
                decodedLength = OptionalLong.of(Long.parseUnsignedLong(declared.get().strip()));
            } catch (NumberFormatException e) {
                throw new AwsException(SigV4Errors.INVALID_ARGUMENT, "x-amz-decoded-content-length must be a non-negative integer",
                        Map.of("ArgumentName", "x-amz-decoded-content-length", "ArgumentValue", declared.get()), null);
            }
        }
        return new AwsChunkedInputStream(source, payload, seed, trailer, decodedLength);
    }

    @Override
    public int read() throws IOException {
        return read(single, 0, 1) < 0 ? -1 : single[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) {
            throw failure;
        }
        if (len == 0) {
            return 0;
        }
        try {
            while (chunkRemaining == 0) {
                if (finished) {
                    return -1;
                }
                if (inChunk) {
                    endChunk();
                }
                startChunk();
            }
            int n = (int) Math.min(len, chunkRemaining);
            if (position == limit && n >= buffer.length) {
                // Large reads bypass the buffer.
                n = source.read(b, off, n);
                if (n <= 0) {
                    throw new AwsException(INCOMPLETE_BODY, TRUNCATED);
                }
            } else {
                if (position == limit && !fill()) {
                    throw new AwsException(INCOMPLETE_BODY, TRUNCATED);
                }
                n = Math.min(n, limit - position);
                System.arraycopy(buffer, position, b, off, n);
                position += n;
            }
            if (chunkDigest != null) {
                chunkDigest.update(b, off, n);
            }
            if (checksum != null) {
                checksum.update(b, off, n);
            }
            chunkRemaining -= n;
            decodedBytes += n;
            if (decodedContentLength.isPresent() && decodedBytes > decodedContentLength.getAsLong()) {
                throw lengthMismatch();
            }
            return n;
        } catch (AwsException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public int available() {
        return inChunk ? (int) Math.min(limit - position, chunkRemaining) : 0;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    /** The checksums verified against the trailer, by algorithm, base64; available once the body was read to its end. */
    public Map<ChecksumAlgorithm, String> checksums() {
        requireFinished();
        return checksums;
    }

    /** The trailer headers (signature excluded), by lower-case name; available once the body was read to its end. */
    public Map<String, String> trailers() {
        requireFinished();
        return Collections.unmodifiableMap(trailers);
    }

    /** The number of decoded bytes returned so far. */
    public long decodedBytes() {
        return decodedBytes;
    }

    private void requireFinished() {
        if (!finished) {
            throw new IllegalStateException("the body has not been read to its end");
        }
    }

    private void startChunk() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new AwsException(INCOMPLETE_BODY, TRUNCATED);
        }
        int semicolon = line.indexOf(';');
        long size = parseSize((semicolon < 0 ? line : line.substring(0, semicolon)).strip());
        claimedSignature = null;
        if (semicolon >= 0) {
            String extension = line.substring(semicolon + 1).strip();
            if (extension.startsWith(CHUNK_SIGNATURE)) {
                claimedSignature = extension.substring(CHUNK_SIGNATURE.length());
            }
        }
        if (size == 0) {
            if (chunkDigest != null) {
                verify(SigV4Signer.chunkStringToSign(seed.get().amzDate(), seed.get().scope(), previousSignature, Sha256.EMPTY));
            }
            readTrailers();
            finish();
            return;
        }
        chunkRemaining = size;
        inChunk = true;
    }

    private void endChunk() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new AwsException(INCOMPLETE_BODY, TRUNCATED);
        }
        if (!line.isEmpty()) {
            throw malformed("chunk data is longer than its declared size");
        }
        inChunk = false;
        if (chunkDigest != null) {
            String chunkHash = Sha256.HEX.formatHex(chunkDigest.digest());
            verify(SigV4Signer.chunkStringToSign(seed.get().amzDate(), seed.get().scope(), previousSignature, chunkHash));
        }
    }

    private void verify(String stringToSign) {
        String expected = seed.get().signingKey().sign(stringToSign);
        if (claimedSignature == null || !MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), claimedSignature.getBytes(StandardCharsets.US_ASCII))) {
            throw new AwsException(SIGNATURE_DOES_NOT_MATCH, SigV4Verifier.S3_MISMATCH);
        }
        previousSignature = expected;
    }

    private void readTrailers() throws IOException {
        String trailerSignature = null;
        StringBuilder canonical = new StringBuilder();
        while (true) {
            String line = readLine();
            if (line == null) {
                // A body may end right after the final chunk; one that stops inside its trailer is cut short.
                if (!trailers.isEmpty() || trailerSignature != null) {
                    throw new AwsException(INCOMPLETE_BODY, TRUNCATED);
                }
                break;
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new AwsException(SigV4Errors.MALFORMED_TRAILER, MALFORMED_TRAILER);
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (name.equals(TRAILER_SIGNATURE)) {
                trailerSignature = value;
            } else {
                trailers.put(name, value);
                canonical.append(name).append(':').append(value).append('\n');
            }
        }
        if (payload.signedTrailer() && seed.isPresent()) {
            claimedSignature = trailerSignature;
            verify(SigV4Signer.trailerStringToSign(seed.get().amzDate(), seed.get().scope(), previousSignature,
                    Sha256.hex(canonical.toString())));
        }
    }

    private void finish() {
        if (decodedContentLength.isPresent() && decodedBytes != decodedContentLength.getAsLong()) {
            throw lengthMismatch();
        }
        Map<ChecksumAlgorithm, String> verified = new EnumMap<>(ChecksumAlgorithm.class);
        if (trailerChecksum.isPresent()) {
            ChecksumAlgorithm algorithm = trailerChecksum.get();
            String claimed = trailers.get(algorithm.headerName());
            if (claimed == null) {
                throw new AwsException(SigV4Errors.MALFORMED_TRAILER, MALFORMED_TRAILER);
            }
            String computed = checksum.base64();
            if (!computed.equals(claimed)) {
                throw AwsException.of(BAD_DIGEST, "The %s you specified did not match the calculated checksum.", algorithm);
            }
            verified.put(algorithm, computed);
        }
        checksums = Collections.unmodifiableMap(verified);
        finished = true;
    }

    private AwsException lengthMismatch() {
        return new AwsException(INCOMPLETE_BODY, LENGTH_MISMATCH, Map.of("NumberBytesExpected",
                Long.toString(decodedContentLength.getAsLong()), "NumberBytesProvided", Long.toString(decodedBytes)), null);
    }

    /** The next CRLF-terminated line without its CRLF; {@code null} at a clean end of the source. */
    private String readLine() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (position == limit && !fill()) {
                if (line == null) {
                    return null;
                }
                throw new AwsException(INCOMPLETE_BODY, TRUNCATED);
            }
            if (line == null) {
                line = new StringBuilder(100);
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            for (int i = start; i < position; i++) {
                line.append((char) (buffer[i] & 0xff));
            }
            if (line.length() > MAX_LINE) {
                throw malformed("a chunk header or trailer line is too long");
            }
            if (position < limit) {
                position++;
                int length = line.length();
                if (length == 0 || line.charAt(length - 1) != '\r') {
                    throw malformed("lines must end in CRLF");
                }
                line.setLength(length - 1);
                return line.toString();
            }
        }
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = source.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    private static long parseSize(String hex) {
        if (hex.isEmpty() || hex.length() > 15) {
            throw malformed("invalid chunk size '" + hex + "'");
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int digit = Character.digit(hex.charAt(i), 16);
            if (digit < 0) {
                throw malformed("invalid chunk size '" + hex + "'");
            }
            size = size << 4 | digit;
        }
        return size;
    }

    private static AwsException malformed(String detail) {
        return new AwsException(INCOMPLETE_BODY, "The request body is not valid aws-chunked encoding: " + detail + ".");
    }
}
