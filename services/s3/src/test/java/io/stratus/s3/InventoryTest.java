package io.stratus.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Inventory configurations read as S3 reads them, written back, and a report's rows. */
class InventoryTest {

    private static final String DOCUMENT = """
            <InventoryConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Id>report-1</Id><IsEnabled>true</IsEnabled>
              <Destination><S3BucketDestination><AccountId>000000000000</AccountId><Bucket>arn:aws:s3:::reports</Bucket>
                <Format>CSV</Format><Prefix>inv</Prefix></S3BucketDestination></Destination>
              <Filter><Prefix>photos/</Prefix></Filter>
              <IncludedObjectVersions>All</IncludedObjectVersions>
              <OptionalFields><Field>ObjectOwner</Field><Field>ETag</Field><Field>Size</Field><Field>LastModifiedDate</Field></OptionalFields>
              <Schedule><Frequency>Weekly</Frequency></Schedule>
            </InventoryConfiguration>""";

    private static Inventory parse(String document, String id) {
        return Inventory.parse(document.getBytes(StandardCharsets.UTF_8), id);
    }

    @Test
    void readsAConfigurationAndWritesItBackTheSame() {
        Inventory inventory = parse(DOCUMENT, "report-1");
        assertThat(inventory.destinationBucket()).isEqualTo("reports");
        assertThat(inventory.destinationAccount()).isEqualTo("000000000000");
        assertThat(inventory.destinationPrefix()).isEqualTo("inv");
        assertThat(inventory.filterPrefix()).isEqualTo("photos/");
        assertThat(inventory.allVersions()).isTrue();
        assertThat(inventory.weekly()).isTrue();
        // In S3's order, whatever the document's.
        assertThat(inventory.optionalFields()).containsExactly("Size", "LastModifiedDate", "ETag", "ObjectOwner");
        assertThat(inventory.schema()).isEqualTo("Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag, ObjectOwner");
        assertThat(parse(inventory.toXml(true), "report-1")).isEqualTo(inventory);
    }

    @Test
    void rowsQuoteEveryValueAndEncodeTheKey() {
        Inventory inventory = parse(DOCUMENT, "report-1");
        StoredObject object = new StoredObject("photos/a \"b\".jpg", "v1", null, 12, "\"abc-2\"", 1_700_000_000_000L, null, null, null, null, null,
                null, null, null, false, null, null, null, null, null, null);
        Bucket bucket = new Bucket("src", "000000000000", "us-east-1", 0L, null, null, null, false, false);
        assertThat(inventory.row(bucket, null, object, true))
                .startsWith("\"src\",\"photos%2Fa%20%22b%22.jpg\",\"v1\",\"true\",\"false\",\"12\",\"2023-11-14T22:13:20.000Z\",\"abc-2\",\"")
                .endsWith(ObjectListing.owner(bucket, object).id() + "\"\n");
    }

    @Test
    void theLifecycleExpirationDateIsWhenTheRulesExpireTheCurrentObject() {
        Inventory inventory = parse(DOCUMENT.replace("<Field>ObjectOwner</Field><Field>ETag</Field><Field>Size</Field><Field>LastModifiedDate</Field>",
                "<Field>LifecycleExpirationDate</Field>"), "report-1");
        Lifecycle lifecycle = Lifecycle.parse(("<LifecycleConfiguration><Rule><ID>old</ID><Filter><Prefix>photos/</Prefix></Filter><Status>Enabled</Status>"
                + "<Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>").getBytes(StandardCharsets.UTF_8));
        Bucket bucket = new Bucket("src", "000000000000", "us-east-1", 0L, null, null, null, false, false);
        StoredObject object = new StoredObject("photos/a.jpg", null, null, 1, "\"e\"", 1_700_000_000_000L, null, null, null, null, null,
                null, null, null, false, null, null, null, null, null, null);
        // Written 2023-11-14T22:13:20Z: 30 days later, rounded up to the next midnight UTC.
        assertThat(inventory.row(bucket, lifecycle, object, true)).isEqualTo("\"src\",\"photos%2Fa.jpg\",\"\",\"true\",\"false\",\"2023-12-15T00:00:00.000Z\"\n");
        assertThat(inventory.row(bucket, lifecycle, object, false)).endsWith(",\"\"\n");
        assertThat(inventory.row(bucket, null, object, true)).endsWith(",\"\"\n");
    }

    @Test
    void refusesWhatS3RefusesAndWhatStratusDoesNotWrite() {
        assertThatThrownBy(() -> parse(DOCUMENT, "other")).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.errorCode().code()).isEqualTo("InvalidArgument"));
        assertThatThrownBy(() -> parse(DOCUMENT.replace("<Schedule><Frequency>Weekly</Frequency></Schedule>", ""), "report-1"))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode().code()).isEqualTo("MalformedXML"));
        assertThatThrownBy(() -> parse(DOCUMENT.replace("<Field>ETag</Field>", "<Field>Colour</Field>"), "report-1"))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode().code()).isEqualTo("MalformedXML"));
        assertThatThrownBy(() -> parse(DOCUMENT.replace("<Format>CSV</Format>", "<Format>Parquet</Format>"), "report-1"))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode().code()).isEqualTo("NotImplemented"));
        assertThatThrownBy(() -> parse(DOCUMENT.replace("<Prefix>inv</Prefix>", "<Encryption><SSE-KMS><KeyId>k</KeyId></SSE-KMS></Encryption>"),
                "report-1")).isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode().code()).isEqualTo("NotImplemented"));
        assertThat(parse(DOCUMENT.replace("<Prefix>inv</Prefix>", "<Encryption><SSE-S3/></Encryption>"), "report-1").sseS3()).isTrue();
        assertThatThrownBy(() -> parse(DOCUMENT.replace("arn:aws:s3:::reports", "reports"), "report-1"))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode().code()).isEqualTo("InvalidArgument"));
    }
}
