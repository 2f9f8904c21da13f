package io.stratus.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectListingTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "b/c/3.txt", "ü/5.txt", "with space.txt", "\u0000x", "😀"})
    void tokensReadBackAsTheKeyTheyWereMadeOf(String key) {
        assertThat(ObjectListing.decodeToken(ObjectListing.encodeToken(key))).isEqualTo(key);
    }

    /** Tokens handed out before they carried a format byte and a check: bare base64url of the key. */
    @ParameterizedTest
    @ValueSource(strings = {"a", "b/c/3.txt", "ü/5.txt", "with space.txt"})
    void tokensOfTheEarlierFormatStillWork(String key) {
        String earlier = Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));

        assertThat(ObjectListing.decodeToken(earlier)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "", "not base64!", "YQ==", "_w", "AQ", "AQAAAABh"})
    void tokensStratusCannotHaveMadeAreRefused(String token) {
        assertThatThrownBy(() -> ObjectListing.decodeToken(token))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(S3Errors.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).isEqualTo("The continuation token provided is incorrect");
                    assertThat(e.details()).containsEntry("ArgumentName", "continuation-token").containsEntry("ArgumentValue", token);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "b/c/3.txt"})
    void aTamperedTokenIsRefused(String key) {
        byte[] token = Base64.getUrlDecoder().decode(ObjectListing.encodeToken(key));
        token[token.length - 1] ^= 1;
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(token);

        assertThatThrownBy(() -> ObjectListing.decodeToken(tampered)).isInstanceOf(AwsException.class);
    }
}
