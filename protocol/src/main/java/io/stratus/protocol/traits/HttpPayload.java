package io.stratus.protocol.traits;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Binds a member to the whole HTTP body: raw bytes for a byte[] or String member, else the member serialized alone. Mirrors Smithy's {@code @httpPayload} trait. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface HttpPayload {}
