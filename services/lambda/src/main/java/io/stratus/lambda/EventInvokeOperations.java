package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.lambda.ControlModel.DestinationConfig;
import io.stratus.lambda.ControlModel.Empty;
import io.stratus.lambda.ControlModel.EventInvokeConfigRequest;
import io.stratus.lambda.ControlModel.FunctionEventInvokeConfig;
import io.stratus.lambda.ControlModel.FunctionEventInvokeConfigRequest;
import io.stratus.lambda.ControlModel.ListFunctionEventInvokeConfigsRequest;
import io.stratus.lambda.ControlModel.ListFunctionEventInvokeConfigsResponse;
import io.stratus.lambda.ControlModel.OnFailure;
import io.stratus.lambda.ControlModel.OnSuccess;
import io.stratus.lambda.FunctionRules.FunctionReference;
import io.stratus.lambda.FunctionStore.Attachment;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Event invoke configs: Put, Get, Update, Delete and ListFunctionEventInvokeConfigs, stored as one
 * attachment per function and qualifier; {@link AsyncInvocations} applies them (retries, maximum
 * event age, destinations) to the {@code Event} invocations of that qualifier.
 * Thread-safe: all state is in the store.
 */
final class EventInvokeOperations {

    private static final String DESTINATION_PATTERN =
            "^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)";
    private static final Pattern DESTINATION = Pattern.compile(DESTINATION_PATTERN);

    /** A config as stored. */
    record Config(Instant lastModified, Integer maximumRetryAttempts, Integer maximumEventAgeInSeconds, DestinationConfig destinationConfig) {}

    private final FunctionStore functions;
    private final VersionOperations versions;
    private final VersionOperations.Lookup lookup;
    private final Clock clock;

    EventInvokeOperations(FunctionStore functions, VersionOperations versions, VersionOperations.Lookup lookup, Clock clock) {
        this.functions = requireNonNull(functions, "functions is null");
        this.versions = requireNonNull(versions, "versions is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    FunctionEventInvokeConfig put(RequestContext context, EventInvokeConfigRequest request) {
        return change(context, request, true);
    }

    FunctionEventInvokeConfig update(RequestContext context, EventInvokeConfigRequest request) {
        return change(context, request, false);
    }

    private FunctionEventInvokeConfig change(RequestContext context, EventInvokeConfigRequest request, boolean replace) {
        Target target = target(context, request.functionName(), request.qualifier());
        Integer retries = range(request.maximumRetryAttempts(), "maximumRetryAttempts", 0, 2);
        Integer age = range(request.maximumEventAgeInSeconds(), "maximumEventAgeInSeconds", 60, 21600);
        DestinationConfig destinations = destinations(request.destinationConfig());
        if (retries == null && age == null && (destinations == null || destinations.onSuccess() == null && destinations.onFailure() == null)) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "You must specify at least one of error handling or destination setting.");
        }
        FunctionRecord latest = target.latest();
        notItself(latest, destinations);
        Config updated = functions.changeAttachment(Attachment.EVENT_INVOKE_CONFIG, latest.accountId(), latest.region(), latest.name(),
                target.qualifier(), Config.class, current -> {
                    if (current == null && !replace) {
                        throw notFound(target);
                    }
                    if (replace) {
                        return new Config(clock.instant(), retries, age, destinations);
                    }
                    DestinationConfig merged = current.destinationConfig();
                    if (destinations != null) {
                        OnSuccess onSuccess = destinations.onSuccess() != null ? destinations.onSuccess() : merged == null ? null : merged.onSuccess();
                        OnFailure onFailure = destinations.onFailure() != null ? destinations.onFailure() : merged == null ? null : merged.onFailure();
                        merged = new DestinationConfig(onSuccess, onFailure);
                    }
                    return new Config(clock.instant(), retries != null ? retries : current.maximumRetryAttempts(),
                            age != null ? age : current.maximumEventAgeInSeconds(), merged);
                }).orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name())).orElseThrow();
        return report(target.arn(), updated);
    }

    FunctionEventInvokeConfig get(RequestContext context, FunctionEventInvokeConfigRequest request) {
        Target target = target(context, request.functionName(), request.qualifier());
        FunctionRecord latest = target.latest();
        Config config = functions.attachment(Attachment.EVENT_INVOKE_CONFIG, latest.accountId(), latest.region(), latest.name(),
                target.qualifier(), Config.class).orElseThrow(() -> notFound(target));
        return report(target.arn(), config);
    }

    Empty delete(RequestContext context, FunctionEventInvokeConfigRequest request) {
        Target target = target(context, request.functionName(), request.qualifier());
        FunctionRecord latest = target.latest();
        functions.changeAttachment(Attachment.EVENT_INVOKE_CONFIG, latest.accountId(), latest.region(), latest.name(), target.qualifier(),
                Config.class, current -> {
                    if (current == null) {
                        throw notFound(target);
                    }
                    return null;
                }).orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name()));
        return new Empty();
    }

    ListFunctionEventInvokeConfigsResponse list(RequestContext context, ListFunctionEventInvokeConfigsRequest request) {
        FunctionReference reference = FunctionRules.reference(request.functionName(), null);
        int maxItems = request.maxItems() == null ? 50 : request.maxItems();
        if (maxItems < 1 || maxItems > 50) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value %s", maxItems,
                    maxItems < 1 ? "greater than or equal to 1" : "less than or equal to 50");
        }
        FunctionRecord latest = lookup.latest(context.accountId(), context.region(), reference);
        List<FunctionEventInvokeConfig> all = new ArrayList<>();
        for (Map.Entry<String, Config> entry : functions.attachments(Attachment.EVENT_INVOKE_CONFIG, latest.accountId(), latest.region(),
                latest.name(), Config.class).entrySet()) {
            String qualifier = entry.getKey().isEmpty() ? FunctionRecord.LATEST : entry.getKey();
            all.add(report(latest.arn() + ":" + qualifier, entry.getValue()));
        }
        int start = 0;
        if (request.marker() != null) {
            while (start < all.size() && !all.get(start).functionArn().equals(request.marker())) {
                start++;
            }
            start++;
        }
        List<FunctionEventInvokeConfig> page = all.subList(Math.min(start, all.size()), Math.min(start + maxItems, all.size()));
        String next = start + maxItems < all.size() ? page.getLast().functionArn() : null;
        return new ListFunctionEventInvokeConfigsResponse(List.copyOf(page), next);
    }

    private record Target(FunctionRecord latest, String qualifier, String arn) {}

    private Target target(RequestContext context, String functionName, String qualifier) {
        FunctionReference reference = FunctionRules.reference(functionName, qualifier);
        FunctionRecord latest = lookup.latest(context.accountId(), context.region(), reference);
        String q = reference.qualifier() == null || reference.qualifier().equals(FunctionRecord.LATEST) ? "" : reference.qualifier();
        versions.qualified(latest, reference.qualifier(), false);
        return new Target(latest, q, latest.arn() + ":" + (q.isEmpty() ? FunctionRecord.LATEST : q));
    }

    private static FunctionEventInvokeConfig report(String arn, Config config) {
        return new FunctionEventInvokeConfig(config.lastModified(), arn, config.maximumRetryAttempts(), config.maximumEventAgeInSeconds(),
                config.destinationConfig() == null ? new DestinationConfig(null, null) : config.destinationConfig());
    }

    private static AwsException notFound(Target target) {
        return new AwsException(LambdaErrors.RESOURCE_NOT_FOUND, "The function " + target.arn() + " doesn't have an EventInvokeConfig",
                Map.of("Type", "User"), null);
    }

    private static Integer range(Integer value, String member, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value %s", value, member,
                    value < min ? "greater than or equal to " + min : "less than or equal to " + max);
        }
        return value;
    }

    private static DestinationConfig destinations(DestinationConfig config) {
        if (config == null) {
            return null;
        }
        String success = config.onSuccess() == null ? null : config.onSuccess().destination();
        String failure = config.onFailure() == null ? null : config.onFailure().destination();
        destination(success, "destinationConfig.onSuccess.destination");
        destination(failure, "destinationConfig.onFailure.destination");
        if (success != null && !success.isEmpty() && success.split(":")[2].equals("s3")) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "The destination ARN %s is invalid: an Amazon S3 bucket is supported as an OnFailure destination only.", success);
        }
        return new DestinationConfig(success == null || success.isEmpty() ? null : new OnSuccess(success),
                failure == null || failure.isEmpty() ? null : new OnFailure(failure));
    }

    /** A function cannot be its own destination, by any qualifier: an invocation would invoke it again. */
    private static void notItself(FunctionRecord function, DestinationConfig destinations) {
        if (destinations == null) {
            return;
        }
        for (String arn : new String[] {destinations.onSuccess() == null ? null : destinations.onSuccess().destination(),
                destinations.onFailure() == null ? null : destinations.onFailure().destination()}) {
            if (arn != null && (arn.equals(function.arn()) || arn.startsWith(function.arn() + ":"))) {
                throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "You can't specify the function as a destination for itself.");
            }
        }
    }

    private static void destination(String arn, String member) {
        if (arn == null) {
            return;
        }
        if (arn.length() > 350 || !DESTINATION.matcher(arn).matches()) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s",
                    arn, member, DESTINATION_PATTERN);
        }
        String service = arn.split(":")[2];
        if (!List.of("sqs", "sns", "lambda", "events", "s3").contains(service)) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "The destination ARN %s is invalid.", arn);
        }
    }
}
