package io.stratus.e2e.s3;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Assertions on the S3 errors the SDK raises: the exact code and status. */
final class S3Assertions {

    private S3Assertions() {}

    static void assertS3Error(ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.statusCode()).as("status of %s", e.getMessage()).isEqualTo(status);
                    if (code != null) {
                        org.assertj.core.api.Assertions.assertThat(e.awsErrorDetails().errorCode()).as("code of %s", e.getMessage()).isEqualTo(code);
                    }
                });
    }
}
