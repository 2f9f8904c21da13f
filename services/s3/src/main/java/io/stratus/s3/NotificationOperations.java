package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.RequestContext;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.s3.BucketConfigOperations.ConfigDocument;
import java.util.Map;

/**
 * PutBucketNotificationConfiguration and GetBucketNotificationConfiguration: the configuration is
 * checked (see {@link NotificationConfig}), each destination must exist unless the client says
 * {@code x-amz-skip-destination-validation: true}, new queue and topic destinations get
 * {@code s3:TestEvent}, and the configuration is stored with every rule's id. An empty
 * configuration turns notifications off; {@code EventBridgeConfiguration} sends every event to
 * the account's default event bus as well. Thread-safe.
 */
final class NotificationOperations {

    static final String SUBRESOURCE = "notification";

    record PutNotificationRequest(@HttpLabel("Bucket") String bucket,
            @HttpHeader("x-amz-skip-destination-validation") Boolean skipDestinationValidation, @HttpPayload byte[] document) implements BucketAddressed {}

    private final BucketStore buckets;
    private final Targets targets;
    private final Notifier notifier;

    NotificationOperations(BucketStore buckets, Targets targets, Notifier notifier) {
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.targets = requireNonNull(targets, "targets is null");
        this.notifier = requireNonNull(notifier, "notifier is null");
    }

    BucketConfigOperations.NoContent put(RequestContext context, PutNotificationRequest request) {
        Bucket bucket = buckets.require(context, request.bucket());
        NotificationConfig config = NotificationConfig.parse(request.document() == null ? new byte[0] : request.document());
        if (!Boolean.TRUE.equals(request.skipDestinationValidation())) {
            ServiceCaller s3 = Notifier.caller(bucket.name(), bucket.account());
            Map<String, String> unusable = new java.util.LinkedHashMap<>();
            for (NotificationConfig.Rule rule : config.rules()) {
                if (!targets.exists(rule.target())) {
                    unusable.putIfAbsent(rule.target().toString(), NotificationConfig.missing(rule));
                } else if (!targets.allows(rule.target(), s3)) {
                    unusable.putIfAbsent(rule.target().toString(), NotificationConfig.notAllowed(rule));
                }
            }
            if (!unusable.isEmpty()) {
                throw NotificationConfig.unusable(unusable);
            }
        }
        NotificationConfig before = buckets.config(request.bucket(), SUBRESOURCE).map(NotificationConfig::parse).orElse(NotificationConfig.EMPTY);
        if (config.isEmpty()) {
            buckets.deleteConfig(context, request.bucket(), SUBRESOURCE);
        } else {
            buckets.putConfig(context, request.bucket(), SUBRESOURCE, config.toXml());
        }
        config.rules().stream()
                .filter(rule -> rule.kind() != NotificationConfig.Kind.FUNCTION)
                .map(NotificationConfig.Rule::target)
                .distinct()
                .filter(queue -> before.rules().stream().noneMatch(old -> old.target().equals(queue)))
                .forEach(queue -> notifier.testEvent(context, request.bucket(), queue));
        return new BucketConfigOperations.NoContent();
    }

    ConfigDocument get(RequestContext context, BucketModel.BucketRequest request) {
        buckets.require(context, request.bucket());
        byte[] document = buckets.config(request.bucket(), SUBRESOURCE)
                .orElseGet(() -> NotificationConfig.EMPTY.toXml());
        return new ConfigDocument("application/xml", document);
    }
}
