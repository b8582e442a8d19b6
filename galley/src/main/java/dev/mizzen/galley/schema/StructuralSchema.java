package dev.mizzen.galley.schema;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a CRD's structural {@code openAPIV3Schema}, read once from the CRD and then only read. Holds
 * what the apiserver validates: types, properties, items, maps, required fields, enums, bounds, patterns,
 * formats, one-of/any-of/all-of/not, list types, the Kubernetes extensions and the CEL rules.
 *
 * <p>Compared by identity (CEL rules are compiled per node): equals is Object's.
 *
 * @param type                 {@code object}, {@code array}, {@code string}, {@code integer}, {@code number},
 *                             {@code boolean}, or null (anything: only where unknown fields are preserved)
 * @param properties           an object's fields, in the CRD's order
 * @param additionalProperties a map's value schema, or null
 * @param items                a list's item schema, or null
 * @param required             fields that must be present
 * @param traits               nullable, int-or-string, preserve-unknown-fields, list type
 * @param limits               enum, bounds, lengths, counts, pattern, format
 * @param junctions            oneOf, anyOf, allOf, not
 * @param rules                {@code x-kubernetes-validations}
 */
public record StructuralSchema(String type, Map<String, StructuralSchema> properties,
                               StructuralSchema additionalProperties, StructuralSchema items, List<String> required,
                               Traits traits, Limits limits, Junctions junctions, List<CelRule> rules) {

    /** The Kubernetes extensions and nullability. */
    public record Traits(boolean nullable, boolean intOrString, boolean preserveUnknownFields, String listType,
                         List<String> listMapKeys) {
    }

    /** Value limits; null where the schema sets none. */
    public record Limits(List<Object> enumValues, BigDecimal minimum, boolean exclusiveMinimum, BigDecimal maximum,
                         boolean exclusiveMaximum, Long minLength, Long maxLength, Long minItems, Long maxItems,
                         Long minProperties, Long maxProperties, Pattern pattern, String format) {
    }

    /** Schemas the value must also match: all of, any of, exactly one of, none of. */
    public record Junctions(List<StructuralSchema> allOf, List<StructuralSchema> anyOf, List<StructuralSchema> oneOf,
                            StructuralSchema not) {
        boolean isEmpty() {
            return allOf.isEmpty() && anyOf.isEmpty() && oneOf.isEmpty() && not == null;
        }
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "StructuralSchema[" + (type == null ? "any" : type) + ", " + properties.keySet() + "]";
    }

    /** Reads a schema node as the CRD holds it (plain values, as {@code ManifestReader} yields them). */
    public static StructuralSchema parse(Map<?, ?> node) {
        Map<String, StructuralSchema> properties = new LinkedHashMap<>();
        if (node.get("properties") instanceof Map<?, ?> props) {
            props.forEach((name, schema) -> properties.put(String.valueOf(name), parse((Map<?, ?>) schema)));
        }
        StructuralSchema additional = node.get("additionalProperties") instanceof Map<?, ?> m ? parse(m) : null;
        StructuralSchema items = node.get("items") instanceof Map<?, ?> m ? parse(m) : null;
        Traits traits = new Traits(flag(node, "nullable"), flag(node, "x-kubernetes-int-or-string"),
                flag(node, "x-kubernetes-preserve-unknown-fields"), text(node, "x-kubernetes-list-type"),
                strings(node.get("x-kubernetes-list-map-keys")));
        Limits limits = new Limits(
                node.get("enum") instanceof List<?> l ? List.copyOf(l) : null,
                decimal(node.get("minimum")), flag(node, "exclusiveMinimum"),
                decimal(node.get("maximum")), flag(node, "exclusiveMaximum"),
                count(node, "minLength"), count(node, "maxLength"), count(node, "minItems"), count(node, "maxItems"),
                count(node, "minProperties"), count(node, "maxProperties"),
                pattern(text(node, "pattern")), text(node, "format"));
        Junctions junctions = new Junctions(schemas(node.get("allOf")), schemas(node.get("anyOf")),
                schemas(node.get("oneOf")), node.get("not") instanceof Map<?, ?> m ? parse(m) : null);
        List<CelRule> rules = new ArrayList<>();
        if (node.get("x-kubernetes-validations") instanceof List<?> list) {
            for (Object rule : list) {
                Map<?, ?> r = (Map<?, ?>) rule;
                rules.add(new CelRule(text(r, "rule"), text(r, "message"), text(r, "fieldPath")));
            }
        }
        return new StructuralSchema(text(node, "type"), properties, additional, items, strings(node.get("required")),
                traits, limits, junctions, List.copyOf(rules));
    }

    private static List<StructuralSchema> schemas(Object value) {
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        List<StructuralSchema> out = new ArrayList<>();
        for (Object item : list) {
            out.add(parse((Map<?, ?>) item));
        }
        return List.copyOf(out);
    }

    private static boolean flag(Map<?, ?> node, String key) {
        return Boolean.TRUE.equals(node.get(key));
    }

    private static String text(Map<?, ?> node, String key) {
        return node.get(key) instanceof String s ? s : null;
    }

    private static List<String> strings(Object value) {
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(String::valueOf).toList();
    }

    private static Long count(Map<?, ?> node, String key) {
        return node.get(key) instanceof Number n ? n.longValue() : null;
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof Number n ? new BigDecimal(n.toString()) : null;
    }

    private static Pattern pattern(String regex) {
        if (regex == null) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("CRD pattern is not RE2: " + regex, e);
        }
    }
}
