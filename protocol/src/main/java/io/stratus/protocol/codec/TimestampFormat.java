package io.stratus.protocol.codec;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Smithy's timestamp formats: which one applies depends on the protocol and the binding. */
public enum TimestampFormat {
    /** ISO 8601 with milliseconds, as XML bodies, awsQuery and REST query strings use. */
    DATE_TIME,
    /** RFC 1123, as HTTP headers use. */
    HTTP_DATE,
    /** Seconds since the epoch with a fraction, as JSON bodies use. */
    EPOCH_SECONDS;

    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public String format(Instant instant) {
        return switch (this) {
            case DATE_TIME -> ISO_MILLIS.format(instant);
            case HTTP_DATE -> DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
            case EPOCH_SECONDS -> BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano(), 9))
                    .stripTrailingZeros().toPlainString();
        };
    }

    /** Parses any of the three forms, trying this one first; throws {@link IllegalArgumentException}. */
    public Instant parse(String text) {
        try {
            return switch (this) {
                case HTTP_DATE -> Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(text));
                case EPOCH_SECONDS -> epoch(text);
                case DATE_TIME -> Instant.from(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text));
            };
        } catch (java.time.DateTimeException | NumberFormatException | ArithmeticException e) {
            for (TimestampFormat other : values()) {
                if (other != this) {
                    try {
                        return other == EPOCH_SECONDS ? epoch(text)
                                : other == HTTP_DATE ? Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(text))
                                : Instant.from(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text));
                    } catch (java.time.DateTimeException | NumberFormatException | ArithmeticException ignored) {
                        // Try the next form.
                    }
                }
            }
            throw new IllegalArgumentException("Not a timestamp: " + text);
        }
    }

    private static Instant epoch(String text) {
        BigDecimal seconds = new BigDecimal(text);
        long whole = seconds.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
        int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValueExact();
        return Instant.ofEpochSecond(whole, nanos);
    }
}
