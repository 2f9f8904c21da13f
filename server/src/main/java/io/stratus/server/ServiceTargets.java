package io.stratus.server;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.spi.Buckets;
import io.stratus.core.spi.EventBus;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.core.spi.Queues;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Streams;
import io.stratus.core.spi.Targets;
import io.stratus.core.spi.Topics;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * {@link Targets} over the services that can receive: SQS queues get a message whose body is the
 * payload (and the options' attributes as String message attributes), Lambda functions an
 * asynchronous invocation with it, SNS topics a publish of it, EventBridge buses an event whose
 * detail it is (or, without an {@link Targets.EventHeader}, the whole event forwarded), S3 buckets
 * an object under the options' key, written as the bucket's owner, Kinesis streams a record (its
 * partition key the options' message group, else a random one) from their own account. Other kinds
 * of ARN (Step Functions, Firehose) are not served yet: they do not exist for {@link #exists} and
 * {@link #deliver} refuses them.
 *
 * <p>The services that deliver are also targets, so this is built first and {@link #connect
 * connected} to the receivers once they all exist, before any service starts. Thread-safe.
 */
final class ServiceTargets implements Targets {

    /** The services deliveries go to. */
    record Receivers(Queues queues, FunctionInvoker functions, Topics topics, EventBus buses, Buckets buckets, Streams streams) {

        Receivers {
            requireNonNull(queues, "queues is null");
            requireNonNull(functions, "functions is null");
            requireNonNull(topics, "topics is null");
            requireNonNull(buses, "buses is null");
            requireNonNull(buckets, "buckets is null");
            requireNonNull(streams, "streams is null");
        }
    }

    private volatile Receivers receivers;

    /** Plugs in the receiving services; once. */
    void connect(Receivers receivers) {
        requireNonNull(receivers, "receivers is null");
        synchronized (this) {
            if (this.receivers != null) {
                throw new IllegalStateException("Targets are connected already");
            }
            this.receivers = receivers;
        }
    }

    private Receivers receivers() {
        Receivers connected = receivers;
        if (connected == null) {
            throw new IllegalStateException("Targets are used before the services are connected");
        }
        return connected;
    }

    @Override
    public boolean exists(Arn target) {
        requireNonNull(target, "target is null");
        Receivers to = receivers();
        return switch (target.service()) {
            case "sqs" -> {
                try {
                    to.queues().describe(target);
                    yield true;
                } catch (AwsException e) {
                    yield false;
                }
            }
            case "lambda" -> to.functions().exists(target.accountId(), target.region(), target.toString());
            case "sns" -> to.topics().exists(target);
            case "events" -> to.buses().exists(target);
            case "s3" -> to.buckets().exists(target.resource());
            case "kinesis" -> to.streams().exists(target);
            default -> false;
        };
    }

    @Override
    public boolean allows(Arn target, ServiceCaller caller) {
        requireNonNull(target, "target is null");
        requireNonNull(caller, "caller is null");
        Receivers to = receivers();
        return switch (target.service()) {
            case "sqs" -> to.queues().allows(target, caller);
            case "lambda" -> to.functions().allows(target.accountId(), target.region(), target.toString(), caller);
            case "sns" -> to.topics().allows(target, caller);
            case "events" -> to.buses().allows(target, caller);
            // Bucket policies are stored, not enforced: a bucket takes what its owner's services write.
            case "s3" -> to.buckets().exists(target.resource());
            // Services write to streams through a role of the stream's account (no resource policies for streams here).
            case "kinesis" -> to.streams().exists(target) && caller.sourceAccount().equals(target.accountId());
            default -> false;
        };
    }

    @Override
    public void deliver(Arn target, byte[] payload, Options options) {
        Targets.check(target, payload, options);
        Receivers to = receivers();
        switch (target.service()) {
            case "sqs" -> {
                Queues.OutgoingMessage message = new Queues.OutgoingMessage(text(payload), options.attributes(),
                        options.messageGroupId(), options.deduplicationId(), options.traceHeader());
                if (options.caller() == null) {
                    to.queues().send(target, message);
                } else {
                    to.queues().send(target, message, options.caller());
                }
            }
            case "lambda" -> {
                to.functions().invokeAsync(target.accountId(), target.region(), target.toString(), payload, options.caller(), options.traceHeader());
            }
            case "sns" -> {
                Topics.Message message = new Topics.Message(text(payload), options.subject(), options.attributes(), options.messageGroupId(),
                        options.deduplicationId());
                if (options.caller() == null) {
                    to.topics().publish(target, message);
                } else {
                    to.topics().publish(target, message, options.caller());
                }
            }
            case "events" -> {
                EventHeader header = options.event();
                if (header == null) {
                    to.buses().forward(target, text(payload), options.caller());
                } else {
                    to.buses().put(target, new EventBus.Event(header.source(), header.detailType(), text(payload), header.resources(), header.time()),
                            options.caller());
                }
            }
            case "s3" -> {
                if (options.objectKey() == null) {
                    throw new IllegalArgumentException("a delivery to an S3 bucket needs an object key: " + target);
                }
                to.buckets().put(target.resource(), options.objectKey(), payload, "application/json");
            }
            case "kinesis" -> to.streams().put(target,
                    options.messageGroupId() != null ? options.messageGroupId() : UUID.randomUUID().toString(), payload);
            default -> throw AwsException.of(CommonErrors.NOT_IMPLEMENTED, "Stratus cannot deliver to %s resources yet: %s", target.service(), target);
        }
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
