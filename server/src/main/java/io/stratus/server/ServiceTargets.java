package io.stratus.server;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.core.spi.Queues;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link Targets} over the services that can receive: SQS queues get a message whose body is the
 * payload (and the options' attributes as String message attributes), Lambda functions an
 * asynchronous invocation with it. Other kinds of ARN (SNS topics,
 * EventBridge buses, Step Functions) are not served yet: they do not exist for {@link #exists}
 * and {@link #deliver} refuses them. Thread-safe.
 */
final class ServiceTargets implements Targets {

    private final Queues queues;
    private final FunctionInvoker functions;

    ServiceTargets(Queues queues, FunctionInvoker functions) {
        this.queues = requireNonNull(queues, "queues is null");
        this.functions = requireNonNull(functions, "functions is null");
    }

    @Override
    public boolean exists(Arn target) {
        requireNonNull(target, "target is null");
        return switch (target.service()) {
            case "sqs" -> {
                try {
                    queues.describe(target);
                    yield true;
                } catch (AwsException e) {
                    yield false;
                }
            }
            case "lambda" -> functions.exists(target.accountId(), target.region(), target.toString());
            default -> false;
        };
    }

    @Override
    public boolean allows(Arn target, ServiceCaller caller) {
        requireNonNull(target, "target is null");
        requireNonNull(caller, "caller is null");
        return switch (target.service()) {
            case "sqs" -> queues.allows(target, caller);
            case "lambda" -> functions.allows(target.accountId(), target.region(), target.toString(), caller);
            default -> false;
        };
    }

    @Override
    public void deliver(Arn target, byte[] payload, Options options) {
        Targets.check(target, payload, options);
        switch (target.service()) {
            case "sqs" -> {
                Queues.OutgoingMessage message = new Queues.OutgoingMessage(new String(payload, StandardCharsets.UTF_8), attributes(options),
                        options.messageGroupId(), options.deduplicationId());
                if (options.caller() == null) {
                    queues.send(target, message);
                } else {
                    queues.send(target, message, options.caller());
                }
            }
            case "lambda" -> {
                if (options.caller() == null) {
                    functions.invokeAsync(target.accountId(), target.region(), target.toString(), payload);
                } else {
                    functions.invokeAsync(target.accountId(), target.region(), target.toString(), payload, options.caller());
                }
            }
            default -> throw AwsException.of(CommonErrors.NOT_IMPLEMENTED, "Stratus cannot deliver to %s resources yet: %s", target.service(), target);
        }
    }

    private static Map<String, Queues.MessageAttribute> attributes(Options options) {
        Map<String, Queues.MessageAttribute> attributes = new LinkedHashMap<>();
        options.attributes().forEach((name, value) -> attributes.put(name, Queues.MessageAttribute.string(value)));
        return attributes;
    }
}
