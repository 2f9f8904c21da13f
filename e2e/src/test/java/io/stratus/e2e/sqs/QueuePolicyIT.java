package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * A queue's Policy decides what other accounts may do with it, and an explicit deny binds the
 * owner too; the owner's own administration (attributes, permissions, deletion) stays its own.
 * The owner acts as account 111111111111, the stranger as 222222222222 (12-digit access keys).
 */
@StratusTest
class QueuePolicyIT {

    private SqsClient owner;
    private SqsClient stranger;

    @BeforeEach
    void clients(Stratus stratus) {
        owner = client(stratus, "111111111111");
        stranger = client(stratus, "222222222222");
    }

    @AfterEach
    void close() {
        owner.close();
        stranger.close();
    }

    private static SqsClient client(Stratus stratus, String account) {
        return stratus.configure(SqsClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "test")))
                .build();
    }

    @Test
    void anotherAccountIsRefusedUntilAddPermissionGrantsIt() {
        String url = owner.createQueue(r -> r.queueName("orders")).queueUrl();

        assertDenied(() -> stranger.sendMessage(r -> r.queueUrl(url).messageBody("hi")), url);
        assertDenied(() -> stranger.getQueueUrl(r -> r.queueName("orders").queueOwnerAWSAccountId("111111111111")), url);

        owner.addPermission(r -> r.queueUrl(url).label("send").awsAccountIds("222222222222").actions("SendMessage", "GetQueueUrl"));

        assertThat(stranger.getQueueUrl(r -> r.queueName("orders").queueOwnerAWSAccountId("111111111111")).queueUrl()).isEqualTo(url);
        stranger.sendMessage(r -> r.queueUrl(url).messageBody("hi"));
        assertDenied(() -> stranger.receiveMessage(r -> r.queueUrl(url)), url);
        assertThat(owner.receiveMessage(r -> r.queueUrl(url)).messages()).singleElement()
                .satisfies(m -> assertThat(m.body()).isEqualTo("hi"));

        owner.removePermission(r -> r.queueUrl(url).label("send"));
        assertDenied(() -> stranger.sendMessage(r -> r.queueUrl(url).messageBody("again")), url);
    }

    @Test
    void noPolicyGrantsAnotherAccountTheOwnersAdministration() {
        String url = owner.createQueue(r -> r.queueName("admin")).queueUrl();
        owner.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY,
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}]}")));

        stranger.sendMessage(r -> r.queueUrl(url).messageBody("open to all"));
        assertThat(stranger.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes()).isNotEmpty();
        assertDenied(() -> stranger.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "5"))), url);
        assertDenied(() -> stranger.deleteQueue(r -> r.queueUrl(url)), url);
        assertDenied(() -> stranger.tagQueue(r -> r.queueUrl(url).tags(Map.of("k", "v"))), url);
        assertDenied(() -> stranger.addPermission(r -> r.queueUrl(url).label("me").awsAccountIds("222222222222").actions("*")), url);
    }

    @Test
    void anExplicitDenyBindsTheOwnerButNotItsAdministration() {
        String url = owner.createQueue(r -> r.queueName("frozen")).queueUrl();
        owner.sendMessage(r -> r.queueUrl(url).messageBody("before"));
        owner.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY,
                "{\"Statement\":[{\"Sid\":\"NoReads\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:PurgeQueue\"],"
                        + "\"Resource\":\"arn:aws:sqs:us-east-1:111111111111:frozen\"}]}")));

        owner.sendMessage(r -> r.queueUrl(url).messageBody("still sending"));
        assertDenied(() -> owner.receiveMessage(r -> r.queueUrl(url)), url);
        assertDenied(() -> owner.purgeQueue(r -> r.queueUrl(url)), url);

        owner.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, "")));
        assertThat(owner.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages()).hasSize(2);
    }

    @Test
    void conditionsAndRolePrincipalsAreEvaluated(Stratus stratus, StsClient sts) {
        String url = owner.createQueue(r -> r.queueName("roles")).queueUrl();
        owner.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY,
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::222222222222:role/sender\"},"
                        + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\","
                        + "\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"2999-01-01T00:00:00Z\"}}}]}")));
        Credentials sender = sts.assumeRole(r -> r.roleArn("arn:aws:iam::222222222222:role/sender").roleSessionName("job")).credentials();
        Credentials other = sts.assumeRole(r -> r.roleArn("arn:aws:iam::222222222222:role/reader").roleSessionName("job")).credentials();

        try (SqsClient asSender = asRole(stratus, sender); SqsClient asOther = asRole(stratus, other)) {
            asSender.sendMessage(r -> r.queueUrl(url).messageBody("from the role"));
            assertDenied(() -> asOther.sendMessage(r -> r.queueUrl(url).messageBody("not this one")), url);
            assertDenied(() -> stranger.sendMessage(r -> r.queueUrl(url).messageBody("nor the account's root")), url);
        }
    }

    @Test
    void aMalformedPolicyIsRefused() {
        String url = owner.createQueue(r -> r.queueName("strict")).queueUrl();

        for (String policy : new String[] {"not json", "{\"Statement\":[{\"Effect\":\"Perhaps\",\"Action\":\"*\"}]}", "{\"Version\":\"2012-10-17\"}"}) {
            assertThatThrownBy(() -> owner.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, policy))))
                    .isInstanceOfSatisfying(SqsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAttributeValue");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid value for the parameter Policy.");
                    });
        }
        assertThatThrownBy(() -> owner.createQueue(r -> r.queueName("born-bad").attributes(Map.of(QueueAttributeName.POLICY, "[]"))))
                .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAttributeValue"));
    }

    private static SqsClient asRole(Stratus stratus, Credentials credentials) {
        return stratus.configure(SqsClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))
                .build();
    }

    private static void assertDenied(Runnable call, String url) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SqsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Access to the resource " + url + " is denied.");
        });
    }
}
