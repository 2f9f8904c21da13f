package io.stratus.s3;

import io.stratus.core.AwsException;
import io.stratus.storage.StoreReader;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * How an object says it is encrypted at rest: SSE-S3 ({@code AES256}), SSE-KMS ({@code aws:kms},
 * {@code aws:kms:dsse}, with a key and maybe an S3 Bucket Key) or SSE-C (a key the client sends
 * with every request, of which only its MD5 is kept). Stratus encrypts nothing on disk; it keeps
 * and reports what the client or the bucket's default asked for, and asks SSE-C's clients for
 * their key on every read as S3 does, so that code written against S3 meets the same answers. S3
 * takes SSE-C only over HTTPS; Stratus serves HTTP and takes it there.
 *
 * @param algorithm {@code AES256}, {@code aws:kms} or {@code aws:kms:dsse}; null for SSE-C
 * @param kmsKeyId the KMS key's ARN, for SSE-KMS
 * @param bucketKeyEnabled whether SSE-KMS uses an S3 Bucket Key (true), else null
 * @param customerAlgorithm {@code AES256} for SSE-C, else null
 * @param customerKeyMd5 the base64 MD5 of an SSE-C key, never the key
 */
record Encryption(String algorithm, String kmsKeyId, Boolean bucketKeyEnabled, String customerAlgorithm, String customerKeyMd5) {

    /** SSE-S3, S3's default since 2023, and what an object stored before Stratus kept encryption reports. */
    static final Encryption SSE_S3 = new Encryption("AES256", null, null, null, null);

    private static final String HEADER = "x-amz-server-side-encryption";
    private static final Set<String> ALGORITHMS = Set.of("AES256", "aws:kms", "aws:kms:dsse");
    private static final String STORED_WITH_SSE_C = "The object was stored using a form of Server Side Encryption. "
            + "The correct parameters must be provided to retrieve the object.";
    private static final String NOT_APPLICABLE = "The encryption parameters are not applicable to this object.";

    /** Whether the object's key is the client's (SSE-C). */
    boolean customerKey() {
        return customerAlgorithm != null;
    }

    /**
     * The response headers that report this encryption, named after {@code x-amz-server-side-encryption}
     * (for a {@code @HttpPrefixHeaders} member of that prefix).
     */
    static Map<String, String> headers(Encryption encryption) {
        Encryption reported = encryption == null ? SSE_S3 : encryption;
        Map<String, String> headers = new LinkedHashMap<>();
        if (reported.customerKey()) {
            headers.put("-customer-algorithm", reported.customerAlgorithm());
            headers.put("-customer-key-MD5", reported.customerKeyMd5());
            return headers;
        }
        headers.put("", reported.algorithm());
        if (reported.kmsKeyId() != null) {
            headers.put("-aws-kms-key-id", reported.kmsKeyId());
        }
        if (Boolean.TRUE.equals(reported.bucketKeyEnabled())) {
            headers.put("-bucket-key-enabled", "true");
        }
        return headers;
    }

    /**
     * The encryption a write asks for with its {@code x-amz-server-side-encryption*} headers (named
     * after that prefix), checked as S3 checks them; without any, the bucket's default.
     *
     * @throws AwsException {@code InvalidArgument}, {@code InvalidEncryptionAlgorithmError}
     */
    static Encryption forWrite(Map<String, String> headers, StoreReader reader, Bucket bucket) {
        Map<String, String> sent = headers == null ? Map.of() : headers;
        Map<String, String> customer = customerHeaders(sent);
        String algorithm = trimmed(sent.get(""));
        String kmsKeyId = trimmed(sent.get("-aws-kms-key-id"));
        if (!customer.isEmpty()) {
            if (algorithm != null || kmsKeyId != null) {
                throw invalidArgument("Server Side Encryption with Customer provided key is incompatible with the encryption method specified.");
            }
            return new Encryption(null, null, null, "AES256", customerKeyMd5(customer));
        }
        if (algorithm == null) {
            if (kmsKeyId != null) {
                throw invalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms");
            }
            return bucketDefault(reader, bucket);
        }
        if (!ALGORITHMS.contains(algorithm)) {
            throw S3Errors.invalidArgument("The encryption method specified is not supported", HEADER, algorithm);
        }
        if (algorithm.equals("AES256")) {
            if (kmsKeyId != null) {
                throw invalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms");
            }
            return SSE_S3;
        }
        boolean bucketKey = Boolean.parseBoolean(trimmed(sent.get("-bucket-key-enabled")));
        return new Encryption(algorithm, kmsKeyArn(kmsKeyId, bucket), bucketKey ? Boolean.TRUE : null, null, null);
    }

    /**
     * The encryption a bucket's default gives a new object: its first rule's (SSE-S3 when it has
     * none). A KMS default without a key uses the account's AWS managed key for S3.
     */
    private static Encryption bucketDefault(StoreReader reader, Bucket bucket) {
        byte[] document = BucketStore.config(reader, bucket.name(), BucketConfig.ENCRYPTION.subresource()).orElse(null);
        if (document == null || document.length == 0) {
            return SSE_S3;
        }
        try {
            NodeList rules = XmlDocuments.dom(document).getElementsByTagNameNS("*", "Rule");
            if (rules.getLength() == 0) {
                return SSE_S3;
            }
            Element rule = (Element) rules.item(0);
            String algorithm = text(rule, "SSEAlgorithm");
            if (algorithm == null || algorithm.equals("AES256") || !ALGORITHMS.contains(algorithm)) {
                return SSE_S3;
            }
            boolean bucketKey = Boolean.parseBoolean(text(rule, "BucketKeyEnabled"));
            return new Encryption(algorithm, kmsKeyArn(text(rule, "KMSMasterKeyID"), bucket), bucketKey ? Boolean.TRUE : null, null, null);
        } catch (Exception e) {
            return SSE_S3; // a stored configuration was checked when it was put
        }
    }

    /**
     * A KMS key as S3 reports it, an ARN: a key ARN or alias ARN as given, a key id or
     * {@code alias/…} made into one in the bucket's region and account. Without one, the key ARN of
     * the account's AWS managed key for S3 ({@code aws/s3}) in that region: Stratus has no KMS, so
     * its key id is derived from the account and region, the same each time.
     */
    private static String kmsKeyArn(String keyId, Bucket bucket) {
        String prefix = "arn:aws:kms:" + bucket.region() + ":" + bucket.account() + ":";
        if (keyId == null || keyId.isEmpty()) {
            return prefix + "key/" + java.util.UUID.nameUUIDFromBytes(("aws/s3 " + bucket.account() + " " + bucket.region())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (keyId.startsWith("arn:")) {
            return keyId;
        }
        return prefix + (keyId.startsWith("alias/") ? keyId : "key/" + keyId);
    }

    /**
     * Checks the SSE-C key a GetObject or HeadObject sends ({@code x-amz-server-side-encryption-customer-*},
     * named after that prefix) against the object's: an SSE-C object needs its key ({@code InvalidRequest}
     * without it, {@code AccessDenied} for another), and another object takes none.
     */
    void checkRead(Map<String, String> customerHeaders) {
        checkKey(customerHeaders, STORED_WITH_SSE_C, NOT_APPLICABLE);
    }

    /** {@link #checkRead} for an object read with its key, or without one for an object not under SSE-C; {@code encryption} may be null. */
    static void checkRead(Encryption encryption, Map<String, String> customerHeaders) {
        (encryption == null ? SSE_S3 : encryption).checkRead(customerHeaders);
    }

    /**
     * Checks the key an UploadPart sends against its upload's: a part of an SSE-C upload needs the
     * upload's key ({@code InvalidRequest} without it, {@code InvalidArgument} for another).
     */
    static void checkPart(Encryption upload, Map<String, String> customerHeaders) {
        Encryption encryption = upload == null ? SSE_S3 : upload;
        Map<String, String> sent = customerHeaders == null ? Map.of() : customerHeaders;
        if (!encryption.customerKey()) {
            if (!sent.isEmpty()) {
                throw AwsException.of(S3Errors.INVALID_REQUEST, NOT_APPLICABLE);
            }
            return;
        }
        if (sent.isEmpty()) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "The multipart upload initiate requested encryption. "
                    + "Subsequent part requests must include the appropriate encryption parameters.");
        }
        if (!customerKeyMd5(sent).equals(encryption.customerKeyMd5())) {
            throw invalidArgument("The provided encryption parameters did not match the ones used originally.");
        }
    }

    private void checkKey(Map<String, String> customerHeaders, String missing, String notApplicable) {
        Map<String, String> sent = customerHeaders == null ? Map.of() : customerHeaders;
        if (!customerKey()) {
            if (!sent.isEmpty()) {
                throw AwsException.of(S3Errors.INVALID_REQUEST, notApplicable);
            }
            return;
        }
        if (sent.isEmpty()) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, missing);
        }
        if (!customerKeyMd5(sent).equals(customerKeyMd5)) {
            throw AwsException.of(S3Errors.ACCESS_DENIED, "Access Denied");
        }
    }

    /** The {@code -customer-*} headers of a write's {@code x-amz-server-side-encryption*}, named after {@code -customer-}. */
    private static Map<String, String> customerHeaders(Map<String, String> headers) {
        Map<String, String> customer = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (name.startsWith("-customer-")) {
                customer.put(name.substring("-customer-".length()), value);
            }
        });
        return customer;
    }

    /**
     * Checks SSE-C headers ({@code algorithm}, {@code key}, {@code key-md5}) as S3 does and answers
     * the key's MD5, base64: the algorithm must be AES256, the key base64 of 256 bits, its MD5 the
     * one sent.
     */
    private static String customerKeyMd5(Map<String, String> customer) {
        String algorithm = trimmed(customer.get("algorithm"));
        if (algorithm == null) {
            throw invalidArgument("Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.");
        }
        if (!algorithm.equals("AES256")) {
            java.util.Map<String, String> details = new LinkedHashMap<>();
            details.put("ArgumentName", HEADER);
            details.put("ArgumentValue", algorithm);
            throw new AwsException(S3Errors.INVALID_ENCRYPTION_ALGORITHM, "The Encryption request you specified is not valid. Supported value: AES256.",
                    details, null);
        }
        String key = trimmed(customer.get("key"));
        if (key == null) {
            throw invalidArgument("Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.");
        }
        byte[] keyBytes;
        try {
            keyBytes = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw invalidArgument("The secret key was invalid for the specified algorithm.");
        }
        if (keyBytes.length != 32) {
            throw invalidArgument("The secret key was invalid for the specified algorithm.");
        }
        String md5 = trimmed(customer.get("key-md5"));
        if (md5 == null) {
            throw invalidArgument("Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.");
        }
        byte[] computed = Digests.md5().digest(keyBytes);
        byte[] claimed;
        try {
            claimed = Base64.getDecoder().decode(md5);
        } catch (IllegalArgumentException e) {
            claimed = new byte[0];
        }
        if (!MessageDigest.isEqual(computed, claimed)) {
            throw invalidArgument("The calculated MD5 hash of the key did not match the hash that was provided.");
        }
        return Base64.getEncoder().encodeToString(computed);
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String text(Element parent, String name) {
        NodeList found = parent.getElementsByTagNameNS("*", name);
        return found.getLength() == 0 ? null : trimmed(found.item(0).getTextContent());
    }

    private static AwsException invalidArgument(String message) {
        return AwsException.of(S3Errors.INVALID_ARGUMENT, message);
    }
}
