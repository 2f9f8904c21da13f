package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Payer;

/**
 * With {@code --auth sigv4}, an unsigned S3 request is anonymous, as on S3: what a bucket's policy
 * or ACL lets everyone do, and nothing else.
 */
@StratusTest(auth = StratusConfig.Auth.SIGV4)
class AnonymousS3IT {

    private static void assertDenied(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("<Code>AccessDenied</Code>");
    }

    @Test
    void aPrivateBucketIsClosedToAnonymousCallers(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("anon-private"));
        s3.putObject(b -> b.bucket("anon-private").key("k"), RequestBody.fromString("secret"));

        assertDenied(send(stratus, "GET", "/anon-private/k"));
        assertDenied(send(stratus, "GET", "/anon-private"));
        assertDenied(send(stratus, "PUT", "/anon-private/new"));
        assertDenied(send(stratus, "POST", "/anon-private?delete"));
        assertDenied(send(stratus, "GET", "/"));
        assertDenied(send(stratus, "PUT", "/anon-new-bucket"));
        HttpResponse<String> missing = send(stratus, "GET", "/anon-missing/k");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("<Code>NoSuchBucket</Code>");
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).doesNotContain("anon-new-bucket");
    }

    @Test
    void aPublicPolicyLetsAnyoneDoWhatItAllows(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("anon-public"));
        s3.putObject(b -> b.bucket("anon-public").key("page.html"), RequestBody.fromString("<h1>hi</h1>"));
        s3.deletePublicAccessBlock(b -> b.bucket("anon-public"));
        s3.putBucketPolicy(b -> b.bucket("anon-public").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::anon-public/*\"}]}"));

        HttpResponse<String> read = send(stratus, "GET", "/anon-public/page.html");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("<h1>hi</h1>");
        assertDenied(send(stratus, "GET", "/anon-public"));
        assertDenied(send(stratus, "DELETE", "/anon-public/page.html"));
        assertDenied(send(stratus, "GET", "/anon-public?policy"));
        assertThat(send(stratus, "GET", "/anon-public/missing").statusCode()).isEqualTo(404);

        // Requester Pays takes no anonymous requests.
        s3.putBucketRequestPayment(b -> b.bucket("anon-public").requestPaymentConfiguration(c -> c.payer(Payer.REQUESTER)));
        assertDenied(send(stratus, "GET", "/anon-public/page.html"));
    }

    @Test
    void aclGrantsToAllUsersLetAnyoneIn(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket("anon-acl").objectOwnership(ObjectOwnership.OBJECT_WRITER));
        s3.deletePublicAccessBlock(b -> b.bucket("anon-acl"));
        s3.putObject(b -> b.bucket("anon-acl").key("open").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("open"));
        s3.putObject(b -> b.bucket("anon-acl").key("members").acl(ObjectCannedACL.AUTHENTICATED_READ), RequestBody.fromString("members"));
        s3.putObject(b -> b.bucket("anon-acl").key("closed"), RequestBody.fromString("closed"));

        assertThat(send(stratus, "GET", "/anon-acl/open").body()).isEqualTo("open");
        assertDenied(send(stratus, "GET", "/anon-acl/members"));
        assertDenied(send(stratus, "GET", "/anon-acl/closed"));
        assertDenied(send(stratus, "PUT", "/anon-acl/open?acl", "x-amz-acl", "private"));

        // A bucket anyone may write to: what nobody writes belongs to the bucket's owner.
        s3.putBucketAcl(b -> b.bucket("anon-acl").acl(software.amazon.awssdk.services.s3.model.BucketCannedACL.PUBLIC_READ_WRITE));
        HttpResponse<String> written = HttpClients.put(stratus, "/anon-acl/dropped", "from nobody");
        assertThat(written.statusCode()).isEqualTo(200);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("anon-acl").key("dropped")).asUtf8String()).isEqualTo("from nobody");
        assertThat(s3.getObjectAcl(b -> b.bucket("anon-acl").key("dropped")).owner().id()).isEqualTo(s3.listBuckets().owner().id());
    }

    /** A request with a body, unsigned. */
    private static final class HttpClients {
        static HttpResponse<String> put(Stratus stratus, String path, String body) throws Exception {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(stratus.endpoint().resolve(path))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
