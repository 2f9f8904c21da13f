package io.stratus.protocol;

/** The AWS wire protocols Stratus speaks (Smithy's protocol names). */
public enum Protocol {
    AWS_JSON_1_0("application/x-amz-json-1.0"),
    AWS_JSON_1_1("application/x-amz-json-1.1"),
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
