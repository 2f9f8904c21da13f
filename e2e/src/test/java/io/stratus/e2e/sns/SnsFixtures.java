package io.stratus.e2e.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** What the SNS tests share: queues SNS may deliver to (as AWS requires, through the queue policy), and reading them. */
final class SnsFixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = "000000000000";
    static final String QUEUES = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":";

    private SnsFixtures() {}

    /** An SNS client acting as another account (a 12-digit access key selects it). */
    static software.amazon.awssdk.services.sns.SnsClient client(io.stratus.testkit.Stratus stratus, String account) {
        return stratus.configure(software.amazon.awssdk.services.sns.SnsClient.builder())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(account, "test")))
                .build();
    }

    /** The queue policy AWS's documentation gives for a topic's subscribers: SNS may send the topic's messages. */
    static String queuePolicy(String queueArn, String topicArn) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"sns\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\","
                + "\"Resource\":\"" + queueArn + "\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"" + topicArn + "\"}}}]}";
    }

    /** Creates a queue SNS may deliver {@code topicArn}'s messages to; answers its URL. */
    static String queueFor(SqsClient sqs, String name, String topicArn) {
        Map<QueueAttributeName, String> attributes = new java.util.HashMap<>();
        attributes.put(QueueAttributeName.POLICY, queuePolicy(QUEUES + name, topicArn));
        if (name.endsWith(".fifo")) {
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
    }

    /** Up to {@code count} messages from the queue (deleted as read), waiting at most {@code wait}. */
    static List<Message> receive(SqsClient sqs, String url, int count, Duration wait) {
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (messages.size() < count && System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All").messageSystemAttributeNamesWithStrings("All")).messages()) {
                messages.add(message);
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return messages;
    }

    static List<JsonNode> bodies(SqsClient sqs, String url, int count, Duration wait) {
        return receive(sqs, url, count, wait).stream().map(m -> json(m.body())).toList();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
