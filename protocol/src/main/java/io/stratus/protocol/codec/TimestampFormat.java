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
            case HTTP_DATE -> httpDate(instant);
            case EPOCH_SECONDS -> BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano(), 9))
                    .stripTrailingZeros().toPlainString();
        };
    }

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /**
     * RFC 9110's IMF-fixdate ({@code Wed, 03 Dec 2026 09:05:07 GMT}), as AWS writes HTTP dates: a
     * two-digit day, which {@code RFC_1123_DATE_TIME} does not pad. Written by hand, since every
     * GetObject and HeadObject sends one.
     */
    private static String httpDate(Instant instant) {
        java.time.LocalDateTime time = java.time.LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        if (time.getYear() < 1000 || time.getYear() > 9999) {
            return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
        }
        StringBuilder text = new StringBuilder(29)
                .append(DAYS[time.getDayOfWeek().ordinal()]).append(", ");
        twoDigits(text, time.getDayOfMonth()).append(' ').append(MONTHS[time.getMonthValue() - 1]).append(' ').append(time.getYear()).append(' ');
        twoDigits(text, time.getHour()).append(':');
        twoDigits(text, time.getMinute()).append(':');
        return twoDigits(text, time.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
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
