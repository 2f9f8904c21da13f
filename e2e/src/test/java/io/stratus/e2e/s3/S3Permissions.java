package io.stratus.e2e.s3;

import java.util.Map;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What S3's event notifications need on AWS, and so here: the destination's resource policy
 * allowing S3 to deliver a bucket's events, in account {@code 000000000000}.
 */
final class S3Permissions {

    private S3Permissions() {}

    /** The queue policy AWS's documentation gives: S3 may send messages for this bucket. */
    static String queuePolicy(String queue, String bucket) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"s3-events\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"SQS:SendMessage\","
                + "\"Resource\":\"arn:aws:sqs:us-east-1:000000000000:" + queue + "\","
                + "\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:*:*:" + bucket + "\"},"
                + "\"StringEquals\":{\"aws:SourceAccount\":\"000000000000\"}}}]}";
    }

    /** Lets S3 send {@code bucket}'s events to the queue at {@code url}. */
    static void allowBucket(SqsClient sqs, String url, String bucket) {
        String queue = url.substring(url.lastIndexOf('/') + 1);
        sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, queuePolicy(queue, bucket))));
    }

    /** Lets S3 invoke {@code function} for {@code bucket}'s events, as {@code aws lambda add-permission} does. */
    static void allowBucket(LambdaClient lambda, String function, String bucket) {
        lambda.addPermission(r -> r.functionName(function).statementId("s3-" + bucket).action("lambda:InvokeFunction")
                .principal("s3.amazonaws.com").sourceArn("arn:aws:s3:::" + bucket).sourceAccount("000000000000"));
    }
}
