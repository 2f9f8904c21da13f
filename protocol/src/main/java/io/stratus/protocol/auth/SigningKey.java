package io.stratus.protocol.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A derived SigV4 signing key: {@code HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region),
 * service), "aws4_request")}. It depends only on the secret and the credential scope, so callers
 * cache it per scope and reuse it for every request (and every aws-chunked chunk) of that day.
 * Immutable and thread-safe.
 */
public final class SigningKey {

    private static final String HMAC_SHA256 = "HmacSHA256";

    private final SecretKeySpec key;

    private SigningKey(byte[] key) {
        this.key = new SecretKeySpec(requireNonNull(key, "key is null"), HMAC_SHA256);
    }

    /** Derives the key for one credential scope. */
    public static SigningKey derive(String secretAccessKey, String date, String region, String service) {
        requireNonNull(secretAccessKey, "secretAccessKey is null");
        requireNonNull(date, "date is null");
        requireNonNull(region, "region is null");
        requireNonNull(service, "service is null");
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        return new SigningKey(hmac(key, CredentialScope.AWS4_REQUEST));
    }

    /** Derives the key for the scope a request claims. */
    public static SigningKey derive(String secretAccessKey, CredentialScope scope) {
        return derive(secretAccessKey, scope.date(), scope.region(), scope.service());
    }

    /** The hex signature of a string to sign. */
    public String sign(String stringToSign) {
        return Sha256.HEX.formatHex(mac().doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            // Every Java platform is required to provide HmacSHA256.
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        return new SigningKey(key).mac().doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        // Never print key material.
        return "SigningKey[redacted]";
    }
}
