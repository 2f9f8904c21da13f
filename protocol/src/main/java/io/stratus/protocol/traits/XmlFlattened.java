package io.stratus.protocol.traits;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Serializes a list or map member without its wrapping element (XML) or {@code .member} segment (awsQuery). Mirrors Smithy's {@code @xmlFlattened} trait. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface XmlFlattened {}
