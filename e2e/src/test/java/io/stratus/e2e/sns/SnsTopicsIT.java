package io.stratus.e2e.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.testkit.StratusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.AuthorizationErrorException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.ListTopicsResponse;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.Tag;
import software.amazon.awssdk.services.sns.model.TagLimitExceededException;

/** Topics through the SDK's SnsClient: create, attributes, list, tags, permissions, delete, and their bad inputs. */
@StratusTest
class SnsTopicsIT {

    private static final String TOPICS = "arn:aws:sns:us-east-1:000000000000:";

    @Test
    void createTopicIsIdempotentAndDescribesItself(SnsClient sns) {
        String arn = sns.createTopic(r -> r.name("orders").attributes(Map.of("DisplayName", "Orders"))).topicArn();
        assertThat(arn).isEqualTo(TOPICS + "orders");
        assertThat(sns.createTopic(r -> r.name("orders").attributes(Map.of("DisplayName", "Orders"))).topicArn()).isEqualTo(arn);
        assertThat(sns.createTopic(r -> r.name("orders")).topicArn()).isEqualTo(arn);

        Map<String, String> attributes = sns.getTopicAttributes(r -> r.topicArn(arn)).attributes();
        assertThat(attributes).containsEntry("TopicArn", arn).containsEntry("Owner", "000000000000").containsEntry("DisplayName", "Orders")
                .containsEntry("SubscriptionsConfirmed", "0").containsEntry("SubscriptionsPending", "0").containsEntry("SubscriptionsDeleted", "0")
                .containsKeys("Policy", "EffectiveDeliveryPolicy");
        assertThat(attributes.get("Policy")).contains("__default_policy_ID").contains("\"AWS:SourceOwner\":\"000000000000\"");

        sns.setTopicAttributes(r -> r.topicArn(arn).attributeName("DisplayName").attributeValue("All orders"));
        assertThat(sns.getTopicAttributes(r -> r.topicArn(arn)).attributes()).containsEntry("DisplayName", "All orders");

        assertThatThrownBy(() -> sns.createTopic(r -> r.name("orders").attributes(Map.of("DisplayName", "Other"))))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameter");
                    assertThat(e.getMessage()).contains("Topic already exists with different attributes");
                });
    }

    @Test
    void fifoTopicsNeedTheSuffixAndTheAttribute(SnsClient sns) {
        String arn = sns.createTopic(r -> r.name("ledger.fifo").attributes(Map.of("FifoTopic", "true", "ContentBasedDeduplication", "true")))
                .topicArn();
        assertThat(sns.getTopicAttributes(r -> r.topicArn(arn)).attributes())
                .containsEntry("FifoTopic", "true").containsEntry("ContentBasedDeduplication", "true");

        assertThatThrownBy(() -> sns.createTopic(r -> r.name("plain.fifo"))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sns.createTopic(r -> r.name("nosuffix").attributes(Map.of("FifoTopic", "true"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Fifo Topic names must end with .fifo");
        assertThatThrownBy(() -> sns.createTopic(r -> r.name("standard").attributes(Map.of("ContentBasedDeduplication", "true"))))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void badNamesAndAttributesAreInvalidParameters(SnsClient sns) {
        for (String name : List.of("", "has space", "dots.not.allowed", "x".repeat(257))) {
            assertThatThrownBy(() -> sns.createTopic(r -> r.name(name)))
                    .as(name).isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        }
        assertThatThrownBy(() -> sns.createTopic(r -> r.name("attrs").attributes(Map.of("Colour", "blue"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("AttributeName");
        String arn = sns.createTopic(r -> r.name("attrs")).topicArn();
        assertThatThrownBy(() -> sns.setTopicAttributes(r -> r.topicArn(arn).attributeName("Policy").attributeValue("{not json")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sns.setTopicAttributes(r -> r.topicArn(arn).attributeName("FifoTopic").attributeValue("true")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void missingTopicsAreNotFound(SnsClient sns) {
        assertThatThrownBy(() -> sns.getTopicAttributes(r -> r.topicArn(TOPICS + "nowhere")))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotFound");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Topic does not exist");
                });
        assertThatThrownBy(() -> sns.publish(r -> r.topicArn(TOPICS + "nowhere").message("x"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sns.getTopicAttributes(r -> r.topicArn("not-an-arn"))).isInstanceOf(InvalidParameterException.class);
        // DeleteTopic is idempotent.
        sns.deleteTopic(r -> r.topicArn(TOPICS + "nowhere"));
    }

    @Test
    void listTopicsPagesByAHundred(SnsClient sns) {
        for (int i = 0; i < 105; i++) {
            String name = String.format("paged-%03d", i);
            sns.createTopic(r -> r.name(name));
        }
        List<String> arns = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            ListTopicsResponse page = sns.listTopics(r -> r.nextToken(next));
            assertThat(page.topics()).hasSizeLessThanOrEqualTo(100);
            page.topics().forEach(t -> arns.add(t.topicArn()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(pages).isGreaterThanOrEqualTo(2);
        assertThat(arns.stream().filter(a -> a.startsWith(TOPICS + "paged-"))).hasSize(105).doesNotHaveDuplicates();
    }

    @Test
    void deleteTopicRemovesItAndItsSubscriptions(SnsClient sns) {
        String arn = sns.createTopic(r -> r.name("doomed")).topicArn();
        sns.subscribe(r -> r.topicArn(arn).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:doomed-q"));
        sns.deleteTopic(r -> r.topicArn(arn));
        assertThat(sns.listTopics().topics()).noneMatch(t -> t.topicArn().equals(arn));
        assertThat(sns.listSubscriptions().subscriptions()).noneMatch(s -> s.topicArn().equals(arn));
        assertThatThrownBy(() -> sns.getTopicAttributes(r -> r.topicArn(arn))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void tagsAreKeptAndLimited(SnsClient sns) {
        String arn = sns.createTopic(r -> r.name("tagged").tags(Tag.builder().key("team").value("a").build())).topicArn();
        sns.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().key("env").value("dev").build()));
        assertThat(sns.listTagsForResource(r -> r.resourceArn(arn)).tags())
                .extracting(Tag::key, Tag::value).containsExactly(org.assertj.core.groups.Tuple.tuple("env", "dev"),
                        org.assertj.core.groups.Tuple.tuple("team", "a"));
        sns.untagResource(r -> r.resourceArn(arn).tagKeys("team"));
        assertThat(sns.listTagsForResource(r -> r.resourceArn(arn)).tags()).extracting(Tag::key).containsExactly("env");

        List<Tag> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(Tag.builder().key("k" + i).value("v").build());
        }
        assertThatThrownBy(() -> sns.tagResource(r -> r.resourceArn(arn).tags(many)))
                .isInstanceOfSatisfying(TagLimitExceededException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> sns.listTagsForResource(r -> r.resourceArn(TOPICS + "untagged-nowhere")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> sns.createTopic(r -> r.name("tagged").tags(Tag.builder().key("team").value("b").build())))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("different tags");
    }

    @Test
    void permissionsLetOtherAccountsPublish(SnsClient sns, io.stratus.testkit.Stratus stratus) {
        String arn = sns.createTopic(r -> r.name("shared")).topicArn();
        try (SnsClient other = SnsFixtures.client(stratus, "111111111111")) {
            assertThatThrownBy(() -> other.publish(r -> r.topicArn(arn).message("hi")))
                    .isInstanceOfSatisfying(AuthorizationErrorException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AuthorizationError");
                    });
            sns.addPermission(r -> r.topicArn(arn).label("partner").awsAccountIds("111111111111").actionNames("Publish"));
            assertThat(sns.getTopicAttributes(r -> r.topicArn(arn)).attributes().get("Policy")).contains("\"Sid\":\"partner\"");
            assertThat(other.publish(r -> r.topicArn(arn).message("hi")).messageId()).isNotBlank();
            assertThatThrownBy(() -> sns.addPermission(r -> r.topicArn(arn).label("partner").awsAccountIds("111111111111").actionNames("Publish")))
                    .isInstanceOf(InvalidParameterException.class);
            sns.removePermission(r -> r.topicArn(arn).label("partner"));
            assertThatThrownBy(() -> other.publish(r -> r.topicArn(arn).message("hi"))).isInstanceOf(AuthorizationErrorException.class);
            assertThatThrownBy(() -> sns.removePermission(r -> r.topicArn(arn).label("partner"))).isInstanceOf(InvalidParameterException.class);
        }
    }

    @Test
    void unsupportedActionsAnswerInvalidAction(SnsClient sns) {
        assertThatThrownBy(() -> sns.listPlatformApplications())
                .isInstanceOfSatisfying(SnsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAction");
                });
        assertThatThrownBy(() -> sns.checkIfPhoneNumberIsOptedOut(r -> r.phoneNumber("+15555550100"))).isInstanceOf(SnsException.class);
    }
}
