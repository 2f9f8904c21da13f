/**
 * Annotations that bind the members of an operation's request and response records to the wire,
 * named after the Smithy traits AWS models use. A member without an HTTP binding travels in the
 * body; names come from the service's naming convention unless {@code @JsonProperty} or
 * {@link io.stratus.protocol.traits.XmlName} says otherwise.
 */
package io.stratus.protocol.traits;
