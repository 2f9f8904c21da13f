package io.stratus.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostPolicyTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private static PostPolicy parse(String json) {
        return PostPolicy.parse(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static void refused(Runnable check, S3Errors code, String message) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void conditionsAreCheckedCaseInsensitively() {
        PostPolicy policy = parse("""
                {"expiration": "2030-01-02T00:00:00.000Z", "conditions": [{"bucket": "b"}, ["starts-with", "$Key", "u/"],
                 ["eq", "$Content-Type", "text/plain"], ["starts-with", "$x-amz-meta-tag", ""], ["content-length-range", 1, 10]]}""");
        assertThat(policy.lengthRange()).contains(new PostPolicy.LengthRange(1, 10));
        policy.check(NOW, Map.of("key", "u/a", "content-type", "text/plain", "x-amz-meta-tag", "anything", "policy", "…", "x-ignore-me", "1"), "b");
        // starts-with "" allows any value, including none.
        policy.check(NOW, Map.of("key", "u/a", "content-type", "text/plain"), "b");
        refused(() -> policy.check(NOW, Map.of("key", "v/a", "content-type", "text/plain"), "b"), S3Errors.ACCESS_DENIED,
                "Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", \"u/\"]");
        refused(() -> policy.check(NOW, Map.of("key", "u/a", "content-type", "text/plain"), "c"), S3Errors.ACCESS_DENIED,
                "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$bucket\", \"b\"]");
        refused(() -> policy.check(NOW, Map.of("key", "u/a", "content-type", "text/plain", "acl", "private"), "b"), S3Errors.ACCESS_DENIED,
                "Invalid according to Policy: Extra input fields: acl");
        refused(() -> policy.check(Instant.parse("2030-01-02T00:00:00Z"), Map.of(), "b"), S3Errors.ACCESS_DENIED,
                "Invalid according to Policy: Policy expired.");
    }

    @Test
    void unreadablePoliciesAreInvalidPolicyDocument() {
        refused(() -> PostPolicy.parse("%%%"), S3Errors.INVALID_POLICY_DOCUMENT, "Invalid Policy: Invalid JSON.");
        refused(() -> parse("[]"), S3Errors.INVALID_POLICY_DOCUMENT, "Invalid Policy: Invalid JSON.");
        refused(() -> parse("{\"conditions\": []}"), S3Errors.INVALID_POLICY_DOCUMENT, "Invalid Policy: Policy missing expiration.");
        refused(() -> parse("{\"expiration\": \"2030-01-01T00:00:00Z\"}"), S3Errors.INVALID_POLICY_DOCUMENT, "Invalid Policy: Policy missing conditions.");
        refused(() -> parse("{\"expiration\": \"tomorrow\", \"conditions\": []}"), S3Errors.INVALID_POLICY_DOCUMENT,
                "Invalid Policy: Invalid 'expiration' value: 'tomorrow'");
        refused(() -> parse("{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [[\"content-length-range\", 1]]}"),
                S3Errors.INVALID_POLICY_DOCUMENT, "Invalid Policy: Invalid content-length-range Condition: [\"content-length-range\",1]");
    }
}
