package io.stratus.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    /** What Stratus took before it checked filters and actions more closely. */
    private static final byte[] TAKEN_BEFORE = ("<LifecycleConfiguration><Rule><ID>r</ID><Status>Enabled</Status>"
            + "<Filter><Prefix>logs/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter>"
            + "<Expiration><Days>3</Days></Expiration><NoncurrentVersionExpiration/></Rule></LifecycleConfiguration>")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aClientsConfigurationIsCheckedAsS3ChecksIt() {
        assertThatThrownBy(() -> Lifecycle.check(TAKEN_BEFORE)).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.errorCode().code()).isEqualTo("MalformedXML"));
    }

    @Test
    void aStoredConfigurationStillReadsAsItWasTaken() {
        Lifecycle lifecycle = Lifecycle.parse(TAKEN_BEFORE);

        assertThat(lifecycle.rules()).singleElement().satisfies(rule -> {
            assertThat(rule.prefix()).isEqualTo("logs/");
            assertThat(rule.tags()).containsEntry("k", "v");
        });
    }
}
