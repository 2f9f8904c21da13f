package io.stratus.protocol.shape;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Map;

/**
 * One member of a request or response record, with everything the codecs need to know about it.
 *
 * @param javaName the record component's name
 * @param jsonName the member's name in JSON bodies
 * @param xmlName the member's name in XML bodies and awsQuery keys
 * @param type the component's generic type
 * @param binding where on the HTTP message the member travels
 * @param bindingName the header, query parameter or label name for bound members, else null
 * @param flattened whether a list or map omits its wrapper in XML and awsQuery
 * @param mapKeyName the XML / awsQuery name of a map entry's key
 * @param mapValueName the XML / awsQuery name of a map entry's value
 * @param listMemberName the XML / awsQuery name of a wrapped list's entries
 * @param getter the record component's accessor as a handle typed {@code (Object) Object} (see
 *     {@link #getter(Method)}): {@link Method#invoke} costs more per call, and every response's
 *     members are read through it
 */
public record MemberShape(
        String javaName,
        String jsonName,
        String xmlName,
        Type type,
        Binding binding,
        String bindingName,
        boolean flattened,
        String mapKeyName,
        String mapValueName,
        String listMemberName,
        MethodHandle getter) {

    public MemberShape {
        requireNonNull(javaName, "javaName is null");
        requireNonNull(jsonName, "jsonName is null");
        requireNonNull(xmlName, "xmlName is null");
        requireNonNull(type, "type is null");
        requireNonNull(binding, "binding is null");
        requireNonNull(getter, "getter is null");
    }

    public Class<?> rawType() {
        return raw(type);
    }

    public boolean isList() {
        return Collection.class.isAssignableFrom(rawType());
    }

    public boolean isMap() {
        return Map.class.isAssignableFrom(rawType());
    }

    /** The element type of a list, or the value type of a map. */
    public Type elementType() {
        if (type instanceof ParameterizedType parameterized) {
            Type[] arguments = parameterized.getActualTypeArguments();
            return arguments[arguments.length - 1];
        }
        return Object.class;
    }

    public Object get(Object record) {
        try {
            return (Object) getter.invokeExact(record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot read " + javaName + " of " + record.getClass().getName(), e);
        }
    }

    /** {@code accessor} (accessible) as a handle of type {@code (Object) Object}, for {@link #getter}. */
    public static MethodHandle getter(Method accessor) {
        try {
            return MethodHandles.lookup().unreflect(accessor).asType(MethodType.methodType(Object.class, Object.class));
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("Cannot read " + accessor, e);
        }
    }

    public static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        return Object.class;
    }
}
