package dev.mizzen.pilot.networking.pgv;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.util.Collection;

/**
 * Checks protobuf messages against the protoc-gen-validate rules declared in their protos (the
 * {@code validate.rules} options that java-control-plane's api jar carries), the way Envoy validates a
 * resource before accepting it: recursively, including the typed configs inside {@code Any} values.
 *
 * <pre>
 * PgvReport report = PgvValidator.forEnvoy().validate(listener);
 * report.assertValid();   // "listener[virtualInbound].filter_chains[0]...stat_prefix: length must be >= 1"
 * </pre>
 * Rules it does not evaluate are listed in {@link PgvReport#uncheckedRules()}, Any types it cannot
 * resolve in {@link PgvReport#unresolvedTypes()}. Stateless and thread-safe.
 */
public final class PgvValidator {
    private final EnvoyTypeRegistry types;

    public PgvValidator(EnvoyTypeRegistry types) {
        this.types = types;
    }

    /** A validator that unpacks every type of java-control-plane's api jar. */
    public static PgvValidator forEnvoy() {
        return new PgvValidator(EnvoyTypeRegistry.envoy());
    }

    /** Validates with a root path from the resource's type and name, e.g. {@code listener[virtualInbound]}. */
    public PgvReport validate(Message message) {
        return validate(rootPath(message), message);
    }

    public PgvReport validate(String rootPath, Message message) {
        Findings findings = new Findings();
        new MessageWalker(types, findings).message(rootPath, message);
        return findings.report();
    }

    /** Every message validated, one report. */
    public PgvReport validateAll(Collection<? extends Message> messages) {
        return messages.stream().map(this::validate).reduce(PgvReport.empty(), PgvReport::merge);
    }

    /** The rules evaluated, as {@code kind.field}: "string.min_len", "uint32.lte", "oneof.required", ... */
    public static java.util.Set<String> checkedRules() {
        return RuleKinds.checked();
    }

    /** {@code cluster_load_assignment[outbound|9080||reviews...]}: the type in snake case, then the name. */
    public static String rootPath(Message message) {
        String type = message.getDescriptorForType().getName();
        String snake = type.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
        for (String nameField : new String[] {"name", "cluster_name"}) {
            FieldDescriptor fd = message.getDescriptorForType().findFieldByName(nameField);
            if (fd != null && fd.getType() == FieldDescriptor.Type.STRING && !fd.isRepeated()) {
                return snake + "[" + message.getField(fd) + "]";
            }
        }
        return snake;
    }
}
