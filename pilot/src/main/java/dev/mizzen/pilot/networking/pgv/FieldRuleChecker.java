package dev.mizzen.pilot.networking.pgv;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.envoyproxy.pgv.validate.Validate.AnyRules;
import io.envoyproxy.pgv.validate.Validate.EnumRules;
import io.envoyproxy.pgv.validate.Validate.FieldRules;

import java.util.Locale;
import java.util.Set;

/**
 * Applies the typed part of a field's {@code FieldRules} (the {@code type} oneof) to one value: a singular
 * field's value, one item of a repeated field, or one key or value of a map. Wrapper types
 * (google.protobuf.UInt32Value, ...) get the scalar rules applied to their {@code value}.
 */
final class FieldRuleChecker {
    private static final Set<String> WRAPPERS = Set.of("DoubleValue", "FloatValue", "Int64Value", "UInt64Value",
            "Int32Value", "UInt32Value", "BoolValue", "StringValue", "BytesValue");

    private FieldRuleChecker() {
    }

    static void check(String path, FieldDescriptor fd, Object value, FieldRules rules, Findings f) {
        FieldRules.TypeCase kind = rules.getTypeCase();
        String kindName = kind.name().toLowerCase(Locale.ROOT);
        switch (kind) {
            case TYPE_NOT_SET -> { }
            case REPEATED, MAP -> f.unchecked(kindName + " rules on a non-" + kindName + " field", path);
            case DURATION -> {
                if (value instanceof Message m && isType(m, "google.protobuf.Duration")) {
                    OrderedRuleChecker.duration(rules.getDuration(), asDuration(m), path, f);
                } else {
                    f.unchecked("duration rules on " + typeName(fd), path);
                }
            }
            case TIMESTAMP -> {
                if (value instanceof Message m && isType(m, "google.protobuf.Timestamp")) {
                    OrderedRuleChecker.timestamp(rules.getTimestamp(), asTimestamp(m), path, f);
                } else {
                    f.unchecked("timestamp rules on " + typeName(fd), path);
                }
            }
            case ANY -> any(rules.getAny(), fd, value, path, f);
            default -> scalar(kind, kindName, rules, fd, value, path, f);
        }
    }

    private static void scalar(FieldRules.TypeCase kind, String kindName, FieldRules rules, FieldDescriptor fd,
                               Object value, String path, Findings f) {
        FieldDescriptor.Type type = fd.getType();
        Object v = value;
        if (value instanceof Message m && WRAPPERS.contains(m.getDescriptorForType().getName())
                && m.getDescriptorForType().getFile().getPackage().equals("google.protobuf")) {
            FieldDescriptor inner = m.getDescriptorForType().findFieldByName("value");
            type = inner.getType();
            v = m.getField(inner);
        }
        if (!type.name().toLowerCase(Locale.ROOT).equals(kindName)) {
            f.unchecked(kindName + " rules on " + typeName(fd), path);
            return;
        }
        Message typed = (Message) rules.getField(FieldRules.getDescriptor().findFieldByNumber(kind.getNumber()));
        switch (kind) {
            case STRING -> StringRuleChecker.string(rules.getString(), (String) v, path, f);
            case BYTES -> StringRuleChecker.bytes(rules.getBytes(), (ByteString) v, path, f);
            case BOOL -> {
                RuleFields.reportUnhandled("bool", typed, RuleKinds.BOOL, path, f);
                if (rules.getBool().hasConst() && rules.getBool().getConst() != (Boolean) v) {
                    f.violation(path, "must equal " + rules.getBool().getConst());
                }
            }
            case ENUM -> enumeration(rules.getEnum(), fd, (EnumValueDescriptor) v, path, f);
            default -> OrderedRuleChecker.number(kindName, typed, v, path, f);
        }
    }

    private static void enumeration(EnumRules r, FieldDescriptor fd, EnumValueDescriptor v, String path,
                                    Findings f) {
        RuleFields.reportUnhandled("enum", r, RuleKinds.ENUM, path, f);
        int n = v.getNumber();
        if (r.hasConst() && n != r.getConst()) {
            f.violation(path, "must equal " + r.getConst());
        }
        if (r.getDefinedOnly() && fd.getEnumType().findValueByNumber(n) == null) {
            f.violation(path, "value " + n + " is not a defined " + fd.getEnumType().getName());
        }
        if (r.getInCount() > 0 && !r.getInList().contains(n)) {
            f.violation(path, "must be in " + r.getInList());
        }
        if (r.getNotInList().contains(n)) {
            f.violation(path, "must not be in " + r.getNotInList());
        }
    }

    /** {@code required} is checked by the walker on unset fields; in/not_in need an Any. */
    private static void any(AnyRules r, FieldDescriptor fd, Object value, String path, Findings f) {
        RuleFields.reportUnhandled("any", r, RuleKinds.ANY, path, f);
        if (r.getInCount() == 0 && r.getNotInCount() == 0) {
            return;
        }
        if (!(value instanceof Message m && isType(m, "google.protobuf.Any"))) {
            f.unchecked("any.in/not_in rules on " + typeName(fd), path);
            return;
        }
        String typeUrl = (String) m.getField(m.getDescriptorForType().findFieldByName("type_url"));
        if (r.getInCount() > 0 && !r.getInList().contains(typeUrl)) {
            f.violation(path, "type URL " + typeUrl + " must be in " + r.getInList());
        }
        if (r.getNotInList().contains(typeUrl)) {
            f.violation(path, "type URL " + typeUrl + " must not be in " + r.getNotInList());
        }
    }

    static boolean isType(Message m, String fullName) {
        return m.getDescriptorForType().getFullName().equals(fullName);
    }

    private static Duration asDuration(Message m) {
        try {
            return m instanceof Duration d ? d : Duration.parseFrom(m.toByteString());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Timestamp asTimestamp(Message m) {
        try {
            return m instanceof Timestamp t ? t : Timestamp.parseFrom(m.toByteString());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String typeName(FieldDescriptor fd) {
        return fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? fd.getMessageType().getFullName()
                : fd.getType().name().toLowerCase(Locale.ROOT) + " field";
    }
}
