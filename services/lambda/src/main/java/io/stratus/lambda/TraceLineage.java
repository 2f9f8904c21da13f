package io.stratus.lambda;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The chain of invocations an event comes from, as Lambda's recursive loop detection follows it: an
 * X-Ray trace header whose {@code Lineage} field counts, per function, how many times the chain
 * has run it. Lambda hands each invocation such a header (its runtime sets {@code _X_AMZN_TRACE_ID}),
 * the function's SDK sends it on its calls ({@code X-Amzn-Trace-Id}), SQS keeps it with a message
 * ({@code AWSTraceHeader}), and the next invocation continues the count; a function the chain has run
 * {@link #LIMIT} times is in a loop. The field's format is Stratus's own ({@code Lineage=<function
 * hash>:<count>,…}): only Stratus reads it. Immutable.
 */
final class TraceLineage {

    /** How many times a chain may run one function before the next invocation is a loop, as on AWS (about 16). */
    static final int LIMIT = 16;
    /** The functions a header counts at most: the ones the chain ran last. */
    private static final int MAX_FUNCTIONS = 16;

    private static final Pattern ROOT = Pattern.compile("1-[0-9a-f]{8}-[0-9a-f]{24}");
    private static final Pattern COUNT = Pattern.compile("\\d{1,4}");

    static final TraceLineage NONE = new TraceLineage(null, null, Map.of());

    private final String root;
    private final String sampled;
    private final Map<String, Integer> counts;

    private TraceLineage(String root, String sampled, Map<String, Integer> counts) {
        this.root = root;
        this.sampled = sampled;
        this.counts = counts;
    }

    /** The lineage of a trace header; none for null, and nothing but what it can read of a malformed one. */
    static TraceLineage of(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        String root = null;
        String sampled = null;
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String field : header.split(";")) {
            int equals = field.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String name = field.substring(0, equals).trim();
            String value = field.substring(equals + 1).trim();
            switch (name) {
                case "Root" -> root = ROOT.matcher(value).matches() ? value : null;
                case "Sampled" -> sampled = value.equals("1") ? "1" : "0";
                case "Lineage" -> {
                    for (String entry : value.split(",")) {
                        int colon = entry.indexOf(':');
                        if (colon > 0 && COUNT.matcher(entry.substring(colon + 1)).matches()) {
                            counts.put(entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1)));
                        }
                    }
                }
                default -> { }
            }
        }
        return new TraceLineage(root, sampled, java.util.Collections.unmodifiableMap(counts)); // in the order the chain ran them
    }

    /** How many times the chain has run the function (any version or alias of it). */
    int count(FunctionRecord function) {
        return counts.getOrDefault(hash(function), 0);
    }

    /** The most times the chain ran any one function: how far its events travelled. */
    int depth() {
        return counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Whether invoking the function once more would run it more often than a chain may. */
    boolean loops(FunctionRecord function) {
        return count(function) >= LIMIT;
    }

    /**
     * The trace header of the function's next invocation in this chain: the same trace (a new one
     * when there is none), a new parent segment, and the function counted once more.
     */
    String next(FunctionRecord function) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        StringBuilder header = new StringBuilder(128).append("Root=");
        if (root != null) {
            header.append(root);
        } else {
            // 12 random bytes after the time: as hex digits of a long and an int.
            header.append("1-").append(Long.toHexString(System.currentTimeMillis() / 1000)).append('-')
                    .append(hex.toHexDigits(random.nextLong())).append(hex.toHexDigits(random.nextInt()));
        }
        header.append(";Parent=").append(hex.toHexDigits(random.nextLong())).append(";Sampled=").append(sampled == null ? "0" : sampled);
        String self = hash(function);
        Map<String, Integer> next = new LinkedHashMap<>(counts);
        int count = next.getOrDefault(self, 0) + 1;
        next.remove(self);
        next.put(self, count);
        // The most recently run functions, this one last.
        int skip = Math.max(0, next.size() - MAX_FUNCTIONS);
        header.append(";Lineage=");
        int written = 0;
        for (Map.Entry<String, Integer> entry : next.entrySet()) {
            if (skip-- > 0) {
                continue;
            }
            header.append(written++ == 0 ? "" : ",").append(entry.getKey()).append(':').append(entry.getValue());
        }
        return header.toString();
    }

    /** Eight hex digits naming a function (all its versions and aliases) across accounts and regions. */
    private static String hash(FunctionRecord function) {
        CRC32C crc = new CRC32C();
        crc.update((function.accountId() + ':' + function.region() + ':' + function.name()).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }
}
