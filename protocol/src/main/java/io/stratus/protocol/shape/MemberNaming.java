package io.stratus.protocol.shape;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.PropertyNamingStrategy;

/**
 * How a service names its members on the wire, from a Java record component's name. Most AWS
 * services use PascalCase ({@code QueueUrl}); some use camelCase (Step Functions, API Gateway).
 */
public enum MemberNaming {
    PASCAL_CASE(PropertyNamingStrategies.UPPER_CAMEL_CASE),
    CAMEL_CASE(PropertyNamingStrategies.LOWER_CAMEL_CASE);

    private final PropertyNamingStrategy jackson;

    MemberNaming(PropertyNamingStrategy jackson) {
        this.jackson = jackson;
    }

    public PropertyNamingStrategy jackson() {
        return jackson;
    }

    public String apply(String javaName) {
        return switch (this) {
            case PASCAL_CASE -> Character.toUpperCase(javaName.charAt(0)) + javaName.substring(1);
            case CAMEL_CASE -> javaName;
        };
    }
}
