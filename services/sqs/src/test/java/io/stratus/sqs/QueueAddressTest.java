package io.stratus.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Queue URLs and names. */
class QueueAddressTest {

    @Test
    void readsStratusAwsAndRegionalLocalhostUrls() {
        assertThat(QueueAddress.fromUrl("http://localhost:4566/000000000000/orders", "us-east-1"))
                .isEqualTo(new QueueAddress("000000000000", "us-east-1", "orders"));
        assertThat(QueueAddress.fromUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs.fifo", "us-east-1"))
                .isEqualTo(new QueueAddress("123456789012", "eu-west-1", "jobs.fifo"));
        assertThat(QueueAddress.fromUrl("http://sqs.ap-south-1.localhost.localstack.cloud:4566/000000000000/q", "us-east-1").region())
                .isEqualTo("ap-south-1");
    }

    @Test
    void urlsWithoutAccountAndNameAreInvalidAddresses() {
        for (String url : new String[] {"http://localhost:4566/orders", "http://localhost:4566/abc/orders", "http://localhost:4566/000000000000/a/b"}) {
            assertThatThrownBy(() -> QueueAddress.fromUrl(url, "us-east-1"))
                    .as(url).isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(SqsErrors.INVALID_ADDRESS));
        }
    }

    @Test
    void buildsUrlsUnderTheBase() {
        assertThat(new QueueAddress("000000000000", "us-east-1", "orders").url(URI.create("http://localhost:4566")))
                .isEqualTo("http://localhost:4566/000000000000/orders");
    }

    @Test
    void namesFollowAwsRules() {
        QueueAddress.validateName("a-Z_0", false);
        QueueAddress.validateName("x".repeat(80), false);
        QueueAddress.validateName("x".repeat(75) + ".fifo", true);
        for (String bad : new String[] {"", "x".repeat(81), "a.b", "sp ace", "q.fifo"}) {
            assertThatThrownBy(() -> QueueAddress.validateName(bad, false)).as(bad).isInstanceOf(AwsException.class);
        }
        for (String bad : new String[] {"plain", "x".repeat(76) + ".fifo", ".fifo"}) {
            assertThatThrownBy(() -> QueueAddress.validateName(bad, true)).as(bad).isInstanceOf(AwsException.class);
        }
    }
}
