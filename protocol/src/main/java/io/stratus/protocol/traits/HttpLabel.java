package io.stratus.protocol.traits;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a member to a {@code {Label}} of the operation's URI template; the label is named by
 * {@link #value()}, or by the member's JSON name when empty. Mirrors Smithy's {@code @httpLabel}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface HttpLabel {
    String value() default "";
}
