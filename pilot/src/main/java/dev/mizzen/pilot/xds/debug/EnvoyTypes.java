package dev.mizzen.pilot.xds.debug;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the Java class of a packed xDS message from its type URL, so that config dumps can be printed as JSON
 * (protobuf's JSON printer must know every type inside an {@code Any}) and searched for keys to redact.
 *
 * <p>Why by name and not from a list: the filters and transport sockets generators put into {@code typed_config}
 * are many and grow; a list would fall behind and the printer fails on the first type it lacks. The protos we
 * send follow one rule for their Java package: Envoy's {@code envoy.x.y.Msg} is {@code io.envoyproxy.envoy.x.y.Msg},
 * the xDS and UDPA ones are under {@code com.github.xds} and {@code com.github.udpa.udpa}; protobuf's own
 * well-known types need no help.
 *
 * <p>Thread-safe: the cache is a concurrent map of immutable descriptors.
 */
public final class EnvoyTypes {
    private static final String PREFIX = "type.googleapis.com/";
    private static final Map<String, Optional<Class<? extends Message>>> CLASSES = new ConcurrentHashMap<>();

    private EnvoyTypes() {
    }

    /** The class of a type URL, when it is one of ours to know. */
    public static Optional<Class<? extends Message>> classOf(String typeUrl) {
        String name = typeUrl.startsWith(PREFIX) ? typeUrl.substring(PREFIX.length()) : typeUrl;
        return CLASSES.computeIfAbsent(name, EnvoyTypes::load);
    }

    /** Unpacks an {@code Any} of a known type. */
    public static Optional<Message> unpack(Any any) {
        Optional<Class<? extends Message>> type = classOf(any.getTypeUrl());
        if (type.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(any.unpack(type.get()));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    /**
     * A registry with every type packed anywhere inside these messages, for {@link JsonFormat}: it walks the
     * messages and the {@code Any}s inside them.
     */
    public static JsonFormat.TypeRegistry registryFor(Iterable<? extends Message> messages) {
        JsonFormat.TypeRegistry.Builder registry = JsonFormat.TypeRegistry.newBuilder();
        Set<String> seen = new HashSet<>();
        Deque<Message> todo = new ArrayDeque<>();
        messages.forEach(todo::add);
        while (!todo.isEmpty()) {
            Message message = todo.pop();
            if (message instanceof Any any) {
                Optional<Message> inner = unpack(any);
                if (inner.isPresent()) {
                    if (seen.add(any.getTypeUrl())) {
                        registry.add(inner.get().getDescriptorForType());
                    }
                    todo.push(inner.get());
                }
                continue;
            }
            for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
                if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                    continue;
                }
                if (field.getKey().isRepeated()) {
                    for (Object element : (Iterable<?>) field.getValue()) {
                        todo.push((Message) element);
                    }
                } else {
                    todo.push((Message) field.getValue());
                }
            }
        }
        return registry.build();
    }

    /** Prints messages as protobuf JSON, every packed type resolved. */
    public static String toJson(Message message) {
        try {
            return JsonFormat.printer().usingTypeRegistry(registryFor(java.util.List.of(message))).print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }

    /** Istio's proxy extensions we compile ourselves, outside the naming rule (the istio.stats filter's config). */
    private static final Map<String, Class<? extends Message>> ISTIO_PROXY = Map.of(
            dev.mizzen.api.proxy.stats.PluginConfig.getDescriptor().getFullName(), dev.mizzen.api.proxy.stats.PluginConfig.class);

    @SuppressWarnings("unchecked")
    private static Optional<Class<? extends Message>> load(String fullName) {
        if (ISTIO_PROXY.containsKey(fullName)) {
            return Optional.of(ISTIO_PROXY.get(fullName));
        }
        String javaName;
        if (fullName.startsWith("envoy.")) {
            javaName = "io.envoyproxy." + fullName;
        } else if (fullName.startsWith("xds.")) {
            javaName = "com.github." + fullName;
        } else if (fullName.startsWith("udpa.")) {
            javaName = "com.github.udpa." + fullName;
        } else if (fullName.startsWith("google.protobuf.")) {
            javaName = "com.google.protobuf." + fullName.substring("google.protobuf.".length());
        } else {
            return Optional.empty();
        }
        // nested messages: a.b.Outer.Inner is a.b.Outer$Inner
        String candidate = javaName;
        while (true) {
            try {
                Class<?> c = Class.forName(candidate, false, EnvoyTypes.class.getClassLoader());
                if (Message.class.isAssignableFrom(c) && matches((Class<? extends Message>) c, fullName)) {
                    return Optional.of((Class<? extends Message>) c);
                }
                return Optional.empty();
            } catch (ClassNotFoundException e) {
                int dot = candidate.lastIndexOf('.');
                if (dot < 0) {
                    return Optional.empty();
                }
                candidate = candidate.substring(0, dot) + "$" + candidate.substring(dot + 1);
            }
        }
    }

    private static boolean matches(Class<? extends Message> c, String fullName) {
        try {
            Method getDescriptor = c.getMethod("getDescriptor");
            return ((Descriptor) getDescriptor.invoke(null)).getFullName().equals(fullName);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
