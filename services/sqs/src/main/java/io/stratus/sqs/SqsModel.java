package io.stratus.sqs;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.stratus.protocol.traits.XmlFlattened;
import io.stratus.protocol.traits.XmlMapEntry;
import io.stratus.protocol.traits.XmlName;
import java.util.List;
import java.util.Map;

/**
 * The request and response records of the SQS operations, named as AWS names them. Members are
 * named for awsJson1_0; the XML traits give the awsQuery names where they differ (flattened
 * {@code Attribute.N.Name} maps, {@code AttributeName.N} lists), as in AWS's model.
 */
final class SqsModel {

    private SqsModel() {}

    // Queues.

    record CreateQueueRequest(
            String queueName,
            @XmlFlattened @XmlName("Attribute") @XmlMapEntry(key = "Name", value = "Value") Map<String, String> attributes,
            @JsonProperty("tags") @XmlFlattened @XmlName("Tag") @XmlMapEntry(key = "Key", value = "Value") Map<String, String> tags) {}

    record CreateQueueResponse(String queueUrl) {}

    record GetQueueUrlRequest(String queueName, String queueOwnerAWSAccountId) {}

    record GetQueueUrlResponse(String queueUrl) {}

    record ListQueuesRequest(String queueNamePrefix, String nextToken, Integer maxResults) {}

    record ListQueuesResponse(@XmlFlattened @XmlName("QueueUrl") List<String> queueUrls, String nextToken) {}

    record GetQueueAttributesRequest(String queueUrl, @XmlFlattened @XmlName("AttributeName") List<String> attributeNames) {}

    record GetQueueAttributesResponse(
            @XmlFlattened @XmlName("Attribute") @XmlMapEntry(key = "Name", value = "Value") Map<String, String> attributes) {}

    record SetQueueAttributesRequest(
            String queueUrl,
            @XmlFlattened @XmlName("Attribute") @XmlMapEntry(key = "Name", value = "Value") Map<String, String> attributes) {}

    record QueueUrlRequest(String queueUrl) {}

    record Empty() {}

    record TagQueueRequest(
            String queueUrl,
            @XmlFlattened @XmlName("Tag") @XmlMapEntry(key = "Key", value = "Value") Map<String, String> tags) {}

    record UntagQueueRequest(String queueUrl, @XmlFlattened @XmlName("TagKey") List<String> tagKeys) {}

    record ListQueueTagsResponse(@XmlFlattened @XmlName("Tag") @XmlMapEntry(key = "Key", value = "Value") Map<String, String> tags) {}

    record ListDeadLetterSourceQueuesRequest(String queueUrl, String nextToken, Integer maxResults) {}

    record ListDeadLetterSourceQueuesResponse(
            @JsonProperty("queueUrls") @XmlFlattened @XmlName("QueueUrl") List<String> queueUrls, String nextToken) {}

    // Permissions.

    record AddPermissionRequest(
            String queueUrl,
            String label,
            @JsonProperty("AWSAccountIds") @XmlFlattened @XmlName("AWSAccountId") List<String> accountIds,
            @XmlFlattened @XmlName("ActionName") List<String> actions) {}

    record RemovePermissionRequest(String queueUrl, String label) {}

    // Message move tasks.

    record StartMessageMoveTaskRequest(String sourceArn, String destinationArn, Integer maxNumberOfMessagesPerSecond) {}

    record StartMessageMoveTaskResponse(String taskHandle) {}

    record CancelMessageMoveTaskRequest(String taskHandle) {}

    record CancelMessageMoveTaskResponse(Long approximateNumberOfMessagesMoved) {}

    record ListMessageMoveTasksRequest(String sourceArn, Integer maxResults) {}

    record ListMessageMoveTasksResponse(
            @XmlFlattened @XmlName("ListMessageMoveTasksResultEntry") List<MessageMoveTaskEntry> results) {}

    record MessageMoveTaskEntry(
            String taskHandle,
            String status,
            String sourceArn,
            String destinationArn,
            Integer maxNumberOfMessagesPerSecond,
            Long approximateNumberOfMessagesMoved,
            Long approximateNumberOfMessagesToMove,
            String failureReason,
            Long startedTimestamp) {}

    // Messages.

    record MessageAttributeValue(
            String stringValue,
            byte[] binaryValue,
            @XmlFlattened @XmlName("StringListValue") List<String> stringListValues,
            @XmlFlattened @XmlName("BinaryListValue") List<byte[]> binaryListValues,
            String dataType) {}

    record SendMessageRequest(
            String queueUrl,
            String messageBody,
            Integer delaySeconds,
            @XmlFlattened @XmlName("MessageAttribute") @XmlMapEntry(key = "Name", value = "Value") Map<String, MessageAttributeValue> messageAttributes,
            @XmlFlattened @XmlName("MessageSystemAttribute") @XmlMapEntry(key = "Name", value = "Value") Map<String, MessageAttributeValue> messageSystemAttributes,
            String messageDeduplicationId,
            String messageGroupId) {}

    record SendMessageResponse(
            @JsonProperty("MD5OfMessageBody") @XmlName("MD5OfMessageBody") String md5OfMessageBody,
            @JsonProperty("MD5OfMessageAttributes") @XmlName("MD5OfMessageAttributes") String md5OfMessageAttributes,
            @JsonProperty("MD5OfMessageSystemAttributes") @XmlName("MD5OfMessageSystemAttributes") String md5OfMessageSystemAttributes,
            String messageId,
            String sequenceNumber) {}

    record SendMessageBatchRequestEntry(
            String id,
            String messageBody,
            Integer delaySeconds,
            @XmlFlattened @XmlName("MessageAttribute") @XmlMapEntry(key = "Name", value = "Value") Map<String, MessageAttributeValue> messageAttributes,
            @XmlFlattened @XmlName("MessageSystemAttribute") @XmlMapEntry(key = "Name", value = "Value") Map<String, MessageAttributeValue> messageSystemAttributes,
            String messageDeduplicationId,
            String messageGroupId) {}

    record SendMessageBatchRequest(
            String queueUrl, @XmlFlattened @XmlName("SendMessageBatchRequestEntry") List<SendMessageBatchRequestEntry> entries) {}

    record SendMessageBatchResultEntry(
            String id,
            String messageId,
            @JsonProperty("MD5OfMessageBody") @XmlName("MD5OfMessageBody") String md5OfMessageBody,
            @JsonProperty("MD5OfMessageAttributes") @XmlName("MD5OfMessageAttributes") String md5OfMessageAttributes,
            @JsonProperty("MD5OfMessageSystemAttributes") @XmlName("MD5OfMessageSystemAttributes") String md5OfMessageSystemAttributes,
            String sequenceNumber) {}

    record BatchResultErrorEntry(String id, Boolean senderFault, String code, String message) {}

    record SendMessageBatchResponse(
            @XmlFlattened @XmlName("SendMessageBatchResultEntry") List<SendMessageBatchResultEntry> successful,
            @XmlFlattened @XmlName("BatchResultErrorEntry") List<BatchResultErrorEntry> failed) {}

    record ReceiveMessageRequest(
            String queueUrl,
            @XmlFlattened @XmlName("AttributeName") List<String> attributeNames,
            @XmlFlattened @XmlName("MessageSystemAttributeName") List<String> messageSystemAttributeNames,
            @XmlFlattened @XmlName("MessageAttributeName") List<String> messageAttributeNames,
            Integer maxNumberOfMessages,
            Integer visibilityTimeout,
            Integer waitTimeSeconds,
            String receiveRequestAttemptId) {}

    record Message(
            String messageId,
            String receiptHandle,
            @JsonProperty("MD5OfBody") @XmlName("MD5OfBody") String md5OfBody,
            String body,
            @XmlFlattened @XmlName("Attribute") @XmlMapEntry(key = "Name", value = "Value") Map<String, String> attributes,
            @JsonProperty("MD5OfMessageAttributes") @XmlName("MD5OfMessageAttributes") String md5OfMessageAttributes,
            @XmlFlattened @XmlName("MessageAttribute") @XmlMapEntry(key = "Name", value = "Value") Map<String, MessageAttributeValue> messageAttributes) {}

    record ReceiveMessageResponse(@XmlFlattened @XmlName("Message") List<Message> messages) {}

    record DeleteMessageRequest(String queueUrl, String receiptHandle) {}

    record DeleteMessageBatchRequestEntry(String id, String receiptHandle) {}

    record DeleteMessageBatchRequest(
            String queueUrl, @XmlFlattened @XmlName("DeleteMessageBatchRequestEntry") List<DeleteMessageBatchRequestEntry> entries) {}

    record BatchResultEntry(String id) {}

    record DeleteMessageBatchResponse(
            @XmlFlattened @XmlName("DeleteMessageBatchResultEntry") List<BatchResultEntry> successful,
            @XmlFlattened @XmlName("BatchResultErrorEntry") List<BatchResultErrorEntry> failed) {}

    record ChangeMessageVisibilityRequest(String queueUrl, String receiptHandle, Integer visibilityTimeout) {}

    record ChangeMessageVisibilityBatchRequestEntry(String id, String receiptHandle, Integer visibilityTimeout) {}

    record ChangeMessageVisibilityBatchRequest(
            String queueUrl,
            @XmlFlattened @XmlName("ChangeMessageVisibilityBatchRequestEntry") List<ChangeMessageVisibilityBatchRequestEntry> entries) {}

    record ChangeMessageVisibilityBatchResponse(
            @XmlFlattened @XmlName("ChangeMessageVisibilityBatchResultEntry") List<BatchResultEntry> successful,
            @XmlFlattened @XmlName("BatchResultErrorEntry") List<BatchResultErrorEntry> failed) {}
}
