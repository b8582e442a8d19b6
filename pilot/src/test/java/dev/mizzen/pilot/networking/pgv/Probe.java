package dev.mizzen.pilot.networking.pgv;

import com.google.protobuf.AnyProto;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;

import java.util.List;
import java.util.Map;

/**
 * Synthetic one-field messages ({@code message Probe { <type> f = 1 [(validate.rules) = ...]; }}) built at
 * run time, to exercise rule kinds that Envoy's protos do not happen to use on an easy field.
 */
final class Probe {
    private static final FileDescriptor[] DEPENDENCIES = {DurationProto.getDescriptor(),
            TimestampProto.getDescriptor(), AnyProto.getDescriptor(), WrappersProto.getDescriptor()};

    private Probe() {
    }

    /** A scalar field of {@code type}; {@code value} a Java value of that type. */
    static Message scalar(Type type, FieldRules rules, Object value) {
        Descriptor d = descriptor(field(type, null, Label.LABEL_OPTIONAL, rules), null);
        return DynamicMessage.newBuilder(d).setField(d.findFieldByName("f"), value).build();
    }

    /** A field of a well-known message type (".google.protobuf.Duration", ...); {@code null} leaves it unset. */
    static Message message(String typeName, FieldRules rules, Message value) {
        Descriptor d = descriptor(field(Type.TYPE_MESSAGE, typeName, Label.LABEL_OPTIONAL, rules), null);
        DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
        return value == null ? b.build() : b.setField(d.findFieldByName("f"), value).build();
    }

    /** An enum field of {@code enum Color { RED = 0; GREEN = 1; BLUE = 2; }}, set to any number. */
    static Message enumeration(FieldRules rules, int number) {
        Descriptor d = descriptor(field(Type.TYPE_ENUM, ".probe.Color", Label.LABEL_OPTIONAL, rules), null);
        FieldDescriptor f = d.findFieldByName("f");
        return DynamicMessage.newBuilder(d)
                .setField(f, f.getEnumType().findValueByNumberCreatingIfUnknown(number)).build();
    }

    static Message repeated(Type type, FieldRules rules, List<?> values) {
        Descriptor d = descriptor(field(type, null, Label.LABEL_REPEATED, rules), null);
        return DynamicMessage.newBuilder(d).setField(d.findFieldByName("f"), values).build();
    }

    /** {@code map<string, <valueType>> f}. */
    static Message map(Type valueType, FieldRules rules, Map<String, ?> entries) {
        Descriptor d = descriptor(
                field(Type.TYPE_MESSAGE, ".probe.Probe.FEntry", Label.LABEL_REPEATED, rules), valueType);
        FieldDescriptor f = d.findFieldByName("f");
        Descriptor entry = f.getMessageType();
        DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
        entries.forEach((k, v) -> b.addRepeatedField(f, DynamicMessage.newBuilder(entry)
                .setField(entry.findFieldByName("key"), k).setField(entry.findFieldByName("value"), v).build()));
        return b.build();
    }

    /** {@code oneof choice { option (validate.required) = true; string a = 1; string b = 2; }}, none set. */
    static Message requiredOneofUnset() {
        DescriptorProto probe = DescriptorProto.newBuilder().setName("Probe")
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("choice")
                        .setOptions(OneofOptions.newBuilder().setExtension(Validate.required, true)))
                .addField(FieldDescriptorProto.newBuilder().setName("a").setNumber(1).setType(Type.TYPE_STRING)
                        .setOneofIndex(0))
                .addField(FieldDescriptorProto.newBuilder().setName("b").setNumber(2).setType(Type.TYPE_STRING)
                        .setOneofIndex(0))
                .build();
        return DynamicMessage.newBuilder(build(probe)).build();
    }

    private static FieldDescriptorProto field(Type type, String typeName, Label label, FieldRules rules) {
        FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName("f").setNumber(1)
                .setType(type).setLabel(label)
                .setOptions(FieldOptions.newBuilder().setExtension(Validate.rules, rules));
        return typeName == null ? f.build() : f.setTypeName(typeName).build();
    }

    /** {@code mapValueType} null: no map entry type. */
    private static Descriptor descriptor(FieldDescriptorProto field, Type mapValueType) {
        DescriptorProto.Builder probe = DescriptorProto.newBuilder().setName("Probe").addField(field);
        if (mapValueType != null) {
            probe.addNestedType(DescriptorProto.newBuilder().setName("FEntry")
                    .setOptions(MessageOptions.newBuilder().setMapEntry(true))
                    .addField(FieldDescriptorProto.newBuilder().setName("key").setNumber(1).setType(Type.TYPE_STRING))
                    .addField(FieldDescriptorProto.newBuilder().setName("value").setNumber(2).setType(mapValueType)));
        }
        return build(probe.build());
    }

    private static Descriptor build(DescriptorProto probe) {
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("probe.proto").setPackage("probe")
                .setSyntax("proto3").addMessageType(probe)
                .addEnumType(EnumDescriptorProto.newBuilder().setName("Color")
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("RED").setNumber(0))
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("GREEN").setNumber(1))
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("BLUE").setNumber(2)))
                .addDependency("google/protobuf/duration.proto").addDependency("google/protobuf/timestamp.proto")
                .addDependency("google/protobuf/any.proto").addDependency("google/protobuf/wrappers.proto")
                .build();
        try {
            return FileDescriptor.buildFrom(file, DEPENDENCIES).findMessageTypeByName("Probe");
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
    }
}
