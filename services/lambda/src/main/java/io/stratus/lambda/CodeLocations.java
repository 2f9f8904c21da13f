package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.RequestContext;
import io.stratus.protocol.HttpEndpoint;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.storage.Key;
import io.stratus.storage.Store;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where a client downloads a function's or a layer version's zip: GetFunction's {@code Code.Location}
 * and the layer operations' {@code Content.Location}. AWS hands out a presigned S3 URL valid for
 * ten minutes; Stratus hands out {@code <endpoint>/_aws/lambda-code/<token>} and serves it itself
 * (this class is that endpoint), where the token names the zip's file under the Lambda data
 * directory and the URL's expiry, signed with HMAC-SHA256 under a key kept in the store (so URLs
 * outlive a restart and every node of a cluster accepts them). Like a presigned URL it needs no
 * credentials, and it answers what S3 answers for one: {@code AccessDenied} once expired,
 * {@code SignatureDoesNotMatch} when altered or used with another method than GET,
 * {@code NoSuchKey} when the code is gone. Thread-safe.
 */
final class CodeLocations implements HttpEndpoint {

    /** The label the endpoint is addressed under: {@code /_aws/lambda-code/<token>}. */
    static final String LABEL = "lambda-code";
    /** How long a URL is valid, as AWS's. */
    static final Duration VALIDITY = Duration.ofMinutes(10);

    private static final String SECRETS = "lambda.secrets";
    private static final byte[] SIGNING_KEY = Key.builder().add("code-locations").build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Store store;
    private final Path dataDir;
    private final URI endpoint;
    private final Clock clock;
    private volatile SecretKeySpec key;

    /**
     * @param dataDir the Lambda data directory the zips' paths are relative to
     * @param endpoint the server's address as clients know it, which the URLs start with
     */
    CodeLocations(Store store, Path dataDir, URI endpoint, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A URL, valid for {@link #VALIDITY}, that downloads {@code zip} (a file under the data directory). */
    String url(Path zip) {
        String relative = dataDir.relativize(zip).toString();
        long expires = clock.instant().plus(VALIDITY).getEpochSecond();
        byte[] claim = (relative + "\n" + expires).getBytes(StandardCharsets.UTF_8);
        String base = endpoint.toString().replaceAll("/+$", "");
        return base + "/_aws/" + LABEL + "/" + BASE64URL.encodeToString(claim) + "." + BASE64URL.encodeToString(sign(claim));
    }

    @Override
    public HttpResponse handle(RequestContext context, String token, HttpRequest request) {
        int dot = token.indexOf('.');
        byte[] claim;
        byte[] signature;
        try {
            claim = Base64.getUrlDecoder().decode(token.substring(0, Math.max(dot, 0)));
            signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return signatureDoesNotMatch(context);
        }
        // The signature covers the method too, as a presigned GET's does.
        if (dot <= 0 || !request.method().equals("GET") || !MessageDigest.isEqual(signature, sign(claim))) {
            return signatureDoesNotMatch(context);
        }
        String[] parts = new String(claim, StandardCharsets.UTF_8).split("\n", -1);
        if (parts.length != 2 || clock.instant().getEpochSecond() > Long.parseLong(parts[1])) {
            return error(context, 403, "AccessDenied", "Request has expired");
        }
        Path zip = dataDir.resolve(parts[0]).normalize();
        try {
            // Opened before answering: a sweep that removes the file afterwards leaves this read whole.
            FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ);
            try {
                return HttpResponse.streaming(200, Channels.newInputStream(channel), channel.size()).header("Content-Type", "application/zip");
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            return error(context, 404, "NoSuchKey", "The specified key does not exist.");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private byte[] sign(byte[] claim) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            return mac.doFinal(claim);
        } catch (GeneralSecurityException e) {
            // Every Java platform provides HmacSHA256.
            throw new IllegalStateException(e);
        }
    }

    /** The signing key: made once per store (the first node to need it writes it), then cached. */
    private SecretKeySpec key() {
        SecretKeySpec cached = key;
        if (cached == null) {
            byte[] bytes = store.transaction(txn -> {
                byte[] existing = txn.get(SECRETS, SIGNING_KEY);
                if (existing != null) {
                    return existing;
                }
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                txn.put(SECRETS, SIGNING_KEY, fresh);
                return fresh;
            });
            cached = new SecretKeySpec(bytes, "HmacSHA256");
            key = cached;
        }
        return cached;
    }

    private static HttpResponse signatureDoesNotMatch(RequestContext context) {
        return error(context, 403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    }

    /** An error as S3 answers a presigned URL: its XML shape. */
    private static HttpResponse error(RequestContext context, int status, String code, String message) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>" + context.requestId() + "</RequestId></Error>";
        return HttpResponse.of(status, "application/xml", xml);
    }
}
