package dev.mizzen.pilot.networking.pgv;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import io.envoyproxy.pgv.validate.Validate.RepeatedRules;

import java.util.HashSet;
import java.util.Set;

/**
 * One walk over a message tree, checking every field's {@code validate.rules}, every oneof's
 * {@code validate.required}, and recursing into set messages, repeated items, map values and the
 * content of {@code Any} and {@code TypedStruct} values, as Envoy does when it loads typed configs.
 * Follows PGV's presence rules: unset messages only answer to "required", an unset oneof member is not
 * checked, proto3 scalars without presence are checked at their default value.
 */
final class MessageWalker {
    private final EnvoyTypeRegistry types;
    private final Findings findings;

    MessageWalker(EnvoyTypeRegistry types, Findings findings) {
        this.types = types;
        this.findings = findings;
    }

    void message(String path, Message m) {
        Descriptor d = m.getDescriptorForType();
        MessageOptions options = d.getOptions();
        if (options.getExtension(Validate.disabled) || options.getExtension(Validate.ignored)) {
            return;
        }
        if (d.getFullName().equals("google.protobuf.Any")) {
            any(path, m);
            return;
        }
        if (d.getFullName().equals("udpa.type.v1.TypedStruct") || d.getFullName().equals("xds.type.v3.TypedStruct")) {
            typedStruct(path, m);
            return;
        }
        for (OneofDescriptor oneof : d.getRealOneofs()) {
            if (oneof.getOptions().getExtension(Validate.required) && !m.hasOneof(oneof)) {
                findings.violation(path + "." + oneof.getName(), "one of " + fieldNames(oneof) + " is required");
            }
        }
        for (FieldDescriptor fd : d.getFields()) {
            field(path + "." + fd.getName(), m, fd);
        }
    }

    private void field(String path, Message m, FieldDescriptor fd) {
        FieldRules rules = fd.getOptions().hasExtension(Validate.rules)
                ? fd.getOptions().getExtension(Validate.rules) : null;
        if (rules != null) {
            RuleFields.reportUnhandled("message", rules.getMessage(), RuleKinds.MESSAGE, path, findings);
        }
        if (fd.isMapField()) {
            map(path, m, fd, rules);
        } else if (fd.isRepeated()) {
            repeated(path, m, fd, rules);
        } else if (!fd.hasPresence() || m.hasField(fd)) {
            value(path, fd, m.getField(fd), rules);
        } else if (fd.getRealContainingOneof() == null && rules != null && requiredWhenUnset(rules)) {
            findings.violation(path, "is required");
        }
    }

    private void value(String path, FieldDescriptor fd, Object value, FieldRules rules) {
        if (rules != null) {
            FieldRuleChecker.check(path, fd, value, rules, findings);
        }
        boolean skip = rules != null && rules.getMessage().getSkip();
        if (value instanceof Message nested && !skip) {
            message(path, nested);
        }
    }

    private void repeated(String path, Message m, FieldDescriptor fd, FieldRules rules) {
        int count = m.getRepeatedFieldCount(fd);
        FieldRules items = null;
        if (rules != null && rules.hasRepeated()) {
            RepeatedRules r = rules.getRepeated();
            RuleFields.reportUnhandled("repeated", r, RuleKinds.REPEATED, path, findings);
            boolean skipRules = r.getIgnoreEmpty() && count == 0;
            if (!skipRules && r.hasMinItems() && count < r.getMinItems()) {
                findings.violation(path, "must have at least " + r.getMinItems() + " item(s)");
            }
            if (!skipRules && r.hasMaxItems() && count > r.getMaxItems()) {
                findings.violation(path, "must have at most " + r.getMaxItems() + " item(s)");
            }
            if (r.getUnique()) {
                Set<Object> seen = new HashSet<>();
                for (int i = 0; i < count; i++) {
                    if (!seen.add(m.getRepeatedField(fd, i))) {
                        findings.violation(path + "[" + i + "]", "items must be unique");
                    }
                }
            }
            items = r.hasItems() ? r.getItems() : null;
        } else if (rules != null && rules.getTypeCase() != FieldRules.TypeCase.TYPE_NOT_SET) {
            findings.unchecked(rules.getTypeCase().name().toLowerCase() + " rules on a repeated field", path);
        }
        for (int i = 0; i < count; i++) {
            value(path + "[" + i + "]", fd, m.getRepeatedField(fd, i), items);
        }
    }

    /** no_sparse has nothing to find in Java: a map value can never be an unset message. */
    private void map(String path, Message m, FieldDescriptor fd, FieldRules rules) {
        int count = m.getRepeatedFieldCount(fd);
        FieldDescriptor keyField = fd.getMessageType().findFieldByName("key");
        FieldDescriptor valueField = fd.getMessageType().findFieldByName("value");
        FieldRules keys = null;
        FieldRules values = null;
        if (rules != null && rules.hasMap()) {
            Validate.MapRules r = rules.getMap();
            RuleFields.reportUnhandled("map", r, RuleKinds.MAP, path, findings);
            boolean skipRules = r.getIgnoreEmpty() && count == 0;
            if (!skipRules && r.hasMinPairs() && count < r.getMinPairs()) {
                findings.violation(path, "must have at least " + r.getMinPairs() + " pair(s)");
            }
            if (!skipRules && r.hasMaxPairs() && count > r.getMaxPairs()) {
                findings.violation(path, "must have at most " + r.getMaxPairs() + " pair(s)");
            }
            keys = r.hasKeys() ? r.getKeys() : null;
            values = r.hasValues() ? r.getValues() : null;
        } else if (rules != null && rules.getTypeCase() != FieldRules.TypeCase.TYPE_NOT_SET) {
            findings.unchecked(rules.getTypeCase().name().toLowerCase() + " rules on a map field", path);
        }
        for (int i = 0; i < count; i++) {
            Message entry = (Message) m.getRepeatedField(fd, i);
            Object key = entry.getField(keyField);
            if (keys != null) {
                FieldRuleChecker.check(path + "[" + key + "] (key)", keyField, key, keys, findings);
            }
            value(path + "[" + key + "]", valueField, entry.getField(valueField), values);
        }
    }

    private void any(String path, Message any) {
        Descriptor d = any.getDescriptorForType();
        String typeUrl = (String) any.getField(d.findFieldByName("type_url"));
        ByteString bytes = (ByteString) any.getField(d.findFieldByName("value"));
        if (typeUrl.isEmpty()) {
            return;
        }
        types.find(typeUrl).ifPresentOrElse(type -> {
            try {
                message(path, DynamicMessage.parseFrom(type, bytes));
            } catch (InvalidProtocolBufferException e) {
                findings.violation(path, "does not unpack as " + typeUrl + ": " + e.getMessage());
            }
        }, () -> findings.unresolvedType(typeUrl));
    }

    /** Envoy converts a TypedStruct's JSON to its type_url's message and validates that. */
    private void typedStruct(String path, Message typedStruct) {
        Descriptor d = typedStruct.getDescriptorForType();
        String typeUrl = (String) typedStruct.getField(d.findFieldByName("type_url"));
        Message struct = (Message) typedStruct.getField(d.findFieldByName("value"));
        types.find(typeUrl).ifPresentOrElse(type -> {
            DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
            try {
                JsonFormat.parser().merge(JsonFormat.printer().print(struct), builder);
                message(path, builder.build());
            } catch (InvalidProtocolBufferException e) {
                findings.violation(path, "TypedStruct value does not convert to " + typeUrl + ": " + e.getMessage());
            }
        }, () -> findings.unresolvedType(typeUrl));
    }

    private static boolean requiredWhenUnset(FieldRules rules) {
        return rules.getMessage().getRequired()
                || rules.hasDuration() && rules.getDuration().getRequired()
                || rules.hasTimestamp() && rules.getTimestamp().getRequired()
                || rules.hasAny() && rules.getAny().getRequired();
    }

    private static String fieldNames(OneofDescriptor oneof) {
        return oneof.getFields().stream().map(FieldDescriptor::getName).toList().toString();
    }
}
