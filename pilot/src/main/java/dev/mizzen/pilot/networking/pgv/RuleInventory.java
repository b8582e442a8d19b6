package dev.mizzen.pilot.networking.pgv;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The PGV rule kinds ({@code kind.field}) declared anywhere in a registry's protos. */
final class RuleInventory {
    private final Set<String> kinds = new TreeSet<>();
    private final Set<String> seen = new HashSet<>();

    private RuleInventory() {
    }

    static Set<String> declaredBy(EnvoyTypeRegistry registry) {
        RuleInventory inventory = new RuleInventory();
        registry.files().forEach(file -> file.getMessageTypes().forEach(inventory::message));
        return inventory.kinds;
    }

    private void message(Descriptor d) {
        if (!seen.add(d.getFullName())) {
            return;
        }
        if (d.getOptions().getExtension(Validate.disabled)) {
            kinds.add("message.disabled");
        }
        if (d.getOptions().getExtension(Validate.ignored)) {
            kinds.add("message.ignored");
        }
        for (OneofDescriptor oneof : d.getRealOneofs()) {
            if (oneof.getOptions().getExtension(Validate.required)) {
                kinds.add("oneof.required");
            }
        }
        for (FieldDescriptor fd : d.getFields()) {
            if (fd.getOptions().hasExtension(Validate.rules)) {
                rules(fd.getOptions().getExtension(Validate.rules));
            }
        }
        d.getNestedTypes().forEach(this::message);
    }

    private void rules(FieldRules rules) {
        rules.getMessage().getAllFields().keySet().forEach(f -> kinds.add("message." + f.getName()));
        if (rules.getTypeCase() == FieldRules.TypeCase.TYPE_NOT_SET) {
            return;
        }
        String kind = rules.getTypeCase().name().toLowerCase(Locale.ROOT);
        Message typed = (Message) rules.getField(FieldRules.getDescriptor()
                .findFieldByNumber(rules.getTypeCase().getNumber()));
        typed.getAllFields().forEach((field, value) -> {
            kinds.add(kind + "." + field.getName());
            if (value instanceof FieldRules nested) {
                rules(nested);
            }
        });
    }
}
