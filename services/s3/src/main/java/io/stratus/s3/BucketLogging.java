package io.stratus.s3;

import io.stratus.core.AwsException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.w3c.dom.Element;

/**
 * A bucket's server access logging, as PutBucketLogging's {@code BucketLoggingStatus} enables it:
 * where its log objects go and how their keys are made. Immutable.
 *
 * @param targetBucket the bucket log objects are written into
 * @param targetPrefix what every log object's key starts with (may be empty)
 * @param hasGrants whether the configuration asks for {@code TargetGrants} (ACLs on the log objects)
 * @param keyFormat how the rest of a log object's key is made
 */
record BucketLogging(String targetBucket, String targetPrefix, boolean hasGrants, KeyFormat keyFormat) {

    /** S3's {@code TargetObjectKeyFormat}. */
    enum KeyFormat {
        /** {@code [prefix]YYYY-mm-DD-HH-MM-SS-[unique]}, S3's default ({@code SimplePrefix}). */
        SIMPLE,
        /** {@code [prefix][account]/[region]/[bucket]/YYYY/mm/DD/…}, dated by when the requests were made. */
        PARTITIONED_BY_EVENT_TIME,
        /** The same, dated by when the log object was delivered. */
        PARTITIONED_BY_DELIVERY_TIME
    }

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter PARTITION_DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    /**
     * Reads a {@code BucketLoggingStatus}: its {@code LoggingEnabled}, or null when it has none
     * (which turns logging off).
     *
     * @throws AwsException {@code MalformedXML} when it is not one, or lacks {@code TargetBucket} or
     *     {@code TargetPrefix}, or names both key formats or an unknown date source
     */
    static BucketLogging parse(byte[] document) {
        Element root = XmlDocuments.root(document, "BucketLoggingStatus");
        Element enabled = XmlDocuments.child(root, "LoggingEnabled");
        if (enabled == null) {
            return null;
        }
        String bucket = XmlDocuments.text(enabled, "TargetBucket");
        String prefix = XmlDocuments.text(enabled, "TargetPrefix");
        if (bucket == null || bucket.isEmpty() || prefix == null) {
            throw XmlDocuments.malformed();
        }
        Element grants = XmlDocuments.child(enabled, "TargetGrants");
        boolean hasGrants = grants != null && XmlDocuments.child(grants, "Grant") != null;
        return new BucketLogging(bucket, prefix, hasGrants, keyFormat(XmlDocuments.child(enabled, "TargetObjectKeyFormat")));
    }

    private static KeyFormat keyFormat(Element format) {
        if (format == null) {
            return KeyFormat.SIMPLE;
        }
        Element simple = XmlDocuments.child(format, "SimplePrefix");
        Element partitioned = XmlDocuments.child(format, "PartitionedPrefix");
        if (simple != null && partitioned != null) {
            throw XmlDocuments.malformed();
        }
        if (partitioned == null) {
            return KeyFormat.SIMPLE;
        }
        String source = XmlDocuments.text(partitioned, "PartitionDateSource");
        if (source == null || source.isEmpty() || source.equals("EventTime")) {
            return KeyFormat.PARTITIONED_BY_EVENT_TIME;
        }
        if (source.equals("DeliveryTime")) {
            return KeyFormat.PARTITIONED_BY_DELIVERY_TIME;
        }
        throw XmlDocuments.malformed();
    }

    /**
     * The key of a log object of {@code source}'s requests, as S3 makes it.
     *
     * @param eventTime when the object's first request was made
     * @param deliveredAt when the object is written
     * @param unique what tells apart objects delivered in the same second
     */
    String key(Bucket source, Instant eventTime, Instant deliveredAt, String unique) {
        String file = FILE_TIME.format(deliveredAt) + "-" + unique;
        return switch (keyFormat) {
            case SIMPLE -> targetPrefix + file;
            case PARTITIONED_BY_EVENT_TIME, PARTITIONED_BY_DELIVERY_TIME -> targetPrefix + source.account() + "/" + source.region() + "/"
                    + source.name() + "/" + PARTITION_DAY.format(keyFormat == KeyFormat.PARTITIONED_BY_EVENT_TIME ? eventTime : deliveredAt) + "/"
                    + file;
        };
    }
}
