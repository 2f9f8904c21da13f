package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.protocol.traits.XmlName;
import io.stratus.storage.StoreReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * S3 Object Lock: a bucket's configuration (enabled, with or without a default retention) and each
 * version's retention and legal hold (PutObjectRetention, GetObjectRetention, PutObjectLegalHold,
 * GetObjectLegalHold). A bucket has Object Lock from its creation with
 * {@code x-amz-bucket-object-lock-enabled: true}, or once a configuration is put on a bucket whose
 * versioning is enabled; it never loses it. Writes take their lock from {@link ObjectLock#forWrite};
 * deletes honour it in {@link ObjectOperations}. Thread-safe.
 */
final class ObjectLockOperations {

    /** Where a bucket's configuration is kept among its configurations. */
    static final String CONFIG = "object-lock";

    /**
     * A bucket's Object Lock configuration as stored.
     *
     * @param mode the default retention's mode, or null without a default retention
     * @param days the default retention in days, or null
     * @param years the default retention in years, or null
     */
    record Configuration(String mode, Integer days, Integer years) {

        static final Configuration ENABLED = new Configuration(null, null, null);

        /** The retention a version written at {@code nowMillis} gets by default; null without a default. */
        ObjectLock defaultLock(long nowMillis) {
            if (mode == null) {
                return null;
            }
            Instant now = Instant.ofEpochMilli(nowMillis);
            Instant until = days != null ? now.plus(java.time.Duration.ofDays(days))
                    : now.atOffset(ZoneOffset.UTC).plusYears(years).toInstant();
            return new ObjectLock(mode, until.toEpochMilli(), null);
        }
    }

    record DefaultRetention(String mode, Integer days, Integer years) {}

    record Rule(DefaultRetention defaultRetention) {}

    @XmlName("ObjectLockConfiguration")
    record ObjectLockConfiguration(String objectLockEnabled, Rule rule) {}

    record PutObjectLockConfigurationRequest(@HttpLabel("Bucket") String bucket, @HttpPayload ObjectLockConfiguration configuration)
            implements BucketAddressed {}

    @XmlName("Retention")
    record Retention(String mode, String retainUntilDate) {}

    record RetentionRequest(@HttpLabel("Bucket") String bucket, @HttpLabel("Key") String key, @HttpQuery("versionId") String versionId,
            @HttpHeader("x-amz-bypass-governance-retention") Boolean bypassGovernanceRetention, @HttpPayload Retention retention)
            implements ObjectAddressed {}

    @XmlName("LegalHold")
    record LegalHold(String status) {}

    record LegalHoldRequest(@HttpLabel("Bucket") String bucket, @HttpLabel("Key") String key, @HttpQuery("versionId") String versionId,
            @HttpPayload LegalHold legalHold) implements ObjectAddressed {}

    private final BucketStore buckets;
    private final ObjectStore objects;
    private final Clock clock;

    ObjectLockOperations(BucketStore buckets, ObjectStore objects, Clock clock) {
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.objects = requireNonNull(objects, "objects is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The bucket's configuration, or null for a bucket without Object Lock. */
    static Configuration configuration(StoreReader reader, String bucket) {
        return BucketStore.config(reader, bucket, CONFIG).map(bytes -> S3Json.decode(bytes, Configuration.class)).orElse(null);
    }

    BucketConfigOperations.NoContent putObjectLockConfiguration(RequestContext context, PutObjectLockConfigurationRequest request) {
        Configuration configuration = parse(request.configuration());
        buckets.locks().exclusive(request.bucket(), () -> buckets.store().transaction(txn -> {
            Bucket bucket = BucketStore.require(txn, context, request.bucket());
            if (!bucket.versioningEnabled()) {
                throw AwsException.of(S3Errors.INVALID_BUCKET_STATE, "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
            }
            BucketStore.putConfig(txn, bucket.name(), CONFIG, S3Json.encode(configuration));
            if (!bucket.objectLock()) {
                BucketStore.write(txn, bucket.withObjectLock());
            }
            return null;
        }));
        return new BucketConfigOperations.NoContent();
    }

    ObjectLockConfiguration getObjectLockConfiguration(RequestContext context, BucketModel.BucketRequest request) {
        buckets.require(context, request.bucket());
        Configuration configuration = configuration(buckets.store(), request.bucket());
        if (configuration == null) {
            throw AwsException.of(S3Errors.OBJECT_LOCK_CONFIGURATION_NOT_FOUND, "Object Lock configuration does not exist for this bucket");
        }
        Rule rule = configuration.mode() == null ? null : new Rule(new DefaultRetention(configuration.mode(), configuration.days(), configuration.years()));
        return new ObjectLockConfiguration("Enabled", rule);
    }

    /** A configuration as S3 takes it: {@code ObjectLockEnabled} {@code Enabled}, a default retention of either days or years. */
    private static Configuration parse(ObjectLockConfiguration document) {
        if (document == null || !"Enabled".equals(document.objectLockEnabled())) {
            throw malformed();
        }
        if (document.rule() == null) {
            return Configuration.ENABLED;
        }
        DefaultRetention retention = document.rule().defaultRetention();
        if (retention == null || retention.mode() == null || (retention.days() == null) == (retention.years() == null)) {
            throw malformed();
        }
        if (!retention.mode().equals(ObjectLock.GOVERNANCE) && !retention.mode().equals(ObjectLock.COMPLIANCE)) {
            throw malformed();
        }
        int period = retention.days() != null ? retention.days() : retention.years();
        if (period <= 0) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "Default retention period must be a positive integer value.");
        }
        return new Configuration(retention.mode(), retention.days(), retention.years());
    }

    Retention getObjectRetention(RequestContext context, RetentionRequest request) {
        ObjectLock lock = lockOf(context, request.bucket(), request.key(), request.versionId());
        if (lock == null || lock.mode() == null) {
            throw noLock();
        }
        return new Retention(lock.mode(), Instant.ofEpochMilli(lock.retainUntilMillis()).toString());
    }

    /**
     * Sets a version's retention. Lengthening it is always allowed; shortening or removing a
     * {@code GOVERNANCE} retention needs {@code x-amz-bypass-governance-retention}, and a
     * {@code COMPLIANCE} one cannot be shortened, removed or turned into {@code GOVERNANCE} before its date.
     */
    BucketConfigOperations.NoContent putObjectRetention(RequestContext context, RetentionRequest request) {
        Retention retention = request.retention();
        if (retention == null || (retention.mode() == null) != (retention.retainUntilDate() == null)
                || retention.mode() != null && !retention.mode().equals(ObjectLock.GOVERNANCE) && !retention.mode().equals(ObjectLock.COMPLIANCE)) {
            throw malformed();
        }
        long now = clock.millis();
        Long until = retention.retainUntilDate() == null ? null : ObjectLock.retainUntil(retention.retainUntilDate(), "RetainUntilDate", now);
        boolean bypass = Boolean.TRUE.equals(request.bypassGovernanceRetention());
        relock(context, request.bucket(), request.key(), request.versionId(), current -> {
            if (current.retainedAt(now)) {
                boolean weaker = until == null || until < current.retainUntilMillis() || !current.mode().equals(retention.mode());
                boolean compliance = current.mode().equals(ObjectLock.COMPLIANCE);
                if (weaker && (compliance || !bypass)) {
                    throw ObjectLock.protectedVersion();
                }
            }
            return current.withRetention(retention.mode(), until);
        });
        return new BucketConfigOperations.NoContent();
    }

    LegalHold getObjectLegalHold(RequestContext context, LegalHoldRequest request) {
        ObjectLock lock = lockOf(context, request.bucket(), request.key(), request.versionId());
        if (lock == null || lock.legalHold() == null) {
            throw noLock();
        }
        return new LegalHold(lock.legalHold());
    }

    BucketConfigOperations.NoContent putObjectLegalHold(RequestContext context, LegalHoldRequest request) {
        String status = request.legalHold() == null ? null : request.legalHold().status();
        if (!ObjectLock.ON.equals(status) && !ObjectLock.OFF.equals(status)) {
            throw malformed();
        }
        relock(context, request.bucket(), request.key(), request.versionId(), current -> current.withLegalHold(status));
        return new BucketConfigOperations.NoContent();
    }

    /** The lock of the version a request names, in a bucket with Object Lock. */
    private ObjectLock lockOf(RequestContext context, String bucket, String key, String versionId) {
        buckets.require(context, bucket);
        if (configuration(objects.store(), bucket) == null) {
            throw ObjectLock.missingConfiguration();
        }
        StoredObject object = Versions.find(objects.store(), context, bucket, key, versionId);
        return object.lock();
    }

    /** Rewrites the lock of the version a request names, in one transaction with the read it decides on. */
    private void relock(RequestContext context, String bucketName, String key, String versionId,
            java.util.function.UnaryOperator<ObjectLock> change) {
        objects.store().transaction(txn -> {
            Bucket bucket = BucketStore.require(txn, context, bucketName);
            if (configuration(txn, bucketName) == null) {
                throw ObjectLock.missingConfiguration();
            }
            StoredObject object = Versions.find(txn, context, bucketName, key, versionId);
            if (object.deleteMarker()) {
                throw Versions.deleteMarkerNotAllowed(object, "PUT");
            }
            ObjectLock current = object.lock() == null ? new ObjectLock(null, null, null) : object.lock();
            Versions.rewrite(txn, bucket, object.withLock(change.apply(current)));
            return null;
        });
    }

    private static AwsException noLock() {
        return AwsException.of(S3Errors.NO_SUCH_OBJECT_LOCK_CONFIGURATION, "The specified object does not have a ObjectLock configuration");
    }

    private static AwsException malformed() {
        return new AwsException(CommonErrors.MALFORMED_XML, "The XML you provided was not well-formed or did not validate against our published schema");
    }
}
