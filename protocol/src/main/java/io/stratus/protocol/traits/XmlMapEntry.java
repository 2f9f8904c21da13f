package io.stratus.protocol.traits;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The names of a map entry's key and value in XML and awsQuery (Smithy puts {@code @xmlName} on
 * the map's key and value members). SQS's attributes are {@code Attribute.N.Name} /
 * {@code Attribute.N.Value}; the default is {@code key} / {@code value}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface XmlMapEntry {
    String key() default "key";

    String value() default "value";
}
