package io.stratus.logs;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import java.util.Map;
import java.util.regex.Pattern;

/** Names, ARNs and the common checks of CloudWatch Logs requests. */
final class Names {

    private static final Pattern GROUP_NAME = Pattern.compile("[.\\-_/#A-Za-z0-9]+");
    private static final Pattern GROUP_ARN = Pattern.compile("arn:aws[a-z-]*:logs:([a-z0-9-]+):(\\d{12}):log-group:([^:]+)(:\\*)?");
    private static final int MAX_NAME = 512;
    private static final int MAX_TAGS = 50;

    private Names() {}

    static String requireGroupName(String member, String name) {
        required(member, name);
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw LogsErrors.constraint(member, name, "Member must have length between 1 and 512");
        }
        if (!GROUP_NAME.matcher(name).matches()) {
            throw LogsErrors.constraint(member, name, "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
        }
        return name;
    }

    static String requireStreamName(String name) {
        required("logStreamName", name);
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw LogsErrors.constraint("logStreamName", name, "Member must have length between 1 and 512");
        }
        if (name.indexOf(':') >= 0 || name.indexOf('*') >= 0) {
            throw LogsErrors.constraint("logStreamName", name, "Member must satisfy regular expression pattern: [^:*]*");
        }
        return name;
    }

    /** The group a request names by {@code logGroupName} or by {@code logGroupIdentifier} (a name or an ARN). */
    static String groupOf(RequestContext context, String logGroupName, String logGroupIdentifier) {
        if (logGroupName != null && logGroupIdentifier != null) {
            throw LogsErrors.invalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        if (logGroupIdentifier != null) {
            var arn = GROUP_ARN.matcher(logGroupIdentifier);
            if (arn.matches()) {
                if (!arn.group(2).equals(context.accountId()) || !arn.group(1).equals(context.region())) {
                    throw LogsErrors.groupNotFound();
                }
                return arn.group(3);
            }
            return requireGroupName("logGroupIdentifier", logGroupIdentifier);
        }
        if (logGroupName == null) {
            throw LogsErrors.invalidParameter("Either LogGroupName or LogGroupIdentifier must be specified.");
        }
        return requireGroupName("logGroupName", logGroupName);
    }

    /** The group a tagging request's ARN names, which must be in the caller's account and region. */
    static String groupOfArn(RequestContext context, String resourceArn) {
        required("resourceArn", resourceArn);
        var arn = GROUP_ARN.matcher(resourceArn);
        if (!arn.matches()) {
            throw LogsErrors.invalidParameter("The specified ARN is not a log group ARN: %s", resourceArn);
        }
        if (!arn.group(2).equals(context.accountId()) || !arn.group(1).equals(context.region())) {
            throw LogsErrors.groupNotFound();
        }
        return arn.group(3);
    }

    static String groupArn(RequestContext context, String group) {
        return "arn:aws:logs:" + context.region() + ":" + context.accountId() + ":log-group:" + group;
    }

    static String streamArn(RequestContext context, String group, String stream) {
        return groupArn(context, group) + ":log-stream:" + stream;
    }

    static Map<String, String> checkTags(Map<String, String> tags) {
        if (tags == null) {
            return Map.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw LogsErrors.constraint("tags", tags, "Member must have length less than or equal to 50");
        }
        tags.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > 128 || key.startsWith("aws:")) {
                throw LogsErrors.invalidParameter("Invalid tag key: %s", key);
            }
            if (value == null || value.length() > 256) {
                throw LogsErrors.invalidParameter("Invalid tag value for key %s", key);
            }
        });
        return tags;
    }

    static int limit(String member, Integer limit, int max, int fallback) {
        if (limit == null) {
            return fallback;
        }
        if (limit < 1) {
            throw LogsErrors.constraint(member, limit, "Member must have value greater than or equal to 1");
        }
        if (limit > max) {
            throw LogsErrors.constraint(member, limit, "Member must have value less than or equal to " + max);
        }
        return limit;
    }

    /** Where a page of a listing paged by position starts: 0 without a token; an unreadable token is {@code InvalidParameterException}. */
    static int pageOffset(String nextToken) {
        if (nextToken == null) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(GroupOperations.decodeToken(nextToken));
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw LogsErrors.invalidParameter("The specified nextToken is invalid.");
    }

    /** The token of the page after one that ended at {@code end} of {@code total} entries, or null after the last. */
    static String nextPage(long end, int total) {
        return end < total ? GroupOperations.encodeToken(Long.toString(end)) : null;
    }

    static <T> T required(String member, T value) {
        if (value == null) {
            throw AwsException.of(LogsErrors.INVALID_PARAMETER,
                    "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member);
        }
        return value;
    }
}
