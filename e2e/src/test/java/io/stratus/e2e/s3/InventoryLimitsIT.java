package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.e2e.RawHttp;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.InventoryConfiguration;
import software.amazon.awssdk.services.s3.model.InventoryFormat;
import software.amazon.awssdk.services.s3.model.InventoryFrequency;
import software.amazon.awssdk.services.s3.model.InventoryIncludedObjectVersions;

/** S3 Inventory's limits and required parameters: at most 1,000 configurations per bucket, and no operation on one without its id. */
@StratusTest
class InventoryLimitsIT {

    private static InventoryConfiguration configuration(String id) {
        return InventoryConfiguration.builder().id(id).isEnabled(true)
                .destination(d -> d.s3BucketDestination(b -> b.bucket("arn:aws:s3:::inv-limits").format(InventoryFormat.CSV)))
                .includedObjectVersions(InventoryIncludedObjectVersions.CURRENT).schedule(s -> s.frequency(InventoryFrequency.DAILY)).build();
    }

    @Test
    void aBucketTakesAThousandConfigurations(S3Client s3) {
        s3.createBucket(b -> b.bucket("inv-limits"));
        for (int i = 0; i < 1000; i++) {
            String id = "c" + i;
            s3.putBucketInventoryConfiguration(b -> b.bucket("inv-limits").id(id).inventoryConfiguration(configuration(id)));
        }

        assertS3Error(() -> s3.putBucketInventoryConfiguration(b -> b.bucket("inv-limits").id("one-more")
                .inventoryConfiguration(configuration("one-more"))), 400, "TooManyConfigurations");
        // Replacing one of them is no new configuration; deleting one makes room.
        s3.putBucketInventoryConfiguration(b -> b.bucket("inv-limits").id("c7").inventoryConfiguration(configuration("c7").toBuilder()
                .schedule(s -> s.frequency(InventoryFrequency.WEEKLY)).build()));
        s3.deleteBucketInventoryConfiguration(b -> b.bucket("inv-limits").id("c8"));
        s3.putBucketInventoryConfiguration(b -> b.bucket("inv-limits").id("one-more").inventoryConfiguration(configuration("one-more")));

        assertThat(s3.getBucketInventoryConfiguration(b -> b.bucket("inv-limits").id("c7")).inventoryConfiguration().schedule().frequency())
                .isEqualTo(InventoryFrequency.WEEKLY);
        assertS3Error(() -> s3.getBucketInventoryConfiguration(b -> b.bucket("inv-limits").id("c8")), 404, "NoSuchConfiguration");
    }

    @Test
    void anOperationOnOneConfigurationNeedsItsId(S3Client s3, Stratus stratus) throws Exception {
        s3.createBucket(b -> b.bucket("inv-ids"));
        String document = "<InventoryConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Id>kept</Id><IsEnabled>true</IsEnabled>"
                + "<Destination><S3BucketDestination><Bucket>arn:aws:s3:::inv-ids</Bucket><Format>CSV</Format></S3BucketDestination></Destination>"
                + "<IncludedObjectVersions>Current</IncludedObjectVersions><Schedule><Frequency>Daily</Frequency></Schedule></InventoryConfiguration>";
        try (RawHttp raw = new RawHttp(stratus.port())) {
            assertThat(raw.send("PUT /inv-ids?inventory HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + document.length() + "\r\n\r\n" + document)
                    .readResponse()).startsWith("HTTP/1.1 400").contains("<Code>InvalidArgument</Code>");
        }
        try (RawHttp raw = new RawHttp(stratus.port())) {
            assertThat(raw.send("DELETE /inv-ids?inventory HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse())
                    .startsWith("HTTP/1.1 400").contains("<Code>InvalidArgument</Code>");
        }
        try (RawHttp raw = new RawHttp(stratus.port())) {
            assertThat(raw.send("PUT /inv-ids?inventory&id= HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + document.length() + "\r\n\r\n"
                    + document).readResponse()).startsWith("HTTP/1.1 400").contains("<Code>InvalidArgument</Code>");
        }
        // Without an id, GET lists the configurations: none was kept.
        assertThat(s3.listBucketInventoryConfigurations(b -> b.bucket("inv-ids")).inventoryConfigurationList()).isEmpty();
    }
}
