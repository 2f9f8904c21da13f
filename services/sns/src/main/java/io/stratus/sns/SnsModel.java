package io.stratus.sns;

import io.stratus.protocol.traits.XmlMapEntry;
import io.stratus.protocol.traits.XmlName;
import java.util.List;
import java.util.Map;

/**
 * The request and response records of the SNS operations, named as AWS names them. SNS speaks
 * awsQuery only: lists are wrapped ({@code Tags.member.1.Key}), attribute maps are
 * {@code Attributes.entry.1.key}/{@code value}, message attributes
 * {@code MessageAttributes.entry.1.Name}/{@code Value.DataType}, as in AWS's model.
 */
final class SnsModel {

    private SnsModel() {}

    record Tag(String key, String value) {}

    record Empty() {}

    // Topics.

    record CreateTopicRequest(String name, Map<String, String> attributes, List<Tag> tags, String dataProtectionPolicy) {}

    record CreateTopicResponse(String topicArn) {}

    record TopicArnRequest(String topicArn) {}

    record ListTopicsRequest(String nextToken) {}

    record TopicEntry(String topicArn) {}

    record ListTopicsResponse(List<TopicEntry> topics, String nextToken) {}

    record AttributesResponse(Map<String, String> attributes) {}

    record SetTopicAttributesRequest(String topicArn, String attributeName, String attributeValue) {}

    record AddPermissionRequest(String topicArn, String label, @XmlName("AWSAccountId") List<String> accountIds, @XmlName("ActionName") List<String> actionNames) {}

    record RemovePermissionRequest(String topicArn, String label) {}

    // Tags.

    record TagResourceRequest(String resourceArn, List<Tag> tags) {}

    record UntagResourceRequest(String resourceArn, List<String> tagKeys) {}

    record ListTagsForResourceRequest(String resourceArn) {}

    record ListTagsForResourceResponse(List<Tag> tags) {}

    // Subscriptions.

    record SubscribeRequest(String topicArn, String protocol, String endpoint, Map<String, String> attributes, Boolean returnSubscriptionArn) {}

    record SubscriptionArnResponse(String subscriptionArn) {}

    record ConfirmSubscriptionRequest(String topicArn, String token, String authenticateOnUnsubscribe) {}

    record UnsubscribeRequest(String subscriptionArn) {}

    record ListSubscriptionsRequest(String nextToken) {}

    record ListSubscriptionsByTopicRequest(String topicArn, String nextToken) {}

    record SubscriptionEntry(String subscriptionArn, String owner, String protocol, String endpoint, String topicArn) {}

    record ListSubscriptionsResponse(List<SubscriptionEntry> subscriptions, String nextToken) {}

    record GetSubscriptionAttributesRequest(String subscriptionArn) {}

    record SetSubscriptionAttributesRequest(String subscriptionArn, String attributeName, String attributeValue) {}

    // Publishing.

    record MessageAttributeValue(String dataType, String stringValue, byte[] binaryValue) {}

    record PublishRequest(
            String topicArn,
            String targetArn,
            String phoneNumber,
            String message,
            String subject,
            String messageStructure,
            @XmlMapEntry(key = "Name", value = "Value") Map<String, MessageAttributeValue> messageAttributes,
            String messageDeduplicationId,
            String messageGroupId) {}

    record PublishResponse(String messageId, String sequenceNumber) {}

    record PublishBatchRequestEntry(
            String id,
            String message,
            String subject,
            String messageStructure,
            @XmlMapEntry(key = "Name", value = "Value") Map<String, MessageAttributeValue> messageAttributes,
            String messageDeduplicationId,
            String messageGroupId) {}

    record PublishBatchRequest(String topicArn, List<PublishBatchRequestEntry> publishBatchRequestEntries) {}

    record PublishBatchResultEntry(String id, String messageId, String sequenceNumber) {}

    record BatchResultErrorEntry(String id, String code, String message, Boolean senderFault) {}

    record PublishBatchResponse(List<PublishBatchResultEntry> successful, List<BatchResultErrorEntry> failed) {}
}
