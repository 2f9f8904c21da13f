package io.stratus.sns;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.sns.SnsModel.AttributesResponse;
import io.stratus.sns.SnsModel.ConfirmSubscriptionRequest;
import io.stratus.sns.SnsModel.Empty;
import io.stratus.sns.SnsModel.GetSubscriptionAttributesRequest;
import io.stratus.sns.SnsModel.ListSubscriptionsByTopicRequest;
import io.stratus.sns.SnsModel.ListSubscriptionsRequest;
import io.stratus.sns.SnsModel.ListSubscriptionsResponse;
import io.stratus.sns.SnsModel.SetSubscriptionAttributesRequest;
import io.stratus.sns.SnsModel.SubscribeRequest;
import io.stratus.sns.SnsModel.SubscriptionArnResponse;
import io.stratus.sns.SnsModel.SubscriptionEntry;
import io.stratus.sns.SnsModel.UnsubscribeRequest;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The subscription operations. Stratus delivers to SQS queues and Lambda functions, which AWS
 * confirms as they subscribe; the other protocols SNS knows are refused with an error that says
 * so. Thread-safe: every change is one store transaction.
 */
final class SubscriptionOperations {

    static final Set<String> SUPPORTED = Set.of("sqs", "lambda");
    /** Protocols AWS serves and Stratus does not (yet). */
    static final Set<String> UNSUPPORTED = Set.of("http", "https", "email", "email-json", "sms", "application", "firehose");

    private static final Pattern QUEUE_ARN = Pattern.compile("arn:aws:sqs:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,80}(\\.fifo)?");
    private static final Pattern FUNCTION_ARN = Pattern.compile("arn:aws:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?");

    private final SnsStore store;
    private final TopicOperations topics;

    SubscriptionOperations(SnsStore store, TopicOperations topics) {
        this.store = requireNonNull(store, "store is null");
        this.topics = requireNonNull(topics, "topics is null");
    }

    SubscriptionArnResponse subscribe(RequestContext context, SubscribeRequest request) {
        Topic topic = topics.require(context, request.topicArn(), "TopicArn", "Subscribe");
        String protocol = request.protocol();
        if (protocol == null || protocol.isEmpty()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Protocol");
        }
        if (UNSUPPORTED.contains(protocol)) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                    "Invalid parameter: Protocol Reason: Stratus does not support the %s protocol yet; it delivers to sqs and lambda", protocol);
        }
        if (!SUPPORTED.contains(protocol)) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Amazon SNS does not support this protocol string: %s", protocol);
        }
        String endpoint = request.endpoint() == null ? "" : request.endpoint();
        if (protocol.equals("sqs")) {
            if (!QUEUE_ARN.matcher(endpoint).matches()) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: SQS endpoint ARN");
            }
            boolean fifoQueue = endpoint.endsWith(".fifo");
            if (fifoQueue && !topic.fifo()) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                        "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
            }
            if (!fifoQueue && topic.fifo()) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                        "Invalid parameter: Invalid parameter: Endpoint Reason: Please use FIFO SQS queue");
            }
        } else {
            if (!FUNCTION_ARN.matcher(endpoint).matches()) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Lambda endpoint ARN");
            }
            if (topic.fifo()) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: Invalid protocol type: lambda");
            }
        }
        Map<String, String> attributes = checked(request.attributes(), protocol, topic.fifo(), Map.of());
        Subscription subscription = store.store().transaction(txn -> {
            if (SnsStore.topic(txn, topic.arn()) == null) {
                throw AwsException.of(SnsErrors.NOT_FOUND, "Topic does not exist");
            }
            for (Subscription existing : SnsStore.subscriptions(txn, topic.arn())) {
                if (existing.protocol().equals(protocol) && existing.endpoint().equals(endpoint)) {
                    for (Map.Entry<String, String> entry : attributes.entrySet()) {
                        if (!java.util.Objects.equals(entry.getValue(), existing.attributes().get(entry.getKey()))
                                && !(entry.getKey().equals(SubscriptionAttributes.RAW_MESSAGE_DELIVERY) && entry.getValue().equals(Boolean.toString(existing.raw())))) {
                            throw AwsException.of(SnsErrors.INVALID_PARAMETER,
                                    "Invalid parameter: Attributes Reason: Subscription already exists with different attributes");
                        }
                    }
                    return existing;
                }
            }
            Subscription created = new Subscription(topic.arn().toString(), UUID.randomUUID().toString(), protocol, endpoint, context.accountId(),
                    attributes);
            SnsStore.write(txn, created);
            return created;
        });
        return new SubscriptionArnResponse(subscription.arn());
    }

    /** Attributes as Subscribe takes them, checked; {@code current} are the ones already set. */
    private static Map<String, String> checked(Map<String, String> given, String protocol, boolean fifo, Map<String, String> current) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (given == null) {
            return attributes;
        }
        String scope = given.getOrDefault(SubscriptionAttributes.FILTER_POLICY_SCOPE,
                current.getOrDefault(SubscriptionAttributes.FILTER_POLICY_SCOPE, FilterPolicy.ATTRIBUTES_SCOPE));
        for (Map.Entry<String, String> entry : given.entrySet()) {
            String value = SubscriptionAttributes.check(entry.getKey(), entry.getValue(), protocol, fifo, scope);
            if (value != null) {
                attributes.put(entry.getKey(), value);
            }
        }
        return attributes;
    }

    Subscription require(RequestContext context, String subscriptionArn) {
        if (subscriptionArn == null || subscriptionArn.isEmpty()) {
            throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: SubscriptionArn");
        }
        Subscription subscription = SnsStore.subscription(store.store(), subscriptionArn);
        if (subscription == null) {
            if (!subscriptionArn.startsWith("arn:") || subscriptionArn.split(":").length < 7) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements");
            }
            throw AwsException.of(SnsErrors.NOT_FOUND, "Subscription does not exist");
        }
        String account = context.accountId();
        if (!account.equals(subscription.owner()) && !account.equals(subscription.topic().accountId())) {
            throw AwsException.of(SnsErrors.AUTHORIZATION_ERROR, "User: %s is not authorized to perform this action on subscription %s",
                    context.principal().arn(), subscriptionArn);
        }
        return subscription;
    }

    Empty unsubscribe(RequestContext context, UnsubscribeRequest request) {
        Subscription subscription = require(context, request.subscriptionArn());
        store.store().transaction(txn -> {
            if (SnsStore.subscription(txn, subscription.arn()) == null) {
                return null;
            }
            SnsStore.remove(txn, subscription);
            Topic topic = SnsStore.topic(txn, subscription.topic());
            if (topic != null) {
                SnsStore.write(txn, topic.withSubscriptionDeleted());
            }
            return null;
        });
        return new Empty();
    }

    ListSubscriptionsResponse listSubscriptions(RequestContext context, ListSubscriptionsRequest request) {
        return page(context.accountId(), context.region(), null, request.nextToken());
    }

    ListSubscriptionsResponse listSubscriptionsByTopic(RequestContext context, ListSubscriptionsByTopicRequest request) {
        Topic topic = topics.require(context, request.topicArn(), "TopicArn", "ListSubscriptionsByTopic");
        return page(topic.account(), topic.region(), topic.name(), request.nextToken());
    }

    private ListSubscriptionsResponse page(String account, String region, String topicName, String token) {
        byte[] after = null;
        if (token != null) {
            try {
                after = Base64.getUrlDecoder().decode(token);
            } catch (IllegalArgumentException e) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: NextToken");
            }
            // A token names the last subscription of a page of this very listing.
            byte[] prefix = SnsStore.subscriptionPrefix(account, region, topicName);
            if (after.length <= prefix.length || !Arrays.equals(after, 0, prefix.length, prefix, 0, prefix.length)) {
                throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid parameter: NextToken");
            }
        }
        List<Subscription> found = store.subscriptions(account, region, topicName, after, TopicOperations.PAGE + 1);
        String next = null;
        if (found.size() > TopicOperations.PAGE) {
            found = found.subList(0, TopicOperations.PAGE);
            Subscription last = found.getLast();
            next = Base64.getUrlEncoder().withoutPadding().encodeToString(SnsStore.subscriptionKey(last.topic(), last.id()));
        }
        return new ListSubscriptionsResponse(found.stream()
                .map(s -> new SubscriptionEntry(s.arn(), s.owner(), s.protocol(), s.endpoint(), s.topicArn()))
                .toList(), next);
    }

    AttributesResponse getSubscriptionAttributes(RequestContext context, GetSubscriptionAttributesRequest request) {
        return new AttributesResponse(SubscriptionAttributes.describe(require(context, request.subscriptionArn())));
    }

    Empty setSubscriptionAttributes(RequestContext context, SetSubscriptionAttributesRequest request) {
        Subscription subscription = require(context, request.subscriptionArn());
        String name = request.attributeName();
        boolean fifo = subscription.topic().resource().endsWith(".fifo");
        String scope = name != null && name.equals(SubscriptionAttributes.FILTER_POLICY_SCOPE)
                ? request.attributeValue()
                : subscription.attributes().getOrDefault(SubscriptionAttributes.FILTER_POLICY_SCOPE, FilterPolicy.ATTRIBUTES_SCOPE);
        String value = SubscriptionAttributes.check(name, request.attributeValue(), subscription.protocol(), fifo, scope);
        if (name.equals(SubscriptionAttributes.FILTER_POLICY_SCOPE) && subscription.attributes().containsKey(SubscriptionAttributes.FILTER_POLICY)) {
            // The policy already set must hold in its new scope too.
            FilterPolicy.validate(subscription.attributes().get(SubscriptionAttributes.FILTER_POLICY), value);
        }
        store.store().transaction(txn -> {
            Subscription current = SnsStore.subscription(txn, subscription.arn());
            if (current == null) {
                throw AwsException.of(SnsErrors.NOT_FOUND, "Subscription does not exist");
            }
            SnsStore.write(txn, current.withAttribute(name, value));
            return null;
        });
        return new Empty();
    }

    Empty confirmSubscription(RequestContext context, ConfirmSubscriptionRequest request) {
        topics.require(context, request.topicArn(), "TopicArn", "Subscribe");
        // Every subscription Stratus makes is confirmed as it is made: no token is pending.
        throw AwsException.of(SnsErrors.INVALID_PARAMETER, "Invalid token");
    }

    static Arn endpointArn(Subscription subscription) {
        return Arn.parse(subscription.endpoint());
    }
}
