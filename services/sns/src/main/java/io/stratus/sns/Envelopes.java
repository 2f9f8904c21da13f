package io.stratus.sns;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;

/**
 * What a subscription receives, as AWS documents it: the JSON notification envelope SQS queues
 * get ({@code Type}, {@code MessageId}, {@code TopicArn}, {@code Subject}, {@code Message},
 * {@code Timestamp}, signature fields, {@code UnsubscribeURL}, {@code MessageAttributes}), and the
 * {@code Records} event Lambda functions get. Stratus has no signing certificate, so
 * {@code Signature} is a digest of the fields AWS signs, not an RSA signature one can verify.
 * Thread-safe.
 */
final class Envelopes {

    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String base;

    Envelopes(URI baseUri) {
        String text = requireNonNull(baseUri, "baseUri is null").toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** One published message, as every envelope describes it. */
    record Notification(String messageId, String topicArn, String subject, String message, Instant timestamp, String sequenceNumber,
            Map<String, PublishedAttribute> attributes) {}

    /** The JSON envelope (SQS without raw delivery, dead-letter queues). */
    String envelope(Notification notification, String subscriptionArn) {
        ObjectNode node = SnsStore.JSON.createObjectNode();
        node.put("Type", "Notification");
        node.put("MessageId", notification.messageId());
        if (notification.sequenceNumber() != null) {
            node.put("SequenceNumber", notification.sequenceNumber());
        }
        node.put("TopicArn", notification.topicArn());
        if (notification.subject() != null) {
            node.put("Subject", notification.subject());
        }
        node.put("Message", notification.message());
        node.put("Timestamp", TIMESTAMP.format(notification.timestamp()));
        node.put("SignatureVersion", "1");
        node.put("Signature", signature(notification));
        node.put("SigningCertURL", signingCertUrl());
        node.put("UnsubscribeURL", unsubscribeUrl(subscriptionArn));
        if (!notification.attributes().isEmpty()) {
            node.set("MessageAttributes", attributes(notification.attributes()));
        }
        return node.toString();
    }

    /** The event a Lambda function is invoked with. */
    String lambdaEvent(Notification notification, String subscriptionArn) {
        ObjectNode event = SnsStore.JSON.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("EventSource", "aws:sns");
        record.put("EventVersion", "1.0");
        record.put("EventSubscriptionArn", subscriptionArn);
        ObjectNode sns = record.putObject("Sns");
        sns.put("Type", "Notification");
        sns.put("MessageId", notification.messageId());
        sns.put("TopicArn", notification.topicArn());
        if (notification.subject() == null) {
            sns.putNull("Subject");
        } else {
            sns.put("Subject", notification.subject());
        }
        sns.put("Message", notification.message());
        sns.put("Timestamp", TIMESTAMP.format(notification.timestamp()));
        sns.put("SignatureVersion", "1");
        sns.put("Signature", signature(notification));
        sns.put("SigningCertUrl", signingCertUrl());
        sns.put("UnsubscribeUrl", unsubscribeUrl(subscriptionArn));
        sns.set("MessageAttributes", attributes(notification.attributes()));
        return event.toString();
    }

    private static ObjectNode attributes(Map<String, PublishedAttribute> attributes) {
        ObjectNode node = SnsStore.JSON.createObjectNode();
        attributes.forEach((name, attribute) -> node.putObject(name).put("Type", attribute.type()).put("Value", attribute.value()));
        return node;
    }

    private String signingCertUrl() {
        return base + "/SimpleNotificationService-stratus.pem";
    }

    private String unsubscribeUrl(String subscriptionArn) {
        return base + "/?Action=Unsubscribe&SubscriptionArn=" + URLEncoder.encode(subscriptionArn, StandardCharsets.UTF_8);
    }

    /** A digest of the string AWS signs for a notification (its fields, name and value per line, in order). */
    private static String signature(Notification notification) {
        StringBuilder canonical = new StringBuilder();
        canonical.append("Message\n").append(notification.message()).append('\n');
        canonical.append("MessageId\n").append(notification.messageId()).append('\n');
        if (notification.subject() != null) {
            canonical.append("Subject\n").append(notification.subject()).append('\n');
        }
        canonical.append("Timestamp\n").append(TIMESTAMP.format(notification.timestamp())).append('\n');
        canonical.append("TopicArn\n").append(notification.topicArn()).append('\n');
        canonical.append("Type\nNotification\n");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
