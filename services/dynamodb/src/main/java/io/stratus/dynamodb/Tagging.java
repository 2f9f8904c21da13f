package io.stratus.dynamodb;

import static io.stratus.dynamodb.DynamoDbErrors.validation;
import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.dynamodb.TableModel.Empty;
import io.stratus.dynamodb.TableModel.ListTagsOfResourceRequest;
import io.stratus.dynamodb.TableModel.ListTagsOfResourceResponse;
import io.stratus.dynamodb.TableModel.Tag;
import io.stratus.dynamodb.TableModel.TagResourceRequest;
import io.stratus.dynamodb.TableModel.UntagResourceRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TagResource, UntagResource, ListTagsOfResource on tables, addressed by ARN. Thread-safe. */
final class Tagging {

    private static final int MAX_TAGS = 50;

    private final TableStore tables;

    Tagging(TableStore tables) {
        this.tables = requireNonNull(tables, "tables is null");
    }

    static Map<String, String> checkTags(List<Tag> tags) {
        Map<String, String> checked = new LinkedHashMap<>();
        if (tags == null) {
            return checked;
        }
        for (Tag tag : tags) {
            if (tag == null || tag.key() == null || tag.key().isEmpty() || tag.key().length() > 128) {
                throw validation("1 validation error detected: Value '%s' at 'tags.1.member.key' failed to satisfy constraint: Member must have length between 1 and 128",
                        tag == null ? null : tag.key());
            }
            if (tag.value() == null || tag.value().length() > 256) {
                throw validation("1 validation error detected: Value '%s' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256",
                        tag.value());
            }
            checked.put(tag.key(), tag.value());
        }
        if (checked.size() > MAX_TAGS) {
            throw validation("One or more parameter values were invalid: Too many tags; limit is 50");
        }
        return checked;
    }

    Empty tagResource(RequestContext context, TagResourceRequest request) {
        Map<String, String> added = checkTags(request.tags());
        if (added.isEmpty()) {
            throw validation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
        }
        String name = tableName(context, request.resourceArn());
        tables.store().transaction(txn -> {
            Table table = TableStore.require(txn, context, name);
            Map<String, String> tags = new LinkedHashMap<>(table.tags());
            tags.putAll(added);
            if (tags.size() > MAX_TAGS) {
                throw AwsException.of(DynamoDbErrors.LIMIT_EXCEEDED, "Too many tags: a table can have at most 50 tags");
            }
            TableStore.write(txn, table.withTags(tags));
            return null;
        });
        return new Empty();
    }

    Empty untagResource(RequestContext context, UntagResourceRequest request) {
        if (request.tagKeys() == null) {
            throw validation("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
        }
        String name = tableName(context, request.resourceArn());
        tables.store().transaction(txn -> {
            Table table = TableStore.require(txn, context, name);
            Map<String, String> tags = new LinkedHashMap<>(table.tags());
            request.tagKeys().forEach(tags::remove);
            TableStore.write(txn, table.withTags(tags));
            return null;
        });
        return new Empty();
    }

    ListTagsOfResourceResponse listTagsOfResource(RequestContext context, ListTagsOfResourceRequest request) {
        Table table = tables.require(context, tableName(context, request.resourceArn()));
        List<Tag> tags = table.tags().entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList();
        return new ListTagsOfResourceResponse(tags, null);
    }

    /** The table an ARN of this account and region names: {@code arn:aws:dynamodb:<region>:<account>:table/<name>}. */
    private static String tableName(RequestContext context, String arn) {
        if (arn == null) {
            throw validation("1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null");
        }
        String prefix = "arn:aws:dynamodb:" + context.region() + ":" + context.accountId() + ":table/";
        if (!arn.startsWith("arn:") || arn.split(":", 6).length < 6) {
            throw validation("Invalid TableArn: Invalid ResourceArn provided as input %s", arn);
        }
        if (!arn.startsWith(prefix) || arn.substring(prefix.length()).contains("/")) {
            throw AwsException.of(DynamoDbErrors.RESOURCE_NOT_FOUND, "Requested resource not found: ResourceArn: %s not found", arn);
        }
        return TableRules.checkTableName(arn.substring(prefix.length()));
    }
}
