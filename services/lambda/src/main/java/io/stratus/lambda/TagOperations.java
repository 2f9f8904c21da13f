package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.lambda.ControlModel.Empty;
import io.stratus.lambda.ControlModel.ListTagsRequest;
import io.stratus.lambda.ControlModel.ListTagsResponse;
import io.stratus.lambda.ControlModel.TagResourceRequest;
import io.stratus.lambda.ControlModel.UntagResourceRequest;
import io.stratus.lambda.FunctionRules.FunctionReference;
import io.stratus.lambda.FunctionStore.Attachment;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Tags on functions, event source mappings and code signing configurations: TagResource,
 * UntagResource, ListTags, and the {@code Tags} of CreateFunction and GetFunction
 * (CreateEventSourceMapping's are stored by {@link EventSourceMappings}, a configuration's with it
 * by {@link CodeSigningOperations}). A function's tags are one store attachment, deleted with the function.
 * Thread-safe: all state is in the store, changed in transactions.
 */
final class TagOperations {

    /** AWS's limit on a resource's tags. */
    static final int MAX_TAGS = 50;

    /** A function's tags as stored. */
    record TagSet(Map<String, String> tags) {
        TagSet {
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }
    }

    /**
     * What a tagging call's {@code Resource} names (a function, an event source mapping or a code
     * signing configuration): how to read its tags and how to change them.
     */
    private record Tagged(Supplier<Map<String, String>> reader, Consumer<UnaryOperator<Map<String, String>>> changer) {

        Map<String, String> tags() {
            return reader.get();
        }

        void change(UnaryOperator<Map<String, String>> change) {
            changer.accept(change);
        }
    }

    private final FunctionStore functions;
    private final VersionOperations.Lookup lookup;
    private final EventSourceMappings mappings;
    private final CodeSigningOperations codeSigning;

    TagOperations(FunctionStore functions, VersionOperations.Lookup lookup, EventSourceMappings mappings, CodeSigningOperations codeSigning) {
        this.functions = requireNonNull(functions, "functions is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
        this.mappings = requireNonNull(mappings, "mappings is null");
        this.codeSigning = requireNonNull(codeSigning, "codeSigning is null");
    }

    Empty tagResource(RequestContext context, TagResourceRequest request) {
        Tagged resource = resource(context, request.resource());
        if (request.tags() == null) {
            throw FunctionRules.notNull("tags");
        }
        Map<String, String> tags = validate(request.tags());
        resource.change(current -> {
            Map<String, String> merged = new TreeMap<>(current);
            merged.putAll(tags);
            return limited(merged);
        });
        return new Empty();
    }

    Empty untagResource(RequestContext context, UntagResourceRequest request) {
        Tagged resource = resource(context, request.resource());
        if (request.tagKeys() == null) {
            throw FunctionRules.notNull("tagKeys");
        }
        List<String> keys = request.tagKeys();
        resource.change(current -> {
            Map<String, String> remaining = new TreeMap<>(current);
            keys.forEach(remaining::remove);
            return remaining;
        });
        return new Empty();
    }

    ListTagsResponse listTags(RequestContext context, ListTagsRequest request) {
        return new ListTagsResponse(new TreeMap<>(resource(context, request.resource()).tags()));
    }

    private static Map<String, String> limited(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Number of tags exceeds resource tag limit.");
        }
        return tags;
    }

    /** A function's tags (empty when it has none). */
    Map<String, String> tags(FunctionRecord latest) {
        return functions.attachment(Attachment.TAGS, latest.accountId(), latest.region(), latest.name(), "", TagSet.class)
                .map(TagSet::tags).orElse(Map.of());
    }

    /** Tags a function just created (CreateFunction's {@code Tags}, checked with {@link #validate} before). */
    void tagNew(FunctionRecord latest, Map<String, String> tags) {
        if (!tags.isEmpty()) {
            change(latest, current -> tags);
        }
    }

    private void change(FunctionRecord latest, UnaryOperator<Map<String, String>> change) {
        functions.changeAttachment(Attachment.TAGS, latest.accountId(), latest.region(), latest.name(), "", TagSet.class, current -> {
            Map<String, String> updated = change.apply(current == null ? Map.of() : current.tags());
            return updated.isEmpty() ? null : new TagSet(updated);
        }).orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name()));
    }

    /** Checks tags as AWS does: keys of 1–128 characters, values of up to 256, at most 50. */
    static Map<String, String> validate(Map<String, String> tags) {
        if (tags == null) {
            return Map.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Number of tags exceeds resource tag limit.");
        }
        Map<String, String> copy = new TreeMap<>();
        tags.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > 128) {
                throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Tag keys must be between 1 and 128 characters in length.");
            }
            if (key.startsWith("aws:")) {
                throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Tag keys starting with 'aws:' are reserved for AWS use.");
            }
            String v = value == null ? "" : value;
            if (v.length() > 256) {
                throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Tag values must be 256 characters or less in length.");
            }
            copy.put(key, v);
        });
        return copy;
    }

    /**
     * What a tagging call's {@code Resource} names: an unqualified function ARN, an event source
     * mapping's ARN ({@code arn:aws:lambda:<region>:<account>:event-source-mapping:<uuid>}) or a
     * code signing configuration's.
     */
    private Tagged resource(RequestContext context, String resource) {
        if (resource == null) {
            throw FunctionRules.notNull("resource");
        }
        if (!resource.startsWith("arn:") || !resource.contains(":lambda:")) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",
                    resource);
        }
        int mapping = resource.indexOf(":event-source-mapping:");
        if (mapping >= 0) {
            String uuid = resource.substring(mapping + ":event-source-mapping:".length());
            mappings.tags(context, uuid); // there, or ResourceNotFoundException
            return new Tagged(() -> mappings.tags(context, uuid), change -> mappings.changeTags(context, uuid, change));
        }
        if (resource.contains(":code-signing-config:")) {
            codeSigning.tags(context, resource); // there, or ResourceNotFoundException
            return new Tagged(() -> codeSigning.tags(context, resource), change -> codeSigning.changeTags(context, resource, change));
        }
        if (!resource.contains(":function:")) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "Tags on %s are not supported by Stratus yet; functions, event source mappings and code signing configurations have tags.", resource);
        }
        FunctionReference reference = FunctionRules.reference(resource, null);
        if (reference.qualifier() != null) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Tags on function aliases and versions are not supported. Please specify a function ARN.");
        }
        FunctionRecord latest = lookup.latest(context.accountId(), context.region(), reference);
        return new Tagged(() -> tags(latest), change -> change(latest, change));
    }
}
