package io.stratus.protocol.traits;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The member's name in XML and awsQuery keys, where it differs from the JSON name; on a record, its XML root element. Mirrors Smithy's {@code @xmlName} trait. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface XmlName {
    String value();
}
