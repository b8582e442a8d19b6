package dev.mizzen.pilot.xds.debug;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.wasm.v3.EnvironmentVariables;
import udpa.annotations.Sensitive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes the secrets out of config before anyone sees it: every field Envoy's protos mark sensitive (private keys
 * and their passwords, PKCS#12 bundles, generic secrets, session ticket keys) becomes {@code [redacted]}, and a Wasm
 * module's pull secret {@code <Redacted>}, as Istio's config dump writes them, wherever they sit, also inside packed
 * {@code typed_config}. A packed type we cannot read is left as is, and the JSON printer refuses it, so it is never
 * shown. Pure: returns a redacted copy, never touches the shared original.
 */
public final class Redaction {
    /** What Istio puts in place of a private key ({@code pilot/pkg/xds/debug.go}). */
    public static final ByteString REDACTED = ByteString.copyFromUtf8("[redacted]");
    /** A WasmPlugin's image pull secret in its VM environment, which Istio's dump writes as {@code <Redacted>}. */
    private static final String WASM_PULL_SECRET = "ISTIO_META_WASM_IMAGE_PULL_SECRET";
    private static final DataSource REDACTED_SOURCE = DataSource.newBuilder().setInlineBytes(REDACTED).build();

    private Redaction() {
    }

    @SuppressWarnings("unchecked")
    public static <M extends Message> M redact(M message) {
        return (M) walk(message);
    }

    public static Any redact(Any any) {
        return (Any) walk(any);
    }

    private static Message walk(Message message) {
        if (message instanceof Any any) {
            Optional<Message> inner = EnvoyTypes.unpack(any);
            if (inner.isEmpty()) {
                return any;
            }
            Message redacted = walk(inner.get());
            return redacted == inner.get() ? any
                    : Any.newBuilder().setTypeUrl(any.getTypeUrl()).setValue(redacted.toByteString()).build();
        }
        Message.Builder builder = null;
        if (message instanceof EnvironmentVariables env && env.containsKeyValues(WASM_PULL_SECRET)) {
            return env.toBuilder().putKeyValues(WASM_PULL_SECRET, "<Redacted>").build();
        }
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            FieldDescriptor fd = field.getKey();
            if (sensitive(fd)) {
                builder = builder == null ? message.toBuilder() : builder;
                redactField(builder, fd);
                continue;
            }
            if (fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (fd.isRepeated()) {
                List<?> values = (List<?>) field.getValue();
                List<Message> out = new ArrayList<>(values.size());
                boolean changed = false;
                for (Object v : values) {
                    Message r = walk((Message) v);
                    changed |= r != v;
                    out.add(r);
                }
                if (changed) {
                    builder = builder == null ? message.toBuilder() : builder;
                    builder.clearField(fd);
                    for (Message r : out) {
                        builder.addRepeatedField(fd, r);
                    }
                }
            } else {
                Message v = (Message) field.getValue();
                Message r = walk(v);
                if (r != v) {
                    builder = builder == null ? message.toBuilder() : builder;
                    builder.setField(fd, r);
                }
            }
        }
        return builder == null ? message : builder.build();
    }

    /**
     * Envoy's own rule for its admin config dump: a field marked {@code (udpa.annotations.sensitive)} is a secret
     * (TlsCertificate's private_key, password and pkcs12, GenericSecret's secret, session ticket keys, ...), so a
     * new secret field is covered the day Envoy's protos mark it.
     */
    private static boolean sensitive(FieldDescriptor fd) {
        return fd.getOptions().getExtension(Sensitive.sensitive);
    }

    private static void redactField(Message.Builder builder, FieldDescriptor fd) {
        builder.clearField(fd);
        Object value = switch (fd.getJavaType()) {
            case MESSAGE -> fd.getMessageType().equals(DataSource.getDescriptor()) ? REDACTED_SOURCE : null;
            case STRING -> REDACTED.toStringUtf8();
            case BYTE_STRING -> REDACTED;
            default -> null;
        };
        if (value == null) {
            // a secret of a shape with no room for the marker: left out entirely
            return;
        }
        if (fd.isRepeated()) {
            builder.addRepeatedField(fd, value);
        } else {
            builder.setField(fd, value);
        }
    }
}
