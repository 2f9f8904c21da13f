package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.PostObjectIT.form;
import static io.stratus.e2e.s3.PostObjectIT.post;
import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * What S3 keeps with an object besides its content headers. User metadata is limited to 2 KB,
 * counted as S3 counts it: the UTF-8 bytes of each name (without {@code x-amz-meta-}) and value;
 * over it, every write that sets metadata is refused with {@code MetadataTooLarge}. A website
 * redirect location is kept and returned, and belongs to its object alone: a copy does not take
 * its source's.
 */
@StratusTest
class ObjectMetadataIT {

    private static final String BUCKET = "metadata-limits";

    /** Metadata of exactly {@code bytes} bytes: one name of 4 bytes, and a value of the rest. */
    private static Map<String, String> metadata(int bytes) {
        return Map.of("name", "v".repeat(bytes - 4));
    }

    @Test
    void metadataUpTo2KbIsAcceptedAndOverIsRefused(S3Client s3) {
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putObject(b -> b.bucket(BUCKET).key("at-limit").metadata(metadata(2048)), RequestBody.fromString("x"));
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("at-limit")).metadata().get("name")).hasSize(2044);
        // Several entries count together.
        Map<String, String> several = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            several.put("key-" + i, "v".repeat(200));
        }
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("several").metadata(several), RequestBody.fromString("x")), 400, "MetadataTooLarge");
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("over").metadata(metadata(2049)), RequestBody.fromString("x")),
                400, "MetadataTooLarge");
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("over")), 404, null);

        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("at-limit").destinationBucket(BUCKET).destinationKey("copy")
                .metadataDirective(MetadataDirective.REPLACE).metadata(metadata(2049))), 400, "MetadataTooLarge");
        // A copy that keeps the source's metadata is not a new metadata write.
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("at-limit").destinationBucket(BUCKET).destinationKey("copy"));

        assertS3Error(() -> s3.createMultipartUpload(b -> b.bucket(BUCKET).key("upload").metadata(metadata(2049))), 400, "MetadataTooLarge");
        s3.createMultipartUpload(b -> b.bucket(BUCKET).key("upload").metadata(metadata(2048)));
    }

    @Test
    void theErrorSaysTheSizeAndTheLimit(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        HttpResponse<String> response = S3Assertions.send(stratus, "PUT", "/" + BUCKET + "/raw", "x-amz-meta-a", "v".repeat(2048));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>MetadataTooLarge</Code>")
                .contains("<Message>Your metadata headers exceed the maximum allowed metadata size.</Message>")
                .contains("<Size>2049</Size><MaxSizeAllowed>2048</MaxSizeAllowed>");
    }

    @Test
    void formUploadsAreLimitedToo(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "posted");
        fields.put("x-amz-meta-name", "v".repeat(2045));
        HttpResponse<String> response = post(stratus.endpoint().resolve("/" + BUCKET), form(fields, "f", "x".getBytes(StandardCharsets.UTF_8)));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>MetadataTooLarge</Code>");
    }

    @Test
    void aWebsiteRedirectLocationIsKeptAndReturned(S3Client s3) {
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putObject(b -> b.bucket(BUCKET).key("page.html").websiteRedirectLocation("/other.html"), RequestBody.fromString("x"));
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("page.html")).websiteRedirectLocation()).isEqualTo("/other.html");
        assertThat(s3.getObject(b -> b.bucket(BUCKET).key("page.html")).response().websiteRedirectLocation()).isEqualTo("/other.html");

        // A copy has the redirect its request gives, not its source's, whatever the metadata directive.
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("page.html").destinationBucket(BUCKET).destinationKey("copied.html"));
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("copied.html")).websiteRedirectLocation()).isNull();
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("page.html").destinationBucket(BUCKET).destinationKey("copied.html")
                .websiteRedirectLocation("https://example.com/"));
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("copied.html")).websiteRedirectLocation()).isEqualTo("https://example.com/");
        // Setting one is a change that lets an object be copied onto itself.
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("page.html").destinationBucket(BUCKET).destinationKey("page.html")
                .websiteRedirectLocation("http://example.com/moved"));
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("page.html")).websiteRedirectLocation()).isEqualTo("http://example.com/moved");

        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("multi.html").websiteRedirectLocation("/target")).uploadId();
        String etag = s3.uploadPart(b -> b.bucket(BUCKET).key("multi.html").uploadId(uploadId).partNumber(1), RequestBody.fromString("x")).eTag();
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("multi.html").uploadId(uploadId)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("multi.html")).websiteRedirectLocation()).isEqualTo("/target");
    }

    @Test
    void aWebsiteRedirectLocationMustBeAPathOrAUrl(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("bad").websiteRedirectLocation("example.com"), RequestBody.fromString("x")),
                400, "InvalidRedirectLocation");
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("long").websiteRedirectLocation("/" + "a".repeat(2048)),
                RequestBody.fromString("x")), 400, "InvalidRedirectLocation");
        assertS3Error(() -> s3.createMultipartUpload(b -> b.bucket(BUCKET).key("bad").websiteRedirectLocation("ftp://example.com")),
                400, "InvalidRedirectLocation");
        s3.putObject(b -> b.bucket(BUCKET).key("longest").websiteRedirectLocation("/" + "a".repeat(2047)), RequestBody.fromString("x"));
        HttpResponse<String> response = S3Assertions.send(stratus, "PUT", "/" + BUCKET + "/raw", "x-amz-website-redirect-location", "page.html");
        assertThat(response.body()).contains("<Code>InvalidRedirectLocation</Code>")
                .contains("<Message>The website redirect location must have a prefix of 'http://' or 'https://' or '/'.</Message>");
    }
}
