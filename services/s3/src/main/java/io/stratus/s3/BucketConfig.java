package io.stratus.s3;

import io.stratus.core.AwsErrorCode;

/**
 * A bucket configuration S3 stores and returns as its document (XML, or JSON for a policy):
 * which subresource carries it, how it is checked, and what a bucket without one answers.
 *
 * @param operationSuffix the AWS operation names' suffix: {@code Put<suffix>}, {@code Get<suffix>}, {@code Delete<suffix>}
 * @param subresource the query literal, e.g. {@code cors} for {@code /bucket?cors}
 * @param rootElement the XML document's root element, or null for a JSON document
 * @param putStatus the status of a successful put
 * @param defaultDocument what a bucket without the configuration returns (S3's defaults since 2023), or null
 * @param notFound the error for a bucket without the configuration, when there is no default
 */
enum BucketConfig {
    POLICY("BucketPolicy", "policy", null, 204, null, S3Errors.NO_SUCH_BUCKET_POLICY,
            "The bucket policy does not exist"),
    CORS("BucketCors", "cors", "CORSConfiguration", 200, null, S3Errors.NO_SUCH_CORS_CONFIGURATION,
            "The CORS configuration does not exist"),
    ENCRYPTION("BucketEncryption", "encryption", "ServerSideEncryptionConfiguration", 200,
            "<ServerSideEncryptionConfiguration xmlns=\"" + S3Service.XML_NAMESPACE + "\"><Rule><ApplyServerSideEncryptionByDefault>"
                    + "<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled>"
                    + "</Rule></ServerSideEncryptionConfiguration>",
            S3Errors.ENCRYPTION_CONFIGURATION_NOT_FOUND, "The server side encryption configuration was not found"),
    OWNERSHIP_CONTROLS("BucketOwnershipControls", "ownershipControls", "OwnershipControls", 200,
            "<OwnershipControls xmlns=\"" + S3Service.XML_NAMESPACE + "\"><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership>"
                    + "</Rule></OwnershipControls>",
            S3Errors.OWNERSHIP_CONTROLS_NOT_FOUND, "The bucket ownership controls were not found"),
    PUBLIC_ACCESS_BLOCK("PublicAccessBlock", "publicAccessBlock", "PublicAccessBlockConfiguration", 200,
            "<PublicAccessBlockConfiguration xmlns=\"" + S3Service.XML_NAMESPACE + "\"><BlockPublicAcls>true</BlockPublicAcls>"
                    + "<IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy>"
                    + "<RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>",
            S3Errors.NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION, "The public access block configuration was not found"),
    WEBSITE("BucketWebsite", "website", "WebsiteConfiguration", 200, null, S3Errors.NO_SUCH_WEBSITE_CONFIGURATION,
            "The specified bucket does not have a website configuration"),
    ACCELERATE("BucketAccelerateConfiguration", "accelerate", "AccelerateConfiguration", 200,
            "<AccelerateConfiguration xmlns=\"" + S3Service.XML_NAMESPACE + "\"/>", null, null),
    REQUEST_PAYMENT("BucketRequestPayment", "requestPayment", "RequestPaymentConfiguration", 200,
            "<RequestPaymentConfiguration xmlns=\"" + S3Service.XML_NAMESPACE + "\"><Payer>BucketOwner</Payer></RequestPaymentConfiguration>",
            null, null);

    private final String operationSuffix;
    private final String subresource;
    private final String rootElement;
    private final int putStatus;
    private final String defaultDocument;
    private final AwsErrorCode notFound;
    private final String notFoundMessage;

    BucketConfig(String operationSuffix, String subresource, String rootElement, int putStatus, String defaultDocument,
            AwsErrorCode notFound, String notFoundMessage) {
        this.operationSuffix = operationSuffix;
        this.subresource = subresource;
        this.rootElement = rootElement;
        this.putStatus = putStatus;
        this.defaultDocument = defaultDocument;
        this.notFound = notFound;
        this.notFoundMessage = notFoundMessage;
    }

    String operationSuffix() {
        return operationSuffix;
    }

    String subresource() {
        return subresource;
    }

    String rootElement() {
        return rootElement;
    }

    int putStatus() {
        return putStatus;
    }

    String defaultDocument() {
        return defaultDocument;
    }

    AwsErrorCode notFound() {
        return notFound;
    }

    String notFoundMessage() {
        return notFoundMessage;
    }

    boolean isJson() {
        return rootElement == null;
    }

    /**
     * Whether deleting it leaves the bucket with none at all rather than with the default: S3's
     * DeletePublicAccessBlock and DeleteBucketOwnershipControls do (nothing is blocked, ACLs are
     * enabled, and Get answers the not-found error), while DeleteBucketEncryption goes back to
     * the default. Stored as an empty document, which no Put can store.
     */
    boolean deletionRemovesDefault() {
        return this == PUBLIC_ACCESS_BLOCK || this == OWNERSHIP_CONTROLS;
    }

    /** Whether S3 has a Delete operation for it: accelerate and request payment settings are only ever put. */
    boolean deletable() {
        return this != ACCELERATE && this != REQUEST_PAYMENT;
    }
}
