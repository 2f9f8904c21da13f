package io.stratus.protocol.traits;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Binds a Map member to every header whose name starts with this prefix (S3's {@code x-amz-meta-}). Mirrors Smithy's {@code @httpPrefixHeaders} trait. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface HttpPrefixHeaders {
    String value();
}
