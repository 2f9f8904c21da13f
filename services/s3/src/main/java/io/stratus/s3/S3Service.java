package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.core.spi.Buckets;
import io.stratus.core.spi.ObjectSource;
import io.stratus.core.spi.Targets;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import io.stratus.s3.AclOperations.BucketAclRequest;
import io.stratus.s3.AclOperations.ObjectAclRequest;
import io.stratus.s3.AttributesOperations.GetObjectAttributesRequest;
import io.stratus.s3.BucketConfigOperations.ConfigRequest;
import io.stratus.s3.BucketModel.BucketRequest;
import io.stratus.s3.BucketModel.CreateBucketRequest;
import io.stratus.s3.BucketModel.ListBucketsRequest;
import io.stratus.s3.BucketModel.NoOutput;
import io.stratus.s3.ListModel.ListObjectsRequest;
import io.stratus.s3.ListModel.ListObjectsV2Request;
import io.stratus.s3.MultipartModel.CompleteMultipartUploadRequest;
import io.stratus.s3.MultipartModel.CreateMultipartUploadRequest;
import io.stratus.s3.MultipartModel.ListMultipartUploadsRequest;
import io.stratus.s3.MultipartModel.ListPartsRequest;
import io.stratus.s3.MultipartModel.UploadPartRequest;
import io.stratus.s3.MultipartModel.UploadRequest;
import io.stratus.s3.ObjectModel.DeleteObjectRequest;
import io.stratus.s3.ObjectModel.DeleteObjectsRequest;
import io.stratus.s3.ObjectModel.GetObjectRequest;
import io.stratus.s3.ObjectModel.PutObjectRequest;
import io.stratus.s3.TaggingOperations.BucketTaggingRequest;
import io.stratus.s3.TaggingOperations.ObjectTaggingRequest;
import io.stratus.s3.VersionOperations.ListObjectVersionsRequest;
import io.stratus.s3.VersionOperations.PutBucketVersioningRequest;
import io.stratus.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Clock;
import java.util.List;

/**
 * Amazon S3 over restXml, path style ({@code /bucket/key}) and virtual-host style (the edge hands
 * {@code bucket.s3.localhost/key} over as {@code /bucket/key}). Metadata lives in the store, one
 * key per bucket, object, upload and part; bodies are files under {@code bodyDir}. Every
 * subresource S3 has and Stratus does not serve yet answers {@code NotImplemented} (501), never a
 * fake success. Thread-safe.
 */
public final class S3Service implements StratusService {

    static final String XML_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    /** How often lifecycle rules are applied (also once when the service starts). */
    private static final java.time.Duration LIFECYCLE_INTERVAL = java.time.Duration.ofMinutes(1);
    /** Bucket subresources ({@code /bucket?acl}) not served yet. */
    private static final List<String> UNSERVED_BUCKET_SUBRESOURCES = List.of("policyStatus", "notification",
            "replication", "website", "logging", "accelerate", "requestPayment", "object-lock", "analytics", "metrics", "inventory",
            "intelligent-tiering", "metadataTable", "session");
    /**
     * The methods of those subresources that are served (notification and Object Lock configurations
     * have no Delete): the others answer {@code NotImplemented} rather than fall through to the
     * bucket's own operations (a DELETE to DeleteBucket).
     */
    private static final java.util.Set<String> SERVED_METHODS_OF_UNSERVED = java.util.Set.of("GET notification", "PUT notification",
            "GET object-lock", "PUT object-lock", "GET website", "PUT website", "DELETE website", "GET logging", "PUT logging",
            "GET accelerate", "PUT accelerate", "GET requestPayment", "PUT requestPayment", "GET policyStatus", "GET replication",
            "PUT replication", "DELETE replication", "GET inventory", "PUT inventory", "DELETE inventory");
    /** Object subresources ({@code /bucket/key?acl}) not served yet. */
    private static final List<String> UNSERVED_OBJECT_SUBRESOURCES = List.of("retention", "legal-hold", "torrent", "restore", "select",
            "renameObject");
    /** The methods of those subresources that are served (RestoreObject, retentions, legal holds); the others never reach DeleteObject. */
    private static final java.util.Set<String> SERVED_OBJECT_METHODS = java.util.Set.of("POST restore", "GET retention", "PUT retention",
            "GET legal-hold", "PUT legal-hold");

    private final ServiceDefinition definition;
    private final OrphanBodyWorker orphans;
    private final Notifier notifier;
    private final Replicator replicator;
    private final LifecycleWorker lifecycle;
    private final Path bodyDir;
    private final boolean temporary;
    private final ObjectSource objectSource;
    private final Buckets bucketTargets;
    private final AccessLogs accessLogs;
    private final InventoryOperations inventory;

    /**
     * @param store where buckets, object metadata, uploads and parts live
     * @param clock the time of creations and modifications
     * @param bodyDir where object and part bodies are kept as files
     * @param temporary whether {@code bodyDir} is this run's alone and deleted on close (memory store)
     * @param targets where event notifications go
     * @param postAuthenticator proves who sent a browser POST upload (its signature is in the form, not a header)
     */
    public S3Service(Store store, Clock clock, Path bodyDir, boolean temporary, Targets targets, PostAuthenticator postAuthenticator) {
        requireNonNull(store, "store is null");
        requireNonNull(clock, "clock is null");
        this.bodyDir = requireNonNull(bodyDir, "bodyDir is null");
        this.temporary = temporary;
        BodyStore bodies = new BodyStore(bodyDir, store);
        this.objectSource = new S3Objects(store, bodies);
        BucketStore bucketStore = new BucketStore(store);
        this.orphans = new OrphanBodyWorker(store, bodies);
        ObjectStore objectStore = new ObjectStore(store);
        UploadStore uploadStore = new UploadStore(store);
        this.notifier = new Notifier(bucketStore, requireNonNull(targets, "targets is null"), clock);
        NotificationOperations notifications = new NotificationOperations(bucketStore, targets, notifier);
        this.replicator = new Replicator(store, bodies, bucketStore.locks(), clock);
        ObjectOperations objects = new ObjectOperations(objectStore, bodies, clock, notifier, replicator, bucketStore.locks(),
                new Expirations(bucketStore));
        ReplicationOperations replication = new ReplicationOperations(bucketStore);
        this.bucketTargets = new S3Buckets(store, objects);
        BucketAccess access = new BucketAccess(bucketStore);
        CopyOperations copies = new CopyOperations(objectStore, bodies, objects, access);
        PostOperations posts = new PostOperations(objectStore, bodies, objects, requireNonNull(postAuthenticator, "postAuthenticator is null"), access,
                clock);
        MultipartOperations multipart = new MultipartOperations(uploadStore, bodies, objects, access);
        MultipartListing multipartListing = new MultipartListing(uploadStore);
        BucketOperations buckets = new BucketOperations(bucketStore, multipart, clock);
        ObjectListing listing = new ObjectListing(objectStore);
        AttributesOperations attributes = new AttributesOperations(objectStore);
        RestoreOperations restores = new RestoreOperations(objectStore, clock, notifier);
        AclOperations acls = new AclOperations(bucketStore, objectStore, notifier);
        TaggingOperations tagging = new TaggingOperations(objectStore, bucketStore, notifier, replicator);
        VersionOperations versions = new VersionOperations(bucketStore);
        BucketConfigOperations configs = new BucketConfigOperations(bucketStore, access);
        CorsOperations cors = new CorsOperations(bucketStore);
        LifecycleOperations lifecycleConfigs = new LifecycleOperations(bucketStore);
        ObjectLockOperations locks = new ObjectLockOperations(bucketStore, objectStore, clock);
        this.lifecycle = new LifecycleWorker(store, objects, multipart, clock, LIFECYCLE_INTERVAL);
        LoggingOperations logging = new LoggingOperations(bucketStore, access, clock);
        this.accessLogs = new AccessLogs(bucketStore, access, bucketTargets, clock, AccessLogs.intervalFromSystemProperties());
        this.inventory = new InventoryOperations(bucketStore, access, bucketTargets, clock);

        ServiceDefinition.Builder builder = ServiceDefinition.builder("s3")
                .protocol(Protocol.REST_XML)
                .xmlNamespace(XML_NAMESPACE)
                .responseFilter((request, response) -> {
                    cors.filter(request, response);
                    access.chargeRequester(request, response);
                })
                .observer(accessLogs)
                .guard(access)
                .operation("PreflightBucket", "OPTIONS", "/{Bucket}", 200, CorsOperations.PreflightRequest.class, cors::preflight)
                .operation("PreflightObject", "OPTIONS", "/{Bucket}/{Key+}", 200, CorsOperations.PreflightObjectRequest.class, cors::preflightObject)
                .operation("ListBuckets", "GET", "/", 200, ListBucketsRequest.class, buckets::listBuckets)
                .operation("CreateBucket", "PUT", "/{Bucket}", 200, CreateBucketRequest.class, buckets::createBucket)
                .operation("HeadBucket", "HEAD", "/{Bucket}", 200, BucketRequest.class, buckets::headBucket)
                .operation("DeleteBucket", "DELETE", "/{Bucket}", 204, BucketRequest.class, buckets::deleteBucket)
                .operation("GetBucketLocation", "GET", "/{Bucket}?location", 200, BucketRequest.class, buckets::getBucketLocation)
                .operation("ListObjects", "GET", "/{Bucket}", 200, ListObjectsRequest.class, listing::listObjects)
                .operation("ListObjectsV2", "GET", "/{Bucket}?list-type=2", 200, ListObjectsV2Request.class, listing::listObjectsV2)
                .operation("DeleteObjects", "POST", "/{Bucket}?delete", 200, DeleteObjectsRequest.class,
                        (context, request) -> objects.deleteObjects(context, request, access.deniedDeletes(context, request.bucket(),
                                Boolean.TRUE.equals(request.bypassGovernanceRetention()))))
                .operation("PutObject", "PUT", "/{Bucket}/{Key+}", 200, PutObjectRequest.class,
                        (context, request) -> request.copySource() != null ? copies.copyObject(context, request) : objects.putObject(context, request))
                .operation("GetObject", "GET", "/{Bucket}/{Key+}", 200, GetObjectRequest.class, objects::getObject)
                .operation("HeadObject", "HEAD", "/{Bucket}/{Key+}", 200, GetObjectRequest.class, objects::headObject)
                .operation("DeleteObject", "DELETE", "/{Bucket}/{Key+}", 204, DeleteObjectRequest.class, objects::deleteObject)
                .operation("CreateMultipartUpload", "POST", "/{Bucket}/{Key+}?uploads", 200, CreateMultipartUploadRequest.class,
                        multipart::createMultipartUpload)
                .operation("UploadPart", "PUT", "/{Bucket}/{Key+}?partNumber&uploadId", 200, UploadPartRequest.class, multipart::uploadPart)
                .operation("CompleteMultipartUpload", "POST", "/{Bucket}/{Key+}?uploadId", 200, CompleteMultipartUploadRequest.class,
                        multipart::completeMultipartUpload)
                .operation("AbortMultipartUpload", "DELETE", "/{Bucket}/{Key+}?uploadId", 204, UploadRequest.class, multipart::abortMultipartUpload)
                .operation("ListParts", "GET", "/{Bucket}/{Key+}?uploadId", 200, ListPartsRequest.class, multipartListing::listParts)
                .operation("ListMultipartUploads", "GET", "/{Bucket}?uploads", 200, ListMultipartUploadsRequest.class,
                        multipartListing::listMultipartUploads)
                .operation("GetBucketAcl", "GET", "/{Bucket}?acl", 200, BucketAclRequest.class, acls::getBucketAcl)
                .operation("PutBucketAcl", "PUT", "/{Bucket}?acl", 200, BucketAclRequest.class, acls::putBucketAcl)
                .operation("GetObjectAcl", "GET", "/{Bucket}/{Key+}?acl", 200, ObjectAclRequest.class, acls::getObjectAcl)
                .operation("PutObjectAcl", "PUT", "/{Bucket}/{Key+}?acl", 200, ObjectAclRequest.class, acls::putObjectAcl)
                .operation("RestoreObject", "POST", "/{Bucket}/{Key+}?restore", 202, RestoreOperations.RestoreObjectRequest.class,
                        restores::restoreObject)
                .operation("GetObjectAttributes", "GET", "/{Bucket}/{Key+}?attributes", 200, GetObjectAttributesRequest.class,
                        attributes::getObjectAttributes)
                .operation("GetObjectTagging", "GET", "/{Bucket}/{Key+}?tagging", 200, ObjectTaggingRequest.class, tagging::getObjectTagging)
                .operation("PutObjectTagging", "PUT", "/{Bucket}/{Key+}?tagging", 200, ObjectTaggingRequest.class, tagging::putObjectTagging)
                .operation("DeleteObjectTagging", "DELETE", "/{Bucket}/{Key+}?tagging", 204, ObjectTaggingRequest.class, tagging::deleteObjectTagging)
                .operation("GetBucketTagging", "GET", "/{Bucket}?tagging", 200, BucketRequest.class, tagging::getBucketTagging)
                .operation("PutBucketTagging", "PUT", "/{Bucket}?tagging", 204, BucketTaggingRequest.class, tagging::putBucketTagging)
                .operation("DeleteBucketTagging", "DELETE", "/{Bucket}?tagging", 204, BucketRequest.class, tagging::deleteBucketTagging)
                .operation("PutBucketVersioning", "PUT", "/{Bucket}?versioning", 200, PutBucketVersioningRequest.class, versions::putBucketVersioning)
                .operation("GetBucketVersioning", "GET", "/{Bucket}?versioning", 200, BucketRequest.class, versions::getBucketVersioning)
                .operation("ListObjectVersions", "GET", "/{Bucket}?versions", 200, ListObjectVersionsRequest.class, versions::listObjectVersions)
                .operation("PutBucketNotificationConfiguration", "PUT", "/{Bucket}?notification", 200,
                        NotificationOperations.PutNotificationRequest.class, notifications::put)
                .operation("GetBucketNotificationConfiguration", "GET", "/{Bucket}?notification", 200, BucketRequest.class, notifications::get)
                .operation("PutBucketLifecycleConfiguration", "PUT", "/{Bucket}?lifecycle", 200, LifecycleOperations.PutRequest.class,
                        lifecycleConfigs::put)
                .operation("GetBucketLifecycleConfiguration", "GET", "/{Bucket}?lifecycle", 200, BucketRequest.class, lifecycleConfigs::get)
                .operation("DeleteBucketLifecycle", "DELETE", "/{Bucket}?lifecycle", 204, BucketRequest.class, lifecycleConfigs::delete)
                .operation("PutObjectLockConfiguration", "PUT", "/{Bucket}?object-lock", 200,
                        ObjectLockOperations.PutObjectLockConfigurationRequest.class, locks::putObjectLockConfiguration)
                .operation("GetObjectLockConfiguration", "GET", "/{Bucket}?object-lock", 200, BucketRequest.class, locks::getObjectLockConfiguration)
                .operation("PutObjectRetention", "PUT", "/{Bucket}/{Key+}?retention", 200, ObjectLockOperations.RetentionRequest.class,
                        locks::putObjectRetention)
                .operation("GetObjectRetention", "GET", "/{Bucket}/{Key+}?retention", 200, ObjectLockOperations.RetentionRequest.class,
                        locks::getObjectRetention)
                .operation("PutObjectLegalHold", "PUT", "/{Bucket}/{Key+}?legal-hold", 200, ObjectLockOperations.LegalHoldRequest.class,
                        locks::putObjectLegalHold)
                .operation("GetObjectLegalHold", "GET", "/{Bucket}/{Key+}?legal-hold", 200, ObjectLockOperations.LegalHoldRequest.class,
                        locks::getObjectLegalHold)
                .operation("GetBucketPolicyStatus", "GET", "/{Bucket}?policyStatus", 200, BucketRequest.class, configs::policyStatus)
                .operation("PutBucketInventoryConfiguration", "PUT", "/{Bucket}?inventory", 200, InventoryOperations.PutRequest.class,
                        inventory::put)
                .operation("GetBucketInventoryConfiguration", "GET", "/{Bucket}?inventory&id", 200, InventoryOperations.IdRequest.class,
                        inventory::get)
                .operation("DeleteBucketInventoryConfiguration", "DELETE", "/{Bucket}?inventory", 204, InventoryOperations.IdRequest.class,
                        inventory::delete)
                .operation("ListBucketInventoryConfigurations", "GET", "/{Bucket}?inventory", 200, InventoryOperations.ListRequest.class,
                        inventory::list)
                .operation("PutBucketLogging", "PUT", "/{Bucket}?logging", 200, ConfigRequest.class, logging::put)
                .operation("GetBucketLogging", "GET", "/{Bucket}?logging", 200, BucketRequest.class, logging::get)
                .operation("PutBucketReplication", "PUT", "/{Bucket}?replication", 200, ConfigRequest.class, replication::put)
                .operation("GetBucketReplication", "GET", "/{Bucket}?replication", 200, BucketRequest.class, replication::get)
                .operation("DeleteBucketReplication", "DELETE", "/{Bucket}?replication", 204, BucketRequest.class, replication::delete)
                .operation("PostObject", "POST", "/{Bucket}", 204, PostOperations.PostObjectRequest.class, posts::postObject);
        // Website endpoints: <bucket>.s3-website-<region>.…, <bucket>.s3-website.<region>.…, /_aws/s3-website/<bucket>/…
        WebsiteEndpoint website = new WebsiteEndpoint(bucketStore, objects, access, cors);
        builder.endpoint("s3-website", website);
        BucketOperations.REGIONS.forEach(region -> builder.endpoint("s3-website-" + region, website));
        for (BucketConfig config : BucketConfig.values()) {
            String uri = "/{Bucket}?" + config.subresource();
            builder.operation("Put" + config.operationSuffix(), "PUT", uri, config.putStatus(), ConfigRequest.class,
                            (context, request) -> configs.put(config, context, request))
                    .operation("Get" + config.operationSuffix(), "GET", uri, 200, BucketRequest.class,
                            (context, request) -> configs.get(config, context, request));
            if (config.deletable()) {
                builder.operation("Delete" + config.operationSuffix(), "DELETE", uri, 204, BucketRequest.class,
                        (context, request) -> configs.delete(config, context, request));
            }
        }
        for (String subresource : UNSERVED_BUCKET_SUBRESOURCES) {
            for (String method : List.of("GET", "PUT", "DELETE", "POST")) {
                if (SERVED_METHODS_OF_UNSERVED.contains(method + " " + subresource)) {
                    continue;
                }
                builder.operation(method + " bucket?" + subresource, method, "/{Bucket}?" + subresource, 200, BucketRequest.class,
                        notImplemented(method + " on the bucket subresource ?" + subresource));
            }
        }
        for (String subresource : UNSERVED_OBJECT_SUBRESOURCES) {
            for (String method : List.of("GET", "PUT", "DELETE", "POST")) {
                if (SERVED_OBJECT_METHODS.contains(method + " " + subresource)) {
                    continue;
                }
                builder.operation(method + " object?" + subresource, method, "/{Bucket}/{Key+}?" + subresource, 200, BucketRequest.class,
                        notImplemented(method + " on the object subresource ?" + subresource));
            }
        }
        this.definition = builder.build();
    }

    /** Keeps bodies in a fresh temporary directory deleted on close, for a server whose state is in memory. */
    public static S3Service temporary(Store store, Clock clock, Targets targets, PostAuthenticator postAuthenticator) {
        try {
            return new S3Service(store, clock, Files.createTempDirectory("stratus-s3-"), true, targets, postAuthenticator);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for S3 object bodies", e);
        }
    }

    @Override
    public void start() {
        accessLogs.start();
        inventory.start();
        orphans.start();
        lifecycle.start();
        notifier.start();
        replicator.start();
    }

    @Override
    public void close() {
        accessLogs.close(); // writes what is buffered, as objects with their notifications
        lifecycle.close();
        inventory.close();
        notifier.close();
        replicator.close();
        orphans.stop();
        if (temporary) {
            try (Stream<Path> paths = Files.walk(bodyDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // A temporary directory left behind is the OS's to clean up.
            }
        }
    }

    private static io.stratus.protocol.OperationHandler<BucketRequest, NoOutput> notImplemented(String what) {
        return (context, request) -> {
            throw AwsException.of(CommonErrors.NOT_IMPLEMENTED, "A header or query you provided implies functionality that is not implemented: %s "
                    + "is not served by Stratus yet.", what);
        };
    }

    /** Read access to objects for other services (Lambda's code from S3), with GetObject's errors. */
    public ObjectSource objects() {
        return objectSource;
    }

    /** This service's buckets as delivery targets, for {@code Targets}. */
    public Buckets buckets() {
        return bucketTargets;
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }
}
