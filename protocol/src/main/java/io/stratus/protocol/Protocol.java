package io.stratus.protocol;

/** The AWS wire protocols Stratus speaks (Smithy's protocol names). */
public enum Protocol {
    AWS_JSON_1_0("application/x-amz-json-1.0"),
    AWS_JSON_1_1("application/x-amz-json-1.1"),
    /**
     * awsJson1_1 with CBOR bodies instead of JSON, which the AWS SDKs send Kinesis by default
     * (timestamps as epoch milliseconds, blobs as byte strings); a request in this content type
     * is answered in it.
     */
    AWS_CBOR_1_1("application/x-amz-cbor-1.1"),
    AWS_QUERY("text/xml"),
    REST_JSON_1("application/json"),
    REST_XML("application/xml");

    private final String contentType;

    Protocol(String contentType) {
        this.contentType = contentType;
    }

    /** The content type of this protocol's response bodies. */
    public String contentType() {
        return contentType;
    }

    public boolean isJson() {
        return this == AWS_JSON_1_0 || this == AWS_JSON_1_1 || this == REST_JSON_1;
    }
}
