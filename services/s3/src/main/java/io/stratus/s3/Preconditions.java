package io.stratus.s3;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * HTTP conditional request headers evaluated against an object, as S3 evaluates them: an
 * {@code If-Match} that holds overrides a failing {@code If-Unmodified-Since}, an
 * {@code If-None-Match} that fails overrides a holding {@code If-Modified-Since}. Dates S3 cannot
 * read are ignored.
 */
record Preconditions(String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince) {

    enum Outcome {
        PROCEED,
        NOT_MODIFIED,
        FAILED
    }

    Outcome evaluate(StoredObject object) {
        long modifiedSeconds = object.lastModifiedMillis() / 1000;
        if (ifMatch != null) {
            if (!matches(ifMatch, object.etag())) {
                return Outcome.FAILED;
            }
        } else if (ifUnmodifiedSince != null && parse(ifUnmodifiedSince) instanceof Instant since && modifiedSeconds > since.getEpochSecond()) {
            return Outcome.FAILED;
        }
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, object.etag())) {
                return Outcome.NOT_MODIFIED;
            }
        } else if (ifModifiedSince != null && parse(ifModifiedSince) instanceof Instant since && modifiedSeconds <= since.getEpochSecond()) {
            return Outcome.NOT_MODIFIED;
        }
        return Outcome.PROCEED;
    }

    /**
     * The header whose condition gave {@code outcome} (which is not {@link Outcome#PROCEED}), as S3
     * names it in an error's {@code Condition}: {@code If-Match} or {@code If-Unmodified-Since} for
     * a failure, {@code If-None-Match} or {@code If-Modified-Since} for not modified.
     */
    String decidedBy(Outcome outcome) {
        return switch (outcome) {
            case FAILED -> ifMatch != null ? "If-Match" : "If-Unmodified-Since";
            case NOT_MODIFIED -> ifNoneMatch != null ? "If-None-Match" : "If-Modified-Since";
            case PROCEED -> throw new IllegalArgumentException("No condition failed");
        };
    }

    /** Whether an {@code If-Match} / {@code If-None-Match} list names this ETag (or is {@code *}). */
    static boolean matches(String header, String etag) {
        return Arrays.stream(header.split(","))
                .map(String::trim)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .map(tag -> tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") ? tag.substring(1, tag.length() - 1) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag));
    }

    private static Instant parse(String date) {
        try {
            return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(date.trim()));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }
}
