package dev.mizzen.pilot.networking.pgv;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.util.Set;

/** Reflective access to a PGV rules message (UInt32Rules, StringRules, ...), itself a protobuf. */
final class RuleFields {
    private RuleFields() {
    }

    /** Reports every set field of {@code rules} whose name is not in {@code handled} as an unchecked rule. */
    static void reportUnhandled(String kind, Message rules, Set<String> handled, String path, Findings findings) {
        for (FieldDescriptor fd : rules.getAllFields().keySet()) {
            if (!handled.contains(fd.getName())) {
                findings.unchecked(kind + "." + fd.getName(), path);
            }
        }
    }

    /** Whether the rule is set; false too when this rules message has no such field (timestamp has no "in"). */
    static boolean has(Message rules, String field) {
        FieldDescriptor fd = rules.getDescriptorForType().findFieldByName(field);
        return fd != null && fd.isRepeated() ? rules.getRepeatedFieldCount(fd) > 0 : fd != null && rules.hasField(fd);
    }

    static Object get(Message rules, String field) {
        return rules.getField(field(rules, field));
    }

    static java.util.List<?> list(Message rules, String field) {
        return (java.util.List<?>) rules.getField(field(rules, field));
    }

    private static FieldDescriptor field(Message rules, String name) {
        FieldDescriptor fd = rules.getDescriptorForType().findFieldByName(name);
        if (fd == null) {
            throw new IllegalArgumentException(rules.getDescriptorForType().getFullName() + " has no field " + name);
        }
        return fd;
    }
}
