package io.stratus.s3;

import io.stratus.core.AwsException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What S3 Object Lock holds of one object version: a retention ({@code GOVERNANCE} or
 * {@code COMPLIANCE} until a date) and a legal hold. While either protects a version it cannot be
 * deleted for good (a delete without a version id still adds a delete marker, as on S3); a
 * {@code GOVERNANCE} retention gives way to a request with {@code x-amz-bypass-governance-retention:
 * true}, a {@code COMPLIANCE} one to nothing until its date. Immutable.
 *
 * @param mode {@code GOVERNANCE}, {@code COMPLIANCE}, or null without a retention
 * @param retainUntilMillis the end of the retention, epoch millis; null without one
 * @param legalHold {@code ON} or {@code OFF}, or null when a legal hold was never set
 */
record ObjectLock(String mode, Long retainUntilMillis, String legalHold) {

    static final String GOVERNANCE = "GOVERNANCE";
    static final String COMPLIANCE = "COMPLIANCE";
    static final String ON = "ON";
    static final String OFF = "OFF";

    /** Whether the version may not be deleted (or its retention shortened) at {@code nowMillis}. */
    boolean protects(long nowMillis, boolean bypassGovernance) {
        return ON.equals(legalHold) || retainedAt(nowMillis) && !(bypassGovernance && GOVERNANCE.equals(mode));
    }

    boolean retainedAt(long nowMillis) {
        return retainUntilMillis != null && nowMillis < retainUntilMillis;
    }

    ObjectLock withRetention(String newMode, Long newUntilMillis) {
        return new ObjectLock(newMode, newUntilMillis, legalHold);
    }

    ObjectLock withLegalHold(String status) {
        return new ObjectLock(mode, retainUntilMillis, status);
    }

    /** The {@code x-amz-object-lock-*} headers GetObject and HeadObject answer with, by what follows the prefix; null for none. */
    static Map<String, String> headers(ObjectLock lock) {
        if (lock == null || lock.mode() == null && lock.legalHold() == null) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (lock.mode() != null) {
            headers.put("mode", lock.mode());
            headers.put("retain-until-date", Instant.ofEpochMilli(lock.retainUntilMillis()).toString());
        }
        if (lock.legalHold() != null) {
            headers.put("legal-hold", lock.legalHold());
        }
        return headers;
    }

    /** Whether a write asks for a lock of its own ({@code x-amz-object-lock-*} headers). */
    static boolean requested(String mode, String retainUntil, String legalHold) {
        return mode != null || retainUntil != null || legalHold != null;
    }

    /**
     * The lock a new version is written with: what the request's {@code x-amz-object-lock-*} headers
     * say, else the bucket's default retention from now on; null for none.
     *
     * @param defaults the bucket's Object Lock configuration, or null for a bucket without Object Lock
     * @throws AwsException {@code InvalidRequest} for lock headers on a bucket without Object Lock,
     *     {@code InvalidArgument} for headers S3 refuses
     */
    static ObjectLock forWrite(String mode, String retainUntil, String legalHold, ObjectLockOperations.Configuration defaults, long nowMillis) {
        if (!requested(mode, retainUntil, legalHold)) {
            return defaults == null ? null : defaults.defaultLock(nowMillis);
        }
        if (defaults == null) {
            throw missingConfiguration();
        }
        if (legalHold != null && !legalHold.equals(ON) && !legalHold.equals(OFF)) {
            throw S3Errors.invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", "x-amz-object-lock-legal-hold", legalHold);
        }
        if ((mode == null) != (retainUntil == null)) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
        }
        if (mode == null) {
            ObjectLock fallback = defaults.defaultLock(nowMillis);
            return fallback == null ? new ObjectLock(null, null, legalHold) : fallback.withLegalHold(legalHold);
        }
        if (!mode.equals(GOVERNANCE) && !mode.equals(COMPLIANCE)) {
            throw S3Errors.invalidArgument("Unknown wormMode directive.", "x-amz-object-lock-mode", mode);
        }
        return new ObjectLock(mode, retainUntil(retainUntil, "x-amz-object-lock-retain-until-date", nowMillis), legalHold);
    }

    /** A retain-until date as S3 takes it (ISO 8601), which must lie ahead. */
    static long retainUntil(String text, String argumentName, long nowMillis) {
        long until;
        try {
            until = Instant.parse(text.trim()).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                until = java.time.OffsetDateTime.parse(text.trim()).toInstant().toEpochMilli();
            } catch (DateTimeParseException notOffset) {
                throw S3Errors.invalidArgument("The retain until date must be provided in ISO 8601 format", argumentName, text);
            }
        }
        if (until <= nowMillis) {
            throw S3Errors.invalidArgument("The retain until date must be in the future!", argumentName, text);
        }
        return until;
    }

    static AwsException missingConfiguration() {
        return AwsException.of(S3Errors.INVALID_REQUEST, "Bucket is missing Object Lock Configuration");
    }

    static AwsException protectedVersion() {
        return AwsException.of(S3Errors.ACCESS_DENIED, "Access Denied because object protected by object lock.");
    }
}
