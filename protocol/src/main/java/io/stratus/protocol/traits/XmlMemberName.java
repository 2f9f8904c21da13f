package io.stratus.protocol.traits;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The element name of a wrapped list's entries in XML and awsQuery ({@code member} unless given):
 * S3's {@code <TagSet><Tag>…</Tag></TagSet>}. Smithy puts {@code @xmlName} on the list's member.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface XmlMemberName {
    String value();
}
