package io.stratus.e2e.sns;

import static io.stratus.e2e.sns.SnsFixtures.QUEUES;
import static io.stratus.e2e.sns.SnsFixtures.bodies;
import static io.stratus.e2e.sns.SnsFixtures.json;
import static io.stratus.e2e.sns.SnsFixtures.queueFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.e2e.lambda.FunctionStates;
import io.stratus.e2e.lambda.FunctionZips;
import io.stratus.testkit.StratusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SNS invoking real Lambda functions (Node.js processes) with AWS's SNS event, once their policy lets SNS in. */
@StratusTest
class SnsLambdaIT {

    /** Appends each event it gets, as one JSON line, to the file named by {@code OUT}. */
    private static final String NODE_RECORDER = """
            const fs = require('fs');
            exports.handler = async (event) => {
              fs.appendFileSync(process.env.OUT, JSON.stringify(event) + '\\n');
              return 'ok';
            };
            """;

    private static String createRecorder(LambdaClient lambda, String name, Path out) {
        String arn = lambda.createFunction(FunctionZips.request(name, Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_RECORDER))
                .environment(e -> e.variables(Map.of("OUT", out.toString()))).build()).functionArn();
        FunctionStates.awaitActive(lambda, name);
        return arn;
    }

    private static List<String> awaitLines(Path file, int count) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
                if (lines.size() >= count) {
                    return lines;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("The function did not record " + count + " events in " + file);
    }

    @Test
    void aSubscribedFunctionGetsTheSnsEvent(SnsClient sns, LambdaClient lambda, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("events.txt");
        String function = createRecorder(lambda, "sns-recorder", out);
        String topic = sns.createTopic(r -> r.name("to-lambda")).topicArn();
        lambda.addPermission(r -> r.functionName("sns-recorder").statementId("sns").action("lambda:InvokeFunction")
                .principal("sns.amazonaws.com").sourceArn(topic));
        String subscription = sns.subscribe(r -> r.topicArn(topic).protocol("lambda").endpoint(function)).subscriptionArn();

        String messageId = sns.publish(r -> r.topicArn(topic).message("to the function").subject("Hi")
                .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String").stringValue("test").build()))).messageId();

        JsonNode event = json(awaitLines(out, 1).getFirst());
        JsonNode record = event.get("Records").get(0);
        assertThat(record.get("EventSource").asText()).isEqualTo("aws:sns");
        assertThat(record.get("EventVersion").asText()).isEqualTo("1.0");
        assertThat(record.get("EventSubscriptionArn").asText()).isEqualTo(subscription);
        JsonNode notification = record.get("Sns");
        assertThat(notification.get("Type").asText()).isEqualTo("Notification");
        assertThat(notification.get("MessageId").asText()).isEqualTo(messageId);
        assertThat(notification.get("TopicArn").asText()).isEqualTo(topic);
        assertThat(notification.get("Subject").asText()).isEqualTo("Hi");
        assertThat(notification.get("Message").asText()).isEqualTo("to the function");
        assertThat(notification.get("MessageAttributes").get("kind").get("Type").asText()).isEqualTo("String");
        assertThat(notification.get("MessageAttributes").get("kind").get("Value").asText()).isEqualTo("test");
        assertThat(notification.has("SigningCertUrl")).isTrue();
        assertThat(notification.has("UnsubscribeUrl")).isTrue();
    }

    @Test
    void aFunctionWhosePolicyRefusesSnsSendsTheMessageToTheDeadLetterQueue(SnsClient sns, LambdaClient lambda, SqsClient sqs,
            @TempDir Path dir) throws Exception {
        Path out = dir.resolve("events.txt");
        String function = createRecorder(lambda, "sns-refuser", out);
        String topic = sns.createTopic(r -> r.name("to-refuser")).topicArn();
        String dead = queueFor(sqs, "refused-dlq", topic);
        sns.subscribe(r -> r.topicArn(topic).protocol("lambda").endpoint(function)
                .attributes(Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + QUEUES + "refused-dlq\"}")));

        sns.publish(r -> r.topicArn(topic).message("never invoked"));

        assertThat(bodies(sqs, dead, 1, Duration.ofSeconds(10))).singleElement()
                .satisfies(envelope -> assertThat(envelope.get("Message").asText()).isEqualTo("never invoked"));
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void aFunctionsDestinationTopicFansItsRecordOutToQueues(SnsClient sns, LambdaClient lambda, SqsClient sqs) {
        String topic = sns.createTopic(r -> r.name("lambda-results")).topicArn();
        String queue = queueFor(sqs, "lambda-results-q", topic);
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(QUEUES + "lambda-results-q"));
        lambda.createFunction(FunctionZips.request("sns-destined", Runtime.NODEJS20_X, "index.handler",
                Map.of("index.js", "exports.handler = async (event) => ({ echoed: event.value });")).build());
        FunctionStates.awaitActive(lambda, "sns-destined");
        lambda.putFunctionEventInvokeConfig(r -> r.functionName("sns-destined").destinationConfig(d -> d.onSuccess(s -> s.destination(topic))));

        lambda.invoke(r -> r.functionName("sns-destined").invocationType(software.amazon.awssdk.services.lambda.model.InvocationType.EVENT)
                .payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String("{\"value\":42}")));

        JsonNode envelope = bodies(sqs, queue, 1, Duration.ofSeconds(30)).getFirst();
        assertThat(envelope.get("TopicArn").asText()).isEqualTo(topic);
        JsonNode record = json(envelope.get("Message").asText());
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("Success");
        assertThat(record.get("responsePayload").get("echoed").asInt()).isEqualTo(42);
    }
}
