package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.PostObjectIT.assertError;
import static io.stratus.e2e.s3.PostObjectIT.form;
import static io.stratus.e2e.s3.PostObjectIT.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Browser form uploads against a server that does not verify signatures (the default): forms
 * without a policy are accepted, a policy's conditions are still enforced, and a policy document
 * S3 could not read is refused.
 */
@StratusTest
class PostObjectUnsignedIT {

    private static final byte[] FILE = "content".getBytes(StandardCharsets.UTF_8);

    @Test
    void formWithoutPolicyUploads(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("open-form"));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "${filename}");
        fields.put("x-amz-meta-from", "browser");
        assertThat(post(stratus.endpoint().resolve("/open-form"), form(fields, "photo.jpg", FILE)).statusCode()).isEqualTo(204);
        assertThat(s3.headObject(r -> r.bucket("open-form").key("photo.jpg")).metadata()).containsEntry("from", "browser");
    }

    @Test
    void checksumFieldsAreCheckedAndKept(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("form-checksums"));
        URI uri = stratus.endpoint().resolve("/form-checksums");
        String sha256 = io.stratus.protocol.auth.ChecksumAlgorithm.SHA256.compute(FILE);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "summed");
        fields.put("x-amz-checksum-sha256", sha256);
        java.net.http.HttpResponse<String> ok = post(uri, form(fields, "x", FILE));
        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(ok.headers().firstValue("x-amz-checksum-sha256")).hasValue(sha256);
        assertThat(s3.headObject(r -> r.bucket("form-checksums").key("summed")
                .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED)).checksumSHA256()).isEqualTo(sha256);
        fields.put("key", "wrong");
        fields.put("x-amz-checksum-sha256", io.stratus.protocol.auth.ChecksumAlgorithm.SHA256.compute(new byte[1]));
        assertError(post(uri, form(fields, "x", FILE)), 400, "BadDigest", "The SHA256 you specified did not match the calculated checksum.");
        assertThat(s3.listObjectsV2(r -> r.bucket("form-checksums")).contents()).extracting(o -> o.key()).containsExactly("summed");
    }

    @Test
    void conditionsHoldWithoutSignatureChecks(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("checked-form"));
        URI uri = stratus.endpoint().resolve("/checked-form");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "other");
        Map<String, String> signed = PostObjectIT.sign(fields, Instant.now().plusSeconds(600), List.of(Map.of("key", "mine")), "anything");
        assertError(post(uri, form(signed, "x", FILE)), 403, "AccessDenied",
                "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\", \"mine\"]");
        signed.put("x-amz-signature", "0".repeat(64));
        signed.put("key", "mine");
        assertThat(post(uri, form(signed, "x", FILE)).statusCode()).isEqualTo(204);
    }

    @Test
    void bodiesThatAreNotFormsAreRefused(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("not-a-form"));
        java.net.http.HttpResponse<String> notAForm = post(stratus.endpoint().resolve("/not-a-form"), "key=k".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertError(notAForm, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
        assertThat(notAForm.body()).contains("<Condition>Bucket POST must be of the enclosure-type multipart/form-data</Condition>");
        // The fields before the file may hold 20 KiB, one field or many.
        Map<String, String> large = new LinkedHashMap<>();
        large.put("key", "k");
        large.put("x-amz-meta-big", "x".repeat(21 * 1024));
        assertError(post(stratus.endpoint().resolve("/not-a-form"), form(large, "x", FILE)), 400, "MaxPostPreDataLengthExceeded",
                "Your POST request fields preceding the upload file were too large.");
        large.put("x-amz-meta-big", "x".repeat(12 * 1024));
        large.put("x-amz-meta-more", "x".repeat(12 * 1024));
        assertError(post(stratus.endpoint().resolve("/not-a-form"), form(large, "x", FILE)), 400, "MaxPostPreDataLengthExceeded", null);
        // A form whose parts carry no name is not well-formed.
        byte[] nameless = ("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8);
        assertError(post(stratus.endpoint().resolve("/not-a-form"), nameless, "multipart/form-data; boundary=b"), 400, "MalformedPOSTRequest", null);
    }

    @Test
    void unreadablePoliciesAreInvalidPolicyDocument(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("bad-policy"));
        URI uri = stratus.endpoint().resolve("/bad-policy");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "k");
        Map<String, String> signed = PostObjectIT.sign(fields, Instant.now().plusSeconds(600), List.of(Map.of("key", "k")), "test");
        for (Map.Entry<String, String> policy : Map.of(
                "{not json", "Invalid Policy: Invalid JSON.",
                "{\"conditions\": []}", "Invalid Policy: Policy missing expiration.",
                "{\"expiration\": \"2100-01-01T00:00:00Z\"}", "Invalid Policy: Policy missing conditions.",
                "{\"expiration\": \"2100-01-01T00:00:00Z\", \"conditions\": [[\"matches\", \"$key\", \"k\"]]}",
                "Invalid Policy: Invalid Condition: unknown operation 'matches'.").entrySet()) {
            signed.put("policy", Base64.getEncoder().encodeToString(policy.getKey().getBytes(StandardCharsets.UTF_8)));
            assertError(post(uri, form(signed, "x", FILE)), 400, "InvalidPolicyDocument", policy.getValue());
        }
    }
}
