package io.stratus.protocol.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.stratus.core.AwsException;
import io.stratus.core.CommonErrors;
import io.stratus.protocol.HttpRequest;
import io.stratus.protocol.HttpResponse;
import io.stratus.protocol.OperationDefinition;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.UriTemplate;
import io.stratus.protocol.shape.Binding;
import io.stratus.protocol.shape.MemberShape;
import io.stratus.protocol.shape.StructureShape;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What restJson1 and restXml share: finding the operation by method and URI template, reading
 * labels, query parameters and headers into members, writing header and status bindings, and
 * building the request record member by member. Stateless.
 */
final class RestBindings {

    private RestBindings() {}

    record Match(OperationDefinition<?, ?> operation, Map<String, String> labels) {}

    static Match resolve(ServiceDefinition service, HttpRequest request) {
        // The service keeps each method's operations most specific first, so the first match is the best.
        UriTemplate.Path path = UriTemplate.Path.of(request.rawPath());
        for (OperationDefinition<?, ?> operation : service.operationsWithMethod(request.method())) {
            Optional<Map<String, String>> labels = operation.http().uri().match(path, request.query());
            if (labels.isPresent()) {
                return new Match(operation, labels.get());
            }
        }
        throw AwsException.of(CommonErrors.UNKNOWN_OPERATION, "No %s operation matches %s %s.", service.name(), request.method(), request.rawPath());
    }

    /** Whether an operation with another method matches the request's path and query. */
    static boolean matchesAnotherMethod(ServiceDefinition service, HttpRequest request) {
        return service.operations().stream()
                .anyMatch(op -> !op.http().method().equals(request.method()) && op.http().uri().match(request.rawPath(), request.query()).isPresent());
    }

    /** The value of a label, query or header member, converted to the member's type; null when absent. */
    static Object boundValue(ObjectMapper mapper, MemberShape member, HttpRequest request, Map<String, String> labels) {
        return switch (member.binding()) {
            case LABEL -> scalar(mapper, member, labels.get(member.bindingName()), TimestampFormat.DATE_TIME);
            case QUERY -> member.isList()
                    ? list(mapper, member, request.query().all(member.bindingName()), TimestampFormat.DATE_TIME)
                    : scalar(mapper, member, request.query().first(member.bindingName()).orElse(null), TimestampFormat.DATE_TIME);
            case HEADER -> member.isList()
                    ? list(mapper, member, splitHeader(request.headerValues(member.bindingName())), TimestampFormat.HTTP_DATE)
                    : scalar(mapper, member, request.header(member.bindingName()).orElse(null), TimestampFormat.HTTP_DATE);
            case PREFIX_HEADERS -> prefixHeaders(member, request);
            case BODY, PAYLOAD, RESPONSE_CODE -> null;
        };
    }

    private static Object scalar(ObjectMapper mapper, MemberShape member, String text, TimestampFormat format) {
        if (text == null) {
            return null;
        }
        // The common types directly, as the mapper would read them, without a JSON tree on the way.
        Class<?> type = member.rawType();
        try {
            if (type == String.class) {
                return text;
            }
            if (type == Integer.class) {
                return Integer.valueOf(text.trim());
            }
            if (type == Long.class) {
                return Long.valueOf(text.trim());
            }
        } catch (NumberFormatException e) {
            throw AwsException.of(CommonErrors.SERIALIZATION, "Value '%s' for %s is not valid.", text, member.bindingName());
        }
        try {
            return mapper.treeToValue(Scalars.fromText(text, member.rawType(), format), mapper.getTypeFactory().constructType(member.type()));
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw AwsException.of(CommonErrors.SERIALIZATION, "Value '%s' for %s is not valid.", text, member.bindingName());
        }
    }

    private static Object list(ObjectMapper mapper, MemberShape member, List<String> texts, TimestampFormat format) {
        if (texts.isEmpty()) {
            return null;
        }
        Class<?> elementType = MemberShape.raw(member.elementType());
        var array = JsonNodeFactory.instance.arrayNode();
        for (String text : texts) {
            try {
                array.add(Scalars.fromText(text, elementType, format));
            } catch (IllegalArgumentException e) {
                throw AwsException.of(CommonErrors.SERIALIZATION, "Value '%s' for %s is not valid.", text, member.bindingName());
            }
        }
        return mapper.convertValue(array, mapper.getTypeFactory().constructType(member.type()));
    }

    private static List<String> splitHeader(List<String> values) {
        List<String> parts = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                parts.add(part.trim());
            }
        }
        return parts;
    }

    private static Map<String, String> prefixHeaders(MemberShape member, HttpRequest request) {
        String prefix = member.bindingName().toLowerCase(java.util.Locale.ROOT);
        Map<String, String> values = new TreeMap<>();
        request.headers().forEach((name, list) -> {
            if (name.startsWith(prefix)) {
                values.put(name.substring(prefix.length()), String.join(",", list));
            }
        });
        return values.isEmpty() ? null : values;
    }

    /** Converts a JSON body member to its Java type; a wrong type is the client's fault. */
    static Object bodyValue(ObjectMapper mapper, MemberShape member, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return mapper.treeToValue(value, mapper.getTypeFactory().constructType(member.type()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw AwsException.of(CommonErrors.SERIALIZATION, "Member %s has the wrong type.", member.jsonName());
        }
    }

    /** A payload member of type byte[], String or InputStream, read from the body; else null. */
    static Object rawPayload(ServiceDefinition service, MemberShape member, HttpRequest request) {
        Class<?> type = member.rawType();
        if (type == InputStream.class) {
            return request.body();
        }
        if (type == byte[].class) {
            return request.bodyBytes(service.maxRequestBytes());
        }
        if (type == String.class) {
            return new String(request.bodyBytes(service.maxRequestBytes()), java.nio.charset.StandardCharsets.UTF_8);
        }
        return null;
    }

    /** Builds a record through its canonical constructor from a value per member. */
    static Object construct(StructureShape shape, Function<MemberShape, Object> values) {
        List<MemberShape> members = shape.members();
        Object[] args = new Object[members.size()];
        for (int i = 0; i < args.length; i++) {
            MemberShape member = members.get(i);
            args[i] = values.apply(member);
            if (args[i] == null && member.rawType().isPrimitive()) {
                throw AwsException.of(CommonErrors.SERIALIZATION, "Member %s is required.", member.jsonName());
            }
        }
        try {
            return CANONICAL_CONSTRUCTORS.get(shape.type()).newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot construct " + shape.type().getName(), e);
        }
    }

    /** Each record's canonical constructor, looked up (and made accessible: records may be package-private) once. */
    private static final ClassValue<Constructor<?>> CANONICAL_CONSTRUCTORS = new ClassValue<>() {
        @Override
        protected Constructor<?> computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
            }
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return constructor;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("Cannot construct " + type.getName(), e);
            }
        }
    };

    /** Adds the header bindings of an output record to {@code headers}; returns the status it asks for, if any. */
    static Integer writeOutputBindings(StructureShape shape, Object output, List<Map.Entry<String, String>> headers, ServiceDefinition service) {
        Integer status = null;
        for (MemberShape member : shape.members()) {
            Object value = member.get(output);
            if (value == null) {
                continue;
            }
            switch (member.binding()) {
                case HEADER -> {
                    if (value instanceof Collection<?> list) {
                        List<String> texts = list.stream().map(v -> Scalars.toText(v, TimestampFormat.HTTP_DATE, service.naming())).toList();
                        headers.add(Map.entry(member.bindingName(), String.join(", ", texts)));
                    } else {
                        headers.add(Map.entry(member.bindingName(), Scalars.toText(value, TimestampFormat.HTTP_DATE, service.naming())));
                    }
                }
                case PREFIX_HEADERS -> ((Map<?, ?>) value).forEach((name, headerValue) ->
                        headers.add(Map.entry(member.bindingName() + name, String.valueOf(headerValue))));
                case RESPONSE_CODE -> status = ((Number) value).intValue();
                case BODY, LABEL, QUERY, PAYLOAD -> {
                }
            }
        }
        return status;
    }

    /** A response with the given status, body and headers. */
    static HttpResponse response(int status, byte[] body, List<Map.Entry<String, String>> headers) {
        HttpResponse response = new HttpResponse(status, body);
        headers.forEach(header -> response.header(header.getKey(), header.getValue()));
        return response;
    }

    static boolean hasBodyMembers(StructureShape shape) {
        for (MemberShape member : shape.members()) {
            if (member.binding() == Binding.BODY) {
                return true;
            }
        }
        return false;
    }
}
