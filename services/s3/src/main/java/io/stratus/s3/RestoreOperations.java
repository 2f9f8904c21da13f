package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.RequestContext;
import io.stratus.protocol.codec.TimestampFormat;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.protocol.traits.HttpResponseCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

/**
 * RestoreObject, and what an archived object ({@code GLACIER}, {@code DEEP_ARCHIVE}) allows
 * without one: HeadObject, but not GetObject or a copy from it. S3 takes minutes to hours to
 * restore; Stratus has the bytes at hand, so a restore completes at once. Its copy stays readable
 * for the days asked, counted as S3 counts them (from the restore's completion, rounded up to the
 * next midnight UTC); that expiry is checked whenever the object is read, so it needs no sweeper.
 * Thread-safe.
 */
final class RestoreOperations {

    private static final Set<String> TIERS = Set.of("Standard", "Bulk", "Expedited");

    record GlacierJobParameters(String tier) {}

    /** The {@code RestoreRequest} document: {@code Type} {@code SELECT} asks for a select restore, which Stratus does not serve. */
    record RestoreRequest(Integer days, GlacierJobParameters glacierJobParameters, String tier, String type) {}

    record RestoreObjectRequest(@HttpLabel("Bucket") String bucket, @HttpLabel("Key") String key, @HttpQuery("versionId") String versionId,
            @HttpPayload RestoreRequest restoreRequest) implements ObjectAddressed {}

    /** 202 for a restore begun (and, here, done), 200 for a restored copy whose expiry was moved. */
    record RestoreObjectResponse(@HttpResponseCode Integer status) {}

    private final ObjectStore objects;
    private final Clock clock;
    private final Notifier notifier;

    /** @param notifier where a restore's {@code ObjectRestore:Post} and {@code ObjectRestore:Completed} events go */
    RestoreOperations(ObjectStore objects, Clock clock, Notifier notifier) {
        this.objects = requireNonNull(objects, "objects is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.notifier = requireNonNull(notifier, "notifier is null");
    }

    RestoreObjectResponse restoreObject(RequestContext context, RestoreObjectRequest request) {
        RestoreRequest restore = request.restoreRequest();
        if (restore == null) {
            throw malformed();
        }
        if (restore.type() != null) {
            throw AwsException.of(CommonErrors.NOT_IMPLEMENTED, "A header or query you provided implies functionality that is not implemented: "
                    + "select restores (RestoreRequest Type %s) are not served by Stratus.", restore.type());
        }
        String tier = restore.glacierJobParameters() != null ? restore.glacierJobParameters().tier() : restore.tier();
        if (restore.days() == null || restore.days() < 1 || tier != null && !TIERS.contains(tier)) {
            throw malformed();
        }
        long now = clock.millis();
        long until = expiry(now, restore.days());
        boolean wasRestored = objects.store().transaction(txn -> {
            Bucket bucket = BucketStore.require(txn, context, request.bucket());
            StoredObject object = Versions.find(txn, context, request.bucket(), request.key(), request.versionId());
            if (object.deleteMarker()) {
                throw Versions.deleteMarkerNotAllowed(object, "POST");
            }
            if (!object.archived()) {
                throw invalidObjectState("Restore is not allowed for the object's current storage class", object);
            }
            Versions.rewrite(txn, bucket, object.withRestoredUntil(until));
            boolean restored = object.restoredAt(now);
            if (!restored) {
                // A new restore is announced; moving a restored copy's expiry is not.
                notifier.restored(txn, context, request.bucket(), object, until);
            }
            return restored;
        });
        notifier.wake();
        return new RestoreObjectResponse(wasRestored ? 200 : 202);
    }

    /** The end of a restore of {@code days} days completed at {@code nowMillis}: that many days on, rounded up to midnight UTC. */
    static long expiry(long nowMillis, int days) {
        Instant end = Instant.ofEpochMilli(nowMillis).plus(Duration.ofDays(days));
        Instant midnight = end.truncatedTo(ChronoUnit.DAYS);
        return (midnight.equals(end) ? midnight : midnight.plus(Duration.ofDays(1))).toEpochMilli();
    }

    /** The {@code x-amz-restore} header of an object whose restored copy is readable at {@code nowMillis}, else null. */
    static String header(StoredObject object, long nowMillis) {
        if (!object.archived() || !object.restoredAt(nowMillis)) {
            return null;
        }
        return "ongoing-request=\"false\", expiry-date=\"" + TimestampFormat.HTTP_DATE.format(Instant.ofEpochMilli(object.restoredUntilMillis())) + "\"";
    }

    /** GetObject of an archived object needs a restored copy. */
    static void checkReadable(StoredObject object, long nowMillis) {
        if (object.archived() && !object.restoredAt(nowMillis)) {
            throw invalidObjectState("The operation is not valid for the object's storage class", object);
        }
    }

    /** CopyObject and UploadPartCopy from an archived object need a restored copy. */
    static void checkCopySource(StoredObject source, long nowMillis) {
        if (source.archived() && !source.restoredAt(nowMillis)) {
            throw invalidObjectState("The source object of the COPY action is not in the active tier and is only stored in Amazon S3 Glacier.",
                    source);
        }
    }

    private static AwsException invalidObjectState(String message, StoredObject object) {
        String storageClass = object.storageClass() == null ? "STANDARD" : object.storageClass();
        return new AwsException(S3Errors.INVALID_OBJECT_STATE, message, Map.of("StorageClass", storageClass), null);
    }

    private static AwsException malformed() {
        return new AwsException(CommonErrors.MALFORMED_XML, "The XML you provided was not well-formed or did not validate against our published schema");
    }
}
