package io.stratus.e2e.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Browser form uploads ({@code POST /<bucket>}, {@code multipart/form-data}) with a SigV4-signed
 * policy, built and signed here as a web page's server would (the SDK has no POST presigner),
 * against a server that verifies signatures.
 */
@StratusTest(auth = io.stratus.core.StratusConfig.Auth.SIGV4)
class PostObjectIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BOUNDARY = "----StratusFormBoundary7MA4YWxkTrZu0gW";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** A form's fields in order; {@link #sign} adds the policy and signature fields. */
    private static Map<String, String> fields(String key) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        return fields;
    }

    /**
     * Adds {@code x-amz-algorithm}, {@code -credential}, {@code -date}, the base64 {@code policy}
     * (the given conditions plus ones for the signature fields) and its SigV4 signature.
     */
    static Map<String, String> sign(Map<String, String> fields, Instant expiration, List<Object> conditions, String secret) throws Exception {
        Instant now = Instant.now();
        String amzDate = AMZ_DATE.format(now);
        String date = amzDate.substring(0, 8);
        String credential = "test/" + date + "/us-east-1/s3/aws4_request";
        List<Object> all = new ArrayList<>(conditions);
        all.add(Map.of("x-amz-algorithm", "AWS4-HMAC-SHA256"));
        all.add(Map.of("x-amz-credential", credential));
        all.add(Map.of("x-amz-date", amzDate));
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("expiration", expiration.toString());
        policy.put("conditions", all);
        String encoded = Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(policy));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, "us-east-1");
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        Map<String, String> signed = new LinkedHashMap<>(fields);
        signed.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        signed.put("x-amz-credential", credential);
        signed.put("x-amz-date", amzDate);
        signed.put("policy", encoded);
        signed.put("x-amz-signature", HexFormat.of().formatHex(hmac(key, encoded)));
        return signed;
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] form(Map<String, String> fields, String filename, byte[] file) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
                + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        if (file != null) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    static HttpResponse<String> post(URI uri, byte[] body) throws Exception {
        return post(uri, body, "multipart/form-data; boundary=" + BOUNDARY);
    }

    static HttpResponse<String> post(URI uri, byte[] body, String contentType) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Instant inAnHour() {
        return Instant.now().plus(Duration.ofHours(1));
    }

    @Test
    void signedFormUploadsTheFileWithItsFields(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("post-form"));
        Map<String, String> fields = fields("uploads/${filename}");
        fields.put("Content-Type", "text/plain");
        fields.put("x-amz-meta-owner", "alice");
        fields.put("success_action_status", "201");
        fields.put("tagging", "<Tagging><TagSet><Tag><Key>kind</Key><Value>photo</Value></Tag></TagSet></Tagging>");
        Map<String, String> signed = sign(fields, inAnHour(), List.of(
                Map.of("bucket", "post-form"),
                List.of("starts-with", "$key", "uploads/"),
                List.of("starts-with", "$Content-Type", "text/"),
                List.of("eq", "$x-amz-meta-owner", "alice"),
                Map.of("success_action_status", "201"),
                List.of("starts-with", "$tagging", ""),
                List.of("content-length-range", 1, 1024)), "test");

        HttpResponse<String> response = post(stratus.endpoint().resolve("/post-form"), form(signed, "cat.txt", "meow".getBytes(StandardCharsets.UTF_8)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + md5Hex("meow") + "\"");
        assertThat(response.body()).contains("<PostResponse").contains("<Bucket>post-form</Bucket>").contains("<Key>uploads/cat.txt</Key>")
                .contains("<ETag>\"" + md5Hex("meow") + "\"</ETag>").contains("<Location>http://").contains("/post-form/uploads/cat.txt</Location>");
        ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(r -> r.bucket("post-form").key("uploads/cat.txt"));
        assertThat(object.asUtf8String()).isEqualTo("meow");
        assertThat(object.response().contentType()).isEqualTo("text/plain");
        assertThat(object.response().metadata()).containsEntry("owner", "alice");
        assertThat(s3.getObjectTagging(r -> r.bucket("post-form").key("uploads/cat.txt")).tagSet())
                .singleElement().satisfies(tag -> assertThat(tag.key() + "=" + tag.value()).isEqualTo("kind=photo"));
    }

    @Test
    void successActionStatusAndRedirectChooseTheAnswer(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("post-answers"));
        URI uri = stratus.endpoint().resolve("/post-answers");
        HttpResponse<String> byDefault = post(uri, form(sign(fields("a"), inAnHour(), List.of(Map.of("key", "a")), "test"), "f", new byte[] {1}));
        assertThat(byDefault.statusCode()).isEqualTo(204);
        assertThat(byDefault.body()).isEmpty();
        assertThat(byDefault.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/post-answers/a"));

        Map<String, String> ok = fields("b");
        ok.put("success_action_status", "200");
        HttpResponse<String> two = post(uri, form(sign(ok, inAnHour(), List.of(Map.of("key", "b"), Map.of("success_action_status", "200")), "test"),
                "f", new byte[] {1}));
        assertThat(two.statusCode()).isEqualTo(200);
        assertThat(two.body()).isEmpty();

        Map<String, String> redirect = fields("c d");
        redirect.put("success_action_redirect", "https://example.com/done?from=form");
        HttpResponse<String> redirected = post(uri, form(sign(redirect, inAnHour(),
                List.of(Map.of("key", "c d"), List.of("starts-with", "$success_action_redirect", "https://example.com/")), "test"), "f", new byte[] {1}));
        assertThat(redirected.statusCode()).isEqualTo(303);
        assertThat(redirected.headers().firstValue("Location")).hasValue(
                "https://example.com/done?from=form&bucket=post-answers&key=c%20d&etag=%22" + md5Hex(new byte[] {1}) + "%22");
        assertThat(s3.headObject(r -> r.bucket("post-answers").key("c d")).contentLength()).isEqualTo(1);
    }

    @Test
    void virtualHostedFormsWork(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("post-vhost"));
        byte[] body = form(sign(fields("v.txt"), inAnHour(), List.of(Map.of("bucket", "post-vhost"), Map.of("key", "v.txt")), "test"),
                "v.txt", "virtual".getBytes(StandardCharsets.UTF_8));
        try (io.stratus.e2e.RawHttp raw = new io.stratus.e2e.RawHttp(stratus.port())) {
            String head = "POST / HTTP/1.1\r\nHost: post-vhost.s3.localhost\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n";
            String response = raw.send(head + new String(body, StandardCharsets.ISO_8859_1)).readResponse();
            assertThat(response).startsWith("HTTP/1.1 204").contains("Location: http://post-vhost.s3.localhost/v.txt");
        }
        assertThat(s3.getObjectAsBytes(r -> r.bucket("post-vhost").key("v.txt")).asUtf8String()).isEqualTo("virtual");
    }

    @Test
    void policyViolationsAreRefusedAsS3RefusesThem(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("post-policy"));
        URI uri = stratus.endpoint().resolve("/post-policy");
        byte[] file = "content".getBytes(StandardCharsets.UTF_8);

        assertError(post(uri, form(sign(fields("other/x"), inAnHour(), List.of(List.of("starts-with", "$key", "uploads/")), "test"), "x", file)),
                403, "AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", \"uploads/\"]");
        assertError(post(uri, form(sign(fields("k"), inAnHour(), List.of(Map.of("key", "k"), Map.of("bucket", "another")), "test"), "x", file)),
                403, "AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$bucket\", \"another\"]");
        Map<String, String> typed = fields("k");
        typed.put("Content-Type", "image/png");
        assertError(post(uri, form(sign(typed, inAnHour(), List.of(Map.of("key", "k"), List.of("starts-with", "$Content-Type", "text/")), "test"),
                "x", file)), 403, "AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$content-type\", \"text/\"]");
        assertError(post(uri, form(sign(fields("k"), Instant.now().minusSeconds(60), List.of(Map.of("key", "k")), "test"), "x", file)),
                403, "AccessDenied", "Invalid according to Policy: Policy expired.");
        Map<String, String> extra = fields("k");
        extra.put("x-amz-meta-unlisted", "1");
        assertError(post(uri, form(sign(extra, inAnHour(), List.of(Map.of("key", "k")), "test"), "x", file)),
                403, "AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-unlisted");
        assertError(post(uri, form(sign(fields("k"), inAnHour(), List.of(Map.of("key", "k"), List.of("content-length-range", 1, 3)), "test"),
                "x", file)), 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
        assertError(post(uri, form(sign(fields("k"), inAnHour(), List.of(Map.of("key", "k"), List.of("content-length-range", 100, 200)), "test"),
                "x", file)), 400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size");
        assertError(post(uri, form(sign(fields("k"), inAnHour(), List.of(Map.of("key", "k")), "not-the-secret"), "x", file)),
                403, "SignatureDoesNotMatch", null);
        assertThat(s3.listObjectsV2(r -> r.bucket("post-policy")).keyCount()).isZero();
    }

    @Test
    void theBucketPolicyDecidesAsForAPutObject(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("post-policed"));
        // No form uploads into private/, and none that is not a form's (s3:authType POST) into forms/.
        s3.putBucketPolicy(r -> r.bucket("post-policed").policy("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::post-policed/private/*\"},"
                + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::post-policed/forms/*\","
                + "\"Condition\":{\"StringNotEquals\":{\"s3:authType\":\"POST\"}}},"
                + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::post-policed/photos/*\","
                + "\"Condition\":{\"StringNotEquals\":{\"s3:RequestObjectTag/kind\":\"photo\"}}}]}"));
        URI bucket = stratus.endpoint().resolve("/post-policed");

        HttpResponse<String> denied = post(bucket, form(sign(fields("private/${filename}"), inAnHour(), List.of(
                List.of("starts-with", "$key", "")), "test"), "secret.txt", "x".getBytes(StandardCharsets.UTF_8)));
        assertError(denied, 403, "AccessDenied", "Access Denied");

        HttpResponse<String> allowed = post(bucket, form(sign(fields("forms/${filename}"), inAnHour(), List.of(
                List.of("starts-with", "$key", "")), "test"), "ok.txt", "y".getBytes(StandardCharsets.UTF_8)));
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(204);
        assertThat(s3.getObjectAsBytes(r -> r.bucket("post-policed").key("forms/ok.txt")).asUtf8String()).isEqualTo("y");
        // The form's tagging field is what s3:RequestObjectTag/<key> sees.
        Map<String, String> photo = fields("photos/${filename}");
        photo.put("tagging", "<Tagging><TagSet><Tag><Key>kind</Key><Value>photo</Value></Tag></TagSet></Tagging>");
        HttpResponse<String> tagged = post(bucket, form(sign(photo, inAnHour(), List.of(List.of("starts-with", "$key", ""),
                List.of("starts-with", "$tagging", "")), "test"), "cat.jpg", "c".getBytes(StandardCharsets.UTF_8)));
        assertThat(tagged.statusCode()).as(tagged.body()).isEqualTo(204);
        HttpResponse<String> untagged = post(bucket, form(sign(fields("photos/${filename}"), inAnHour(), List.of(
                List.of("starts-with", "$key", "")), "test"), "dog.jpg", "d".getBytes(StandardCharsets.UTF_8)));
        assertError(untagged, 403, "AccessDenied", "Access Denied");
        // The same key by PutObject, signed in its header: not a form's.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s3.putObject(r -> r.bucket("post-policed").key("forms/direct.txt"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("z")))
                .isInstanceOfSatisfying(software.amazon.awssdk.services.s3.model.S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }

    @Test
    void malformedFormsAreRefused(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("post-malformed"));
        URI uri = stratus.endpoint().resolve("/post-malformed");
        byte[] file = "content".getBytes(StandardCharsets.UTF_8);
        Map<String, String> signed = sign(fields("k"), inAnHour(), List.of(Map.of("key", "k")), "test");

        assertError(post(uri, form(signed, "x", null)), 400, "IncorrectNumberOfFilesInPostRequest", "POST requires exactly one file upload per request.");
        Map<String, String> keyless = new LinkedHashMap<>(signed);
        keyless.remove("key");
        assertError(post(uri, form(keyless, "x", file)), 400, "InvalidArgument",
                "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.");
        // A policy changed after signing no longer matches its signature.
        Map<String, String> tampered = new LinkedHashMap<>(signed);
        tampered.put("policy", Base64.getEncoder().encodeToString("{not json".getBytes(StandardCharsets.UTF_8)));
        assertError(post(uri, form(tampered, "x", file)), 403, "SignatureDoesNotMatch", null);
        Map<String, String> unsignedPolicy = new LinkedHashMap<>(signed);
        unsignedPolicy.remove("x-amz-signature");
        assertError(post(uri, form(unsignedPolicy, "x", file)), 400, "InvalidArgument", null);
        String truncated = new String(form(signed, "x", file), StandardCharsets.ISO_8859_1);
        assertError(post(uri, truncated.substring(0, truncated.length() - 30).getBytes(StandardCharsets.ISO_8859_1)),
                400, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.");
        // Only PostObject takes its signature from the form: to other operations an unsigned form body is an anonymous request
        // (S3's), which the private bucket refuses — DeleteObjects' body must be its XML document, and an object takes no POST.
        assertError(post(stratus.endpoint().resolve("/post-malformed/k?uploads"), form(signed, "x", file)), 403, "AccessDenied", "Access Denied");
        assertError(post(stratus.endpoint().resolve("/post-malformed?delete"), form(signed, "x", file)), 400, "MalformedXML", null);
        assertError(post(stratus.endpoint().resolve("/post-malformed/k"), form(signed, "x", file)), 405, "MethodNotAllowed", null);
        // With signatures verified, a form without a policy is an anonymous upload: refused.
        assertError(post(uri, form(fields("k"), "x", file)), 403, "AccessDenied", "Access Denied");
        assertError(post(stratus.endpoint().resolve("/post-nobucket"), form(sign(fields("k"), inAnHour(), List.of(Map.of("key", "k")), "test"), "x", file)),
                404, "NoSuchBucket", null);
    }

    @Test
    void largeFilesStreamThrough(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(r -> r.bucket("post-large"));
        byte[] file = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(file);
        HttpResponse<String> response = post(stratus.endpoint().resolve("/post-large"),
                form(sign(fields("big.bin"), inAnHour(), List.of(Map.of("key", "big.bin")), "test"), "big.bin", file));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        assertThat(s3.getObjectAsBytes(r -> r.bucket("post-large").key("big.bin")).asByteArray()).isEqualTo(file);
    }

    @Test
    void uploadsAnnounceObjectCreatedPost(Stratus stratus, S3Client s3, SqsClient sqs) throws Exception {
        String url = sqs.createQueue(r -> r.queueName("post-events")).queueUrl();
        S3Permissions.allowBucket(sqs, url, "post-events");
        s3.createBucket(r -> r.bucket("post-events"));
        s3.putBucketNotificationConfiguration(r -> r.bucket("post-events").notificationConfiguration(NotificationConfiguration.builder()
                .queueConfigurations(QueueConfiguration.builder().queueArn("arn:aws:sqs:us-east-1:000000000000:post-events")
                        .eventsWithStrings("s3:ObjectCreated:Post").build()).build()));
        post(stratus.endpoint().resolve("/post-events"), form(sign(fields("e.txt"), inAnHour(), List.of(Map.of("key", "e.txt")), "test"),
                "e.txt", "event".getBytes(StandardCharsets.UTF_8)));
        List<String> names = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!names.contains("ObjectCreated:Post") && System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                JsonNode records = JSON.readTree(message.body()).get("Records");
                if (records != null) {
                    names.add(records.get(0).get("eventName").asText());
                    assertThat(records.get(0).get("s3").get("object").get("key").asText()).isEqualTo("e.txt");
                }
            }
        }
        assertThat(names).containsExactly("ObjectCreated:Post");
    }

    static void assertError(HttpResponse<String> response, int status, String code, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("<Code>" + code + "</Code>");
        if (message != null) {
            assertThat(response.body()).contains("<Message>" + message + "</Message>");
        }
    }

    private static String md5Hex(String text) throws Exception {
        return md5Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String md5Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
    }
}
