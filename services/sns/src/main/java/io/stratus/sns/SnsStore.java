package io.stratus.sns;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratus.core.Arn;
import io.stratus.storage.Entry;
import io.stratus.storage.Key;
import io.stratus.storage.KeyRange;
import io.stratus.storage.Scan;
import io.stratus.storage.Store;
import io.stratus.storage.StoreReader;
import io.stratus.storage.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * SNS's state in the store, one key per thing: topics by {@code (account, region, name)},
 * subscriptions by {@code (account, region, topic, id)} (so a topic's subscriptions are one range
 * scan), the outbox of pending deliveries by publish sequence, and the FIFO deduplication records
 * by {@code (account, region, topic, deduplication id)}. Thread-safe: the store is, and this holds
 * no state of its own.
 */
final class SnsStore {

    static final String TOPICS = "sns.topics";
    static final String SUBSCRIPTIONS = "sns.subscriptions";
    static final String OUTBOX = "sns.outbox";
    static final String DEDUPLICATION = "sns.dedup";

    static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Store store;

    SnsStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    Store store() {
        return store;
    }

    // Topics.

    static byte[] topicKey(String account, String region, String name) {
        return Key.builder().add(account).add(region).add(name).build();
    }

    static byte[] topicKey(Arn topic) {
        return topicKey(topic.accountId(), topic.region(), topic.resource());
    }

    static Topic topic(StoreReader reader, Arn arn) {
        byte[] value = reader.get(TOPICS, topicKey(arn));
        return value == null ? null : decode(value, Topic.class);
    }

    Topic topic(Arn arn) {
        return topic(store, arn);
    }

    static void write(Transaction txn, Topic topic) {
        txn.put(TOPICS, topicKey(topic.account(), topic.region(), topic.name()), encode(topic));
    }

    /** Up to {@code limit} topics of an account and region, in name order, after the topic named {@code after} (null from the start). */
    List<Topic> topics(String account, String region, String after, int limit) {
        byte[] prefix = Key.builder().add(account).add(region).build();
        KeyRange range = KeyRange.prefix(prefix);
        if (after != null) {
            range = new KeyRange(Key.builder().add(account).add(region).add(after + "\0").build(), range.end());
        }
        List<Topic> topics = new ArrayList<>();
        try (Scan scan = store.scan(TOPICS, range)) {
            while (scan.hasNext() && topics.size() < limit) {
                topics.add(decode(scan.next().value(), Topic.class));
            }
        }
        return topics;
    }

    // Subscriptions.

    static byte[] subscriptionKey(Arn topic, String id) {
        return Key.builder().add(topic.accountId()).add(topic.region()).add(topic.resource()).add(id).build();
    }

    static void write(Transaction txn, Subscription subscription) {
        txn.put(SUBSCRIPTIONS, subscriptionKey(subscription.topic(), subscription.id()), encode(subscription));
    }

    static void remove(Transaction txn, Subscription subscription) {
        txn.delete(SUBSCRIPTIONS, subscriptionKey(subscription.topic(), subscription.id()));
    }

    /** The subscription of this ARN ({@code <topic ARN>:<id>}), or null. */
    static Subscription subscription(StoreReader reader, String subscriptionArn) {
        int colon = subscriptionArn == null ? -1 : subscriptionArn.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        Arn topic;
        try {
            topic = Arn.parse(subscriptionArn.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return null;
        }
        byte[] value = reader.get(SUBSCRIPTIONS, subscriptionKey(topic, subscriptionArn.substring(colon + 1)));
        return value == null ? null : decode(value, Subscription.class);
    }

    /** Every subscription of a topic, in id order. */
    static List<Subscription> subscriptions(StoreReader reader, Arn topic) {
        return scanSubscriptions(reader, Key.builder().add(topic.accountId()).add(topic.region()).add(topic.resource()).build(), null,
                Integer.MAX_VALUE, s -> true);
    }

    /**
     * Up to {@code limit} subscriptions to topics of {@code account} and {@code region} (of one
     * topic when {@code topicName} is given), after the one whose key is {@code after}.
     */
    List<Subscription> subscriptions(String account, String region, String topicName, byte[] after, int limit) {
        return scanSubscriptions(store, subscriptionPrefix(account, region, topicName), after, limit, s -> true);
    }

    /** What the keys of the subscriptions to topics of {@code account} and {@code region} (of one topic when {@code topicName} is given) begin with. */
    static byte[] subscriptionPrefix(String account, String region, String topicName) {
        Key.Builder prefix = Key.builder().add(account).add(region);
        if (topicName != null) {
            prefix.add(topicName);
        }
        return prefix.build();
    }

    private static List<Subscription> scanSubscriptions(StoreReader reader, byte[] prefix, byte[] after, int limit, Predicate<Subscription> filter) {
        KeyRange range = KeyRange.prefix(prefix);
        if (after != null) {
            byte[] start = Key.ORDER.compare(after, range.start()) > 0 ? successor(after) : range.start();
            range = new KeyRange(start, range.end());
        }
        List<Subscription> subscriptions = new ArrayList<>();
        try (Scan scan = reader.scan(SUBSCRIPTIONS, range)) {
            while (scan.hasNext() && subscriptions.size() < limit) {
                Subscription subscription = decode(scan.next().value(), Subscription.class);
                if (filter.test(subscription)) {
                    subscriptions.add(subscription);
                }
            }
        }
        return subscriptions;
    }

    private static byte[] successor(byte[] key) {
        byte[] next = java.util.Arrays.copyOf(key, key.length + 1);
        return next;
    }

    // FIFO deduplication.

    /** What a FIFO publish answered, kept for the deduplication interval. */
    record Deduplication(String messageId, String sequenceNumber, long at) {}

    static byte[] deduplicationKey(Arn topic, String deduplicationId) {
        return Key.builder().add(topic.accountId()).add(topic.region()).add(topic.resource()).add(deduplicationId).build();
    }

    static Deduplication deduplication(StoreReader reader, Arn topic, String deduplicationId) {
        byte[] value = reader.get(DEDUPLICATION, deduplicationKey(topic, deduplicationId));
        return value == null ? null : decode(value, Deduplication.class);
    }

    static void remember(Transaction txn, Arn topic, String deduplicationId, Deduplication deduplication) {
        txn.put(DEDUPLICATION, deduplicationKey(topic, deduplicationId), encode(deduplication));
    }

    /** Removes the deduplication records older than {@code before} (epoch millis). */
    void forgetDeduplications(long before) {
        List<byte[]> expired = new ArrayList<>();
        try (Scan scan = store.scan(DEDUPLICATION, KeyRange.all())) {
            while (scan.hasNext()) {
                Entry entry = scan.next();
                if (decode(entry.value(), Deduplication.class).at() < before) {
                    expired.add(entry.key());
                }
            }
        }
        for (int from = 0; from < expired.size(); from += 500) {
            List<byte[]> slice = expired.subList(from, Math.min(expired.size(), from + 500));
            store.transaction(txn -> {
                slice.forEach(key -> txn.delete(DEDUPLICATION, key));
                return null;
            });
        }
    }

    static byte[] encode(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a stored " + type.getSimpleName(), e);
        }
    }
}
