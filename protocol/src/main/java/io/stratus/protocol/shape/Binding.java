package io.stratus.protocol.shape;

/** Where on the HTTP message a member travels. */
public enum Binding {
    BODY,
    LABEL,
    QUERY,
    HEADER,
    PREFIX_HEADERS,
    PAYLOAD,
    RESPONSE_CODE
}
