package io.stratus.events;

import io.stratus.core.Arn;
import io.stratus.core.RequestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Names, ARNs, paging and tags as EventBridge checks them. Pure functions. */
final class Names {

    private static final Pattern BUS_NAME = Pattern.compile("[/.\\-_A-Za-z0-9]{1,256}");
    private static final Pattern RULE_NAME = Pattern.compile("[.\\-_A-Za-z0-9]{1,64}");
    private static final Pattern TARGET_ID = Pattern.compile("[.\\-_A-Za-z0-9]{1,64}");

    private Names() {}

    /** A bus named by name or ARN, in the caller's account and region unless the ARN says otherwise. */
    record BusRef(String account, String region, String name) {

        Arn arn() {
            return Bus.arn(account, region, name);
        }
    }

    static BusRef bus(RequestContext context, String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) {
            return new BusRef(context.accountId(), context.region(), Bus.DEFAULT);
        }
        if (nameOrArn.startsWith("arn:")) {
            Arn arn;
            try {
                arn = Arn.parse(nameOrArn);
            } catch (IllegalArgumentException e) {
                throw EventsErrors.validation("Parameter EventBusName is not valid. Reason: %s is not a valid ARN.", nameOrArn);
            }
            if (!arn.service().equals("events") || !arn.resource().startsWith("event-bus/")) {
                throw EventsErrors.validation("Parameter EventBusName is not valid. Reason: %s is not an event bus ARN.", nameOrArn);
            }
            return new BusRef(arn.accountId(), arn.region(), arn.resource().substring("event-bus/".length()));
        }
        if (!BUS_NAME.matcher(nameOrArn).matches()) {
            throw EventsErrors.constraint("eventBusName", nameOrArn, "Member must satisfy regular expression pattern: (arn:aws[\\w-]*:events:[a-z]{2}-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+");
        }
        return new BusRef(context.accountId(), context.region(), nameOrArn);
    }

    /** A bus named for an operation that works in the caller's own account only. */
    static String ownBus(RequestContext context, String nameOrArn) {
        BusRef ref = bus(context, nameOrArn);
        if (!ref.account().equals(context.accountId()) || !ref.region().equals(context.region())) {
            throw EventsErrors.busNotFound(nameOrArn);
        }
        return ref.name();
    }

    static String rule(String name) {
        if (name == null) {
            throw EventsErrors.constraint("name", "null", "Member must not be null");
        }
        if (!RULE_NAME.matcher(name).matches()) {
            throw EventsErrors.constraint("name", name, "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
        }
        return name;
    }

    static boolean validTargetId(String id) {
        return id != null && TARGET_ID.matcher(id).matches();
    }

    static int limit(Integer limit) {
        if (limit == null) {
            return 100;
        }
        if (limit < 1 || limit > 100) {
            throw EventsErrors.constraint("limit", limit, limit < 1 ? "Member must have value greater than or equal to 1"
                    : "Member must have value less than or equal to 100");
        }
        return limit;
    }

    static String token(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String untoken(String token) {
        if (token == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw EventsErrors.validation("The NextToken provided is invalid.");
        }
    }

    /** One page of {@code names} (sorted), after the name a token carries. */
    static <T> Page<T> page(List<T> sorted, java.util.function.Function<T, String> name, String nextToken, int limit) {
        String after = untoken(nextToken);
        List<T> rest = new ArrayList<>();
        for (T item : sorted) {
            if (after == null || name.apply(item).compareTo(after) > 0) {
                rest.add(item);
            }
        }
        if (rest.size() <= limit) {
            return new Page<>(rest, null);
        }
        List<T> page = rest.subList(0, limit);
        return new Page<>(List.copyOf(page), token(name.apply(page.getLast())));
    }

    record Page<T>(List<T> items, String nextToken) {}

    static Map<String, String> tags(List<EventsModel.Tag> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        if (tags == null) {
            return map;
        }
        for (EventsModel.Tag tag : tags) {
            if (tag == null || tag.key() == null || tag.key().isEmpty() || tag.key().length() > 128) {
                throw EventsErrors.constraint("tags.member.key", tag == null ? null : tag.key(), "Member must have length between 1 and 128");
            }
            if (tag.value() == null || tag.value().length() > 256) {
                throw EventsErrors.constraint("tags.member.value", tag.value(), "Member must have length less than or equal to 256");
            }
            map.put(tag.key(), tag.value());
        }
        if (map.size() > 50) {
            throw EventsErrors.validation("The number of tags exceeds the limit of 50.");
        }
        return map;
    }

    static List<EventsModel.Tag> tagList(Map<String, String> tags) {
        return new java.util.TreeMap<>(tags).entrySet().stream().map(e -> new EventsModel.Tag(e.getKey(), e.getValue())).toList();
    }
}
