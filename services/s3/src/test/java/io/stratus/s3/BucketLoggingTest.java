package io.stratus.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import io.stratus.protocol.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketLoggingTest {

    private static final Bucket SOURCE = new Bucket("app-data", "123456789012", "eu-west-1", 0, null, null, null, false, false);
    private static final Instant EVENT = Instant.parse("2026-12-04T23:59:58Z");
    private static final Instant DELIVERED = Instant.parse("2026-12-05T00:01:02Z");

    private static BucketLogging parse(String enabled) {
        return BucketLogging.parse(("<BucketLoggingStatus xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + enabled + "</BucketLoggingStatus>")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keysFollowTheConfiguredFormat() {
        BucketLogging simple = parse("<LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>access/</TargetPrefix></LoggingEnabled>");
        assertThat(simple.key(SOURCE, EVENT, DELIVERED, "0123456789ABCDEF")).isEqualTo("access/2026-12-05-00-01-02-0123456789ABCDEF");

        BucketLogging byEvent = parse("<LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix></TargetPrefix><TargetObjectKeyFormat>"
                + "<PartitionedPrefix><PartitionDateSource>EventTime</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled>");
        assertThat(byEvent.key(SOURCE, EVENT, DELIVERED, "0123456789ABCDEF"))
                .isEqualTo("123456789012/eu-west-1/app-data/2026/12/04/2026-12-05-00-01-02-0123456789ABCDEF");

        BucketLogging byDelivery = parse("<LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>p/</TargetPrefix><TargetObjectKeyFormat>"
                + "<PartitionedPrefix><PartitionDateSource>DeliveryTime</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled>");
        assertThat(byDelivery.key(SOURCE, EVENT, DELIVERED, "X")).isEqualTo("p/123456789012/eu-west-1/app-data/2026/12/05/2026-12-05-00-01-02-X");
    }

    @Test
    void aStatusWithoutLoggingEnabledTurnsLoggingOff() {
        assertThat(parse("")).isNull();
    }

    @Test
    void malformedStatusesAreRefused() {
        for (String enabled : new String[] {"<LoggingEnabled><TargetPrefix>p</TargetPrefix></LoggingEnabled>",
                "<LoggingEnabled><TargetBucket>logs</TargetBucket></LoggingEnabled>",
                "<LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix/><TargetObjectKeyFormat><SimplePrefix/>"
                        + "<PartitionedPrefix/></TargetObjectKeyFormat></LoggingEnabled>",
                "<LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix/><TargetObjectKeyFormat><PartitionedPrefix>"
                        + "<PartitionDateSource>Tomorrow</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled>"}) {
            assertThatThrownBy(() -> parse(enabled)).as(enabled).isInstanceOfSatisfying(AwsException.class,
                    e -> assertThat(e.errorCode().code()).isEqualTo("MalformedXML"));
        }
        assertThatThrownBy(() -> BucketLogging.parse("<Other/>".getBytes(StandardCharsets.UTF_8))).isInstanceOf(AwsException.class);
    }

    @Test
    void operationsAreNamedAsS3NamesThemInItsLogs() {
        assertThat(AccessLogLines.operation("GetObject", HttpRequest.of("GET", "/b/k", Map.of(), new byte[0]))).isEqualTo("REST.GET.OBJECT");
        assertThat(AccessLogLines.operation("PutObject", HttpRequest.of("PUT", "/b/k", Map.of("x-amz-copy-source", java.util.List.of("b/j")),
                new byte[0]))).isEqualTo("REST.COPY.OBJECT");
        assertThat(AccessLogLines.operation("PutPublicAccessBlock", HttpRequest.of("PUT", "/b?publicAccessBlock", Map.of(), new byte[0])))
                .isEqualTo("REST.PUT.PUBLIC_ACCESS_BLOCK");
        assertThat(AccessLogLines.operation("GetBucketVersioning", HttpRequest.of("GET", "/b?versioning", Map.of(), new byte[0])))
                .isEqualTo("REST.GET.VERSIONING");
        assertThat(AccessLogLines.operation("PutObjectLegalHold", HttpRequest.of("PUT", "/b/k?legal-hold&versionId=1", Map.of(), new byte[0])))
                .isEqualTo("REST.PUT.LEGAL_HOLD");
    }
}
