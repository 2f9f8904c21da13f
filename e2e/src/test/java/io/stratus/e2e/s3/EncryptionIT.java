package io.stratus.e2e.s3;

import static io.stratus.e2e.s3.S3Assertions.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Server-side encryption as objects report it. Stratus encrypts nothing on disk, but reports
 * honestly what was asked: SSE-KMS with its key and Bucket Key (from the request or the bucket's
 * default), and SSE-C, whose key is checked as S3 checks it and required again on every read.
 */
@StratusTest
class EncryptionIT {

    private static final String BUCKET = "encrypted";
    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());

    private static String md5(String base64Key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(Base64.getDecoder().decode(base64Key)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sseKmsIsKeptAndReportedWithItsKey(S3Client s3) {
        s3.createBucket(b -> b.bucket(BUCKET));
        PutObjectResponse put = s3.putObject(b -> b.bucket(BUCKET).key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId("1234abcd-12ab-34cd-56ef-1234567890ab").bucketKeyEnabled(true), RequestBody.fromString("secret"));
        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(put.ssekmsKeyId()).startsWith("arn:aws:kms:us-east-1:").endsWith(":key/1234abcd-12ab-34cd-56ef-1234567890ab");
        assertThat(put.bucketKeyEnabled()).isTrue();
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("kms"));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).isEqualTo(put.ssekmsKeyId());
        assertThat(head.bucketKeyEnabled()).isTrue();
        var get = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("kms"));
        assertThat(get.asUtf8String()).isEqualTo("secret");
        assertThat(get.response().ssekmsKeyId()).isEqualTo(put.ssekmsKeyId());

        // Without a key: the account's AWS managed key for S3.
        PutObjectResponse managed = s3.putObject(b -> b.bucket(BUCKET).key("managed").serverSideEncryption(ServerSideEncryption.AWS_KMS_DSSE),
                RequestBody.fromString("x"));
        assertThat(managed.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS_DSSE);
        assertThat(managed.ssekmsKeyId()).matches("arn:aws:kms:us-east-1:\\d{12}:key/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(managed.bucketKeyEnabled()).isNull();
        assertThat(s3.putObject(b -> b.bucket(BUCKET).key("managed-2").serverSideEncryption(ServerSideEncryption.AWS_KMS), RequestBody.fromString("y"))
                .ssekmsKeyId()).as("the same key each time").isEqualTo(managed.ssekmsKeyId());

        // A copy is encrypted as it asks, else by its bucket's default, not as its source was.
        CopyObjectResponse plain = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("kms").destinationBucket(BUCKET).destinationKey("kms-copy"));
        assertThat(plain.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("kms-copy")).ssekmsKeyId()).isNull();
        CopyObjectResponse kms = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("kms").destinationBucket(BUCKET).destinationKey("kms")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId("alias/other"));
        assertThat(kms.ssekmsKeyId()).matches("arn:aws:kms:us-east-1:\\d{12}:alias/other");
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("kms")).ssekmsKeyId()).isEqualTo(kms.ssekmsKeyId());
    }

    @Test
    void theBucketsDefaultEncryptionAppliesToNewObjects(S3Client s3) {
        s3.createBucket(b -> b.bucket("kms-default"));
        s3.putBucketEncryption(b -> b.bucket("kms-default").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)
                        .kmsMasterKeyID("arn:aws:kms:us-east-1:111122223333:key/default-key")).bucketKeyEnabled(true))));
        PutObjectResponse put = s3.putObject(b -> b.bucket("kms-default").key("object"), RequestBody.fromString("x"));
        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(put.ssekmsKeyId()).isEqualTo("arn:aws:kms:us-east-1:111122223333:key/default-key");
        assertThat(put.bucketKeyEnabled()).isTrue();
        assertThat(s3.headObject(b -> b.bucket("kms-default").key("object")).serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        // Asking for SSE-S3 still gets it.
        assertThat(s3.putObject(b -> b.bucket("kms-default").key("s3").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromString("x")).serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);

        CreateMultipartUploadResponse created = s3.createMultipartUpload(b -> b.bucket("kms-default").key("multi"));
        assertThat(created.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(created.ssekmsKeyId()).isEqualTo(put.ssekmsKeyId());
        UploadPartResponse part = s3.uploadPart(b -> b.bucket("kms-default").key("multi").uploadId(created.uploadId()).partNumber(1),
                RequestBody.fromString("part"));
        assertThat(part.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(b -> b.bucket("kms-default").key("multi")
                .uploadId(created.uploadId()).multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(part.eTag()))));
        assertThat(completed.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(completed.ssekmsKeyId()).isEqualTo(put.ssekmsKeyId());
        assertThat(s3.headObject(b -> b.bucket("kms-default").key("multi")).ssekmsKeyId()).isEqualTo(put.ssekmsKeyId());
    }

    @Test
    void encryptionHeadersAreChecked(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        HttpResponse<String> unknown = S3Assertions.send(stratus, "PUT", "/" + BUCKET + "/bad", "x-amz-server-side-encryption", "AES128");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("<Code>InvalidArgument</Code>").contains("<ArgumentName>x-amz-server-side-encryption</ArgumentName>");
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("bad").serverSideEncryption(ServerSideEncryption.AES256).ssekmsKeyId("key"),
                RequestBody.fromString("x")), 400, "InvalidArgument");
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("bad").serverSideEncryption(ServerSideEncryption.AES256)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(KEY).sseCustomerKeyMD5(md5(KEY)), RequestBody.fromString("x")), 400, "InvalidArgument");
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("bad").sseCustomerAlgorithm("AES128").sseCustomerKey(KEY)
                .sseCustomerKeyMD5(md5(KEY)), RequestBody.fromString("x")), 400, "InvalidEncryptionAlgorithmError");
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("bad").sseCustomerAlgorithm("AES256").sseCustomerKey(shortKey)
                .sseCustomerKeyMD5(md5(shortKey)), RequestBody.fromString("x")), 400, "InvalidArgument");
        HttpResponse<String> wrongMd5 = S3Assertions.send(stratus, "PUT", "/" + BUCKET + "/bad",
                "x-amz-server-side-encryption-customer-algorithm", "AES256", "x-amz-server-side-encryption-customer-key", KEY,
                "x-amz-server-side-encryption-customer-key-MD5", md5(OTHER_KEY));
        assertThat(wrongMd5.body()).contains("<Code>InvalidArgument</Code>")
                .contains("<Message>The calculated MD5 hash of the key did not match the hash that was provided.</Message>");
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("bad")), 404, null);
    }

    @Test
    void anSseCObjectNeedsItsKeyOnEveryRead(Stratus stratus, S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        PutObjectResponse put = s3.putObject(b -> b.bucket(BUCKET).key("customer").sseCustomerAlgorithm("AES256").sseCustomerKey(KEY)
                .sseCustomerKeyMD5(md5(KEY)), RequestBody.fromString("mine"));
        assertThat(put.sseCustomerAlgorithm()).isEqualTo("AES256");
        assertThat(put.sseCustomerKeyMD5()).isEqualTo(md5(KEY));
        assertThat(put.serverSideEncryption()).isNull();

        HttpResponse<String> keyless = S3Assertions.send(stratus, "GET", "/" + BUCKET + "/customer");
        assertThat(keyless.statusCode()).isEqualTo(400);
        assertThat(keyless.body()).contains("<Code>InvalidRequest</Code>").contains("<Message>The object was stored using a form of Server Side "
                + "Encryption. The correct parameters must be provided to retrieve the object.</Message>");
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("customer")), 400, null);
        assertS3Error(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("customer").sseCustomerAlgorithm("AES256").sseCustomerKey(OTHER_KEY)
                .sseCustomerKeyMD5(md5(OTHER_KEY))), 403, "AccessDenied");
        var read = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("customer").sseCustomerAlgorithm("AES256").sseCustomerKey(KEY)
                .sseCustomerKeyMD5(md5(KEY)));
        assertThat(read.asUtf8String()).isEqualTo("mine");
        assertThat(read.response().sseCustomerKeyMD5()).isEqualTo(md5(KEY));
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("customer").sseCustomerAlgorithm("AES256").sseCustomerKey(KEY)
                .sseCustomerKeyMD5(md5(KEY))).sseCustomerAlgorithm()).isEqualTo("AES256");

        // A key for an object that has none is refused.
        s3.putObject(b -> b.bucket(BUCKET).key("plain"), RequestBody.fromString("plain"));
        assertS3Error(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("plain").sseCustomerAlgorithm("AES256").sseCustomerKey(KEY)
                .sseCustomerKeyMD5(md5(KEY))), 400, "InvalidRequest");

        // Copies need the source's key, and are encrypted as they ask.
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("customer").destinationBucket(BUCKET).destinationKey("copy")),
                400, "InvalidRequest");
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("customer").destinationBucket(BUCKET).destinationKey("copy")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(OTHER_KEY).copySourceSSECustomerKeyMD5(md5(OTHER_KEY))),
                403, "AccessDenied");
        CopyObjectResponse copied = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("customer").destinationBucket(BUCKET).destinationKey("copy")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(KEY).copySourceSSECustomerKeyMD5(md5(KEY))
                .sseCustomerAlgorithm("AES256").sseCustomerKey(OTHER_KEY).sseCustomerKeyMD5(md5(OTHER_KEY)));
        assertThat(copied.sseCustomerKeyMD5()).isEqualTo(md5(OTHER_KEY));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("copy").sseCustomerAlgorithm("AES256").sseCustomerKey(OTHER_KEY)
                .sseCustomerKeyMD5(md5(OTHER_KEY))).asUtf8String()).isEqualTo("mine");
    }

    @Test
    void thePartsOfAnSseCUploadNeedItsKey(S3Client s3) throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        CreateMultipartUploadResponse created = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("customer-parts").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(KEY).sseCustomerKeyMD5(md5(KEY)));
        assertThat(created.sseCustomerKeyMD5()).isEqualTo(md5(KEY));
        String uploadId = created.uploadId();
        assertS3Error(() -> s3.uploadPart(b -> b.bucket(BUCKET).key("customer-parts").uploadId(uploadId).partNumber(1), RequestBody.fromString("x")),
                400, "InvalidRequest");
        assertS3Error(() -> s3.uploadPart(b -> b.bucket(BUCKET).key("customer-parts").uploadId(uploadId).partNumber(1).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(OTHER_KEY).sseCustomerKeyMD5(md5(OTHER_KEY)), RequestBody.fromString("x")), 400, "InvalidArgument");
        UploadPartResponse part = s3.uploadPart(b -> b.bucket(BUCKET).key("customer-parts").uploadId(uploadId).partNumber(1)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(KEY).sseCustomerKeyMD5(md5(KEY)), RequestBody.fromString("parted"));
        assertThat(part.sseCustomerKeyMD5()).isEqualTo(md5(KEY));
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("customer-parts").uploadId(uploadId)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(part.eTag()))));
        assertS3Error(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("customer-parts")), 400, "InvalidRequest");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("customer-parts").sseCustomerAlgorithm("AES256").sseCustomerKey(KEY)
                .sseCustomerKeyMD5(md5(KEY))).asUtf8String()).isEqualTo("parted");

        // UploadPartCopy from an SSE-C source needs the source's key.
        String plainUpload = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("plain-parts")).uploadId();
        assertS3Error(() -> s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("customer-parts").destinationBucket(BUCKET)
                .destinationKey("plain-parts").uploadId(plainUpload).partNumber(1)), 400, "InvalidRequest");
        s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("customer-parts").destinationBucket(BUCKET).destinationKey("plain-parts")
                .uploadId(plainUpload).partNumber(1).copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(KEY)
                .copySourceSSECustomerKeyMD5(md5(KEY)));
    }
}
