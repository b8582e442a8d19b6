package dev.mizzen.pilot.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One generated xDS resource: its name, its body packed once, and a version that is a hash of the bytes,
 * so an unchanged resource keeps its version across pushes and restarts.
 */
public record XdsResource(String name, Any body, String version) {
    private static final String TYPE_URL_PREFIX = "type.googleapis.com/";

    /**
     * What {@code Any} needs of each generated message class: its full name and default instance, read from its
     * static {@code getDescriptor()} and {@code getDefaultInstance()}. The message's own {@code getDescriptorForType()}
     * (which {@code Any.pack}, {@code Any.is} and {@code Any.unpack} call) would do, but it first readies the class's
     * reflective field accessors: some 10,000 {@code Method} objects (about 1 MB of heap for as long as istiod runs)
     * for the few hundred Envoy types a push packs, which nothing here ever uses. Empty for a class without those
     * methods (a dynamic message).
     */
    private static final ClassValue<Optional<GeneratedType>> TYPES = new ClassValue<>() {
        @Override
        protected Optional<GeneratedType> computeValue(Class<?> type) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                MethodHandle descriptor = lookup.findStatic(type, "getDescriptor",
                        MethodType.methodType(Descriptors.Descriptor.class));
                MethodHandle defaultInstance = lookup.findStatic(type, "getDefaultInstance", MethodType.methodType(type))
                        .asType(MethodType.methodType(Message.class));
                return Optional.of(new GeneratedType(((Descriptors.Descriptor) descriptor.invokeExact()).getFullName(),
                        (Message) defaultInstance.invokeExact()));
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return Optional.empty();
            } catch (Throwable e) {
                throw new IllegalStateException("the descriptor of " + type.getName(), e);
            }
        }
    };

    private record GeneratedType(String fullName, String typeUrl, Message defaultInstance) {
        GeneratedType(String fullName, Message defaultInstance) {
            this(fullName, TYPE_URL_PREFIX + fullName, defaultInstance);
        }
    }

    public static XdsResource of(String name, Message message) {
        Any any = pack(message);
        return new XdsResource(name, any, hash(any.getValue()));
    }

    /** Packs with deterministic serialization: maps in a message must not change the bytes between runs. */
    public static Any pack(Message message) {
        try {
            ByteString.Output out = ByteString.newOutput(message.getSerializedSize());
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            coded.useDeterministicSerialization();
            message.writeTo(coded);
            coded.flush();
            return Any.newBuilder()
                    .setTypeUrl(typeUrl(message))
                    .setValue(out.toByteString())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code type.googleapis.com/} and the message's full name, as {@code Any.pack} writes it. */
    public static String typeUrl(Message message) {
        return TYPES.get(message.getClass()).map(GeneratedType::typeUrl)
                .orElseGet(() -> TYPE_URL_PREFIX + message.getDescriptorForType().getFullName());
    }

    /** {@code any.is(type)}, as protobuf decides it (by the name after the type URL's last '/'), without reflection. */
    public static boolean is(Any any, Class<? extends Message> type) {
        Optional<GeneratedType> generated = TYPES.get(type);
        if (generated.isEmpty()) {
            return any.is(type);
        }
        String url = any.getTypeUrl();
        String name = generated.get().fullName();
        int slash = url.lastIndexOf('/');
        return slash >= 0 && url.length() - slash - 1 == name.length() && url.startsWith(name, slash + 1);
    }

    /** {@code any.unpack(type)}: the same checks and message, without reflection. */
    public static <M extends Message> M unpack(Any any, Class<M> type) throws InvalidProtocolBufferException {
        Optional<GeneratedType> generated = TYPES.get(type);
        if (generated.isEmpty()) {
            return any.unpack(type);
        }
        if (!is(any, type)) {
            throw new InvalidProtocolBufferException("Type of the Any message does not match the given class.");
        }
        return type.cast(generated.get().defaultInstance().getParserForType().parseFrom(any.getValue()));
    }

    static String hash(ByteString bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes.asReadOnlyByteBuffer());
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
