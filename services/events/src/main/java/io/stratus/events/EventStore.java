package io.stratus.events;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import java.util.Optional;

/**
 * Where buses, rules (with their targets), schedules and pending deliveries live: one key per bus,
 * per rule, per scheduled rule and per delivery. Rules are keyed by (account, region, bus, name),
 * so a bus's rules are one range scan in name order. Thread-safe.
 */
final class EventStore {

    static final String BUSES = "events.buses";
    static final String RULES = "events.rules";
    /** Scheduled rules of every account: (account, region, rule) to the epoch millisecond of the next run. */
    static final String SCHEDULES = "events.schedules";
    /** Deliveries accepted and not yet settled, by sequence number. */
    static final String DELIVERIES = "events.deliveries";

    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private final Store store;

    EventStore(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    Store store() {
        return store;
    }

    // Buses

    static byte[] busKey(String account, String region, String name) {
        return Key.builder().add(account).add(region).add(name).build();
    }

    /** The bus, or empty; the {@code default} bus is always there. */
    static Optional<Bus> bus(StoreReader reader, String account, String region, String name) {
        byte[] value = reader.get(BUSES, busKey(account, region, name));
        if (value == null) {
            return Bus.DEFAULT.equals(name) ? Optional.of(Bus.defaultBus()) : Optional.empty();
        }
        return Optional.of(read(value, Bus.class));
    }

    static Bus requireBus(StoreReader reader, String account, String region, String name) {
        return bus(reader, account, region, name).orElseThrow(() -> EventsErrors.busNotFound(name));
    }

    static void putBus(Transaction txn, String account, String region, Bus bus) {
        txn.put(BUSES, busKey(account, region, bus.name()), write(bus));
    }

    /** The stored buses of an account and region whose name starts with {@code prefix}, in name order. */
    List<Bus> buses(String account, String region, String prefix) {
        List<Bus> buses = new ArrayList<>();
        byte[] start = Key.builder().add(account).add(region).buildPrefix(prefix == null ? "" : prefix);
        try (Scan scan = store.scan(BUSES, KeyRange.prefix(start))) {
            while (scan.hasNext()) {
                buses.add(read(scan.next().value(), Bus.class));
            }
        }
        return buses;
    }

    // Rules

    static byte[] ruleKey(String account, String region, String bus, String name) {
        return Key.builder().add(account).add(region).add(bus).add(name).build();
    }

    static Optional<Rule> rule(StoreReader reader, String account, String region, String bus, String name) {
        byte[] value = reader.get(RULES, ruleKey(account, region, bus, name));
        return value == null ? Optional.empty() : Optional.of(read(value, Rule.class));
    }

    static Rule requireRule(StoreReader reader, String account, String region, String bus, String name) {
        return rule(reader, account, region, bus, name).orElseThrow(() -> EventsErrors.ruleNotFound(name, bus));
    }

    static void putRule(Transaction txn, String account, String region, Rule rule) {
        txn.put(RULES, ruleKey(account, region, rule.bus(), rule.name()), write(rule));
    }

    /** A bus's rules whose name starts with {@code prefix}, in name order. */
    static List<Rule> rules(StoreReader reader, String account, String region, String bus, String prefix) {
        List<Rule> rules = new ArrayList<>();
        byte[] start = Key.builder().add(account).add(region).add(bus).buildPrefix(prefix == null ? "" : prefix);
        try (Scan scan = reader.scan(RULES, KeyRange.prefix(start))) {
            while (scan.hasNext()) {
                rules.add(read(scan.next().value(), Rule.class));
            }
        }
        return rules;
    }

    // Schedules

    static byte[] scheduleKey(String account, String region, String rule) {
        return Key.builder().add(account).add(region).add(rule).build();
    }

    static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode " + value, e);
        }
    }

    static <T> T read(byte[] value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Corrupt " + type.getSimpleName() + " record", e);
        }
    }
}
