package dev.mizzen.pilot.networking.envoyfilter;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.mizzen.api.envoy.EnvoyTypes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Proto merge as Istio's EnvoyFilter applies it (pkg/proto/merge): set fields of the source overwrite scalars,
 * messages merge field by field, lists append (or are replaced, for {@code MERGE_AND_REPLACE_LIST}), map entries
 * are replaced by key, a different member of a one-of replaces the other; and a {@code google.protobuf.Duration}
 * is replaced whole rather than merged (Istio's workaround for golang/protobuf#1359, so {@code 5s} over
 * {@code 1.5s} is 5 s, not 5.5 s). Pure functions over immutable messages.
 */
public final class ProtoMerge {
    /** What a list field of the source does to the destination's. */
    public enum Lists { APPEND, REPLACE }

    private static final String DURATION = "google.protobuf.Duration";

    private ProtoMerge() {
    }

    /** {@code dst} with {@code src} merged in; both of one type. */
    @SuppressWarnings("unchecked")
    public static <M extends Message> M merge(M dst, Message src, Lists lists) {
        if (!dst.getDescriptorForType().getFullName().equals(src.getDescriptorForType().getFullName())) {
            throw new IllegalArgumentException("descriptor mismatch: " + dst.getDescriptorForType().getFullName()
                    + " != " + src.getDescriptorForType().getFullName());
        }
        Message.Builder builder = dst.toBuilder();
        mergeInto(builder, src, lists);
        return (M) builder.build();
    }

    private static void mergeInto(Message.Builder dst, Message src, Lists lists) {
        for (Map.Entry<FieldDescriptor, Object> field : src.getAllFields().entrySet()) {
            FieldDescriptor fd = field.getKey();
            Object value = field.getValue();
            if (fd.isMapField()) {
                mergeMap(dst, fd, (List<?>) value);
            } else if (fd.isRepeated()) {
                if (lists == Lists.REPLACE) {
                    dst.clearField(fd);
                }
                for (Object element : (List<?>) value) {
                    dst.addRepeatedField(fd, element);
                }
            } else if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                Message srcValue = (Message) value;
                if (dst.hasField(fd) && !fd.getMessageType().getFullName().equals(DURATION)) {
                    Message.Builder nested = ((Message) dst.getField(fd)).toBuilder();
                    mergeInto(nested, srcValue, lists);
                    dst.setField(fd, nested.build());
                } else {
                    dst.setField(fd, srcValue);
                }
            } else {
                dst.setField(fd, value);
            }
        }
    }

    /** Map entries are repeated key/value messages in Java's reflection: replace by key, keep the order. */
    private static void mergeMap(Message.Builder dst, FieldDescriptor fd, List<?> srcEntries) {
        FieldDescriptor key = fd.getMessageType().findFieldByName("key");
        Map<Object, Object> merged = new LinkedHashMap<>();
        for (int i = 0; i < dst.getRepeatedFieldCount(fd); i++) {
            Message entry = (Message) dst.getRepeatedField(fd, i);
            merged.put(entry.getField(key), entry);
        }
        for (Object entry : srcEntries) {
            merged.put(((Message) entry).getField(key), entry);
        }
        dst.clearField(fd);
        for (Object entry : new ArrayList<>(merged.values())) {
            dst.addRepeatedField(fd, entry);
        }
    }

    /**
     * Istio's {@code MergeAnyWithAny}: both unpacked as the destination's type, merged, packed again. Empty when
     * the type is unknown or a value does not parse: the caller keeps the destination, as Istio does.
     */
    public static Optional<Any> mergeAny(Any dst, Any src) {
        Optional<Descriptor> type = EnvoyTypes.find(dst.getTypeUrl());
        if (type.isEmpty()) {
            return Optional.empty();
        }
        try {
            DynamicMessage to = DynamicMessage.parseFrom(type.get(), dst.getValue());
            DynamicMessage from = DynamicMessage.parseFrom(type.get(), src.getValue());
            DynamicMessage merged = merge(to, from, Lists.APPEND);
            return Optional.of(Any.newBuilder().setTypeUrl(dst.getTypeUrl()).setValue(merged.toByteString()).build());
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }
}
