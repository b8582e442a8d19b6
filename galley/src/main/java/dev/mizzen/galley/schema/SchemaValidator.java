package dev.mizzen.galley.schema;

import dev.mizzen.galley.validation.Finding;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks an object against its CRD's structural schema and CEL rules, as the apiserver does before any
 * webhook sees the object: unknown fields (with the field the author probably meant), types, enums, required
 * fields, bounds, lengths, patterns, formats, list types, one-of groups, then the {@code x-kubernetes-validations}
 * of each node whose subtree is well typed (a rule sees only values of its schema's types). Every finding is
 * reported, with its path in Istio's form ({@code spec.http[0].route[0].weigth}).
 *
 * <p>Stateless apart from one call's findings; {@link #validate} is a pure function of its arguments.
 */
public final class SchemaValidator {
    /** What an object has beside its schema's properties. */
    private static final List<String> OBJECT_FIELDS = List.of("apiVersion", "kind", "metadata");

    private final KindSchema kind;
    private final List<Finding> out;
    private final List<String> mistyped;
    private final boolean probe;

    private SchemaValidator(KindSchema kind, List<Finding> out, List<String> mistyped, boolean probe) {
        this.kind = kind;
        this.out = out;
        this.mistyped = mistyped;
        this.probe = probe;
    }

    /**
     * What the schema stage found.
     *
     * @param findings every schema and rule finding
     * @param mistyped paths of values of the wrong type (or null where none may be): nothing under them can be
     *                 read as the schema describes, so later stages have nothing to add there
     */
    public record Report(List<Finding> findings, List<String> mistyped) {
        public Report {
            findings = List.copyOf(findings);
            mistyped = List.copyOf(mistyped);
        }
    }

    /** Every schema and rule finding for {@code object} (a whole object: apiVersion, kind, metadata, spec). */
    public static Report validate(KindSchema kind, Map<String, Object> object) {
        List<Finding> out = new ArrayList<>();
        List<String> mistyped = new ArrayList<>();
        out.addAll(ObjectMetaRules.validate(object.get("metadata")));
        Map<String, Object> body = new LinkedHashMap<>(object);
        OBJECT_FIELDS.forEach(body::remove);
        List<String> known = new ArrayList<>(OBJECT_FIELDS);
        known.addAll(kind.root().properties().keySet());
        for (String field : List.copyOf(body.keySet())) {
            if (!kind.root().properties().containsKey(field)) {
                out.add(unknownField(field, field, known));
                body.remove(field);
            }
        }
        new SchemaValidator(kind, out, mistyped, false).check(body, kind.root(), "");
        return new Report(out, mistyped);
    }

    /** Checks {@code value} at {@code path}; true when neither it nor anything under it has an error. */
    private boolean check(Object value, StructuralSchema schema, String path) {
        int before = out.size();
        if (value == null) {
            if (!schema.traits().nullable() && schema.type() != null) {
                error(path, "must be of type " + schema.type() + ", not null");
                mistyped.add(path);
            }
            return out.size() == before;
        }
        if (value instanceof BigInteger big && big.bitLength() >= 64) {
            error(path, "number " + big + " is out of range: integers have at most 64 bits");
            mistyped.add(path);
            return false;
        }
        if (!typeMatches(value, schema)) {
            error(path, "must be of type " + expected(schema) + ", not " + describe(value));
            mistyped.add(path);
            return false;
        }
        checkLimits(value, schema, path);
        if (value instanceof Map<?, ?> map) {
            checkObject(map, schema, path);
        } else if (value instanceof List<?> list) {
            checkList(list, schema, path);
        }
        checkJunctions(value, schema, path);
        if (!probe && out.size() == before) {
            checkRules(value, schema, path);
        }
        return out.size() == before;
    }

    private void checkObject(Map<?, ?> map, StructuralSchema schema, String path) {
        for (String field : schema.required()) {
            if (!map.containsKey(field)) {
                error(join(path, field), "required field is missing");
            }
        }
        Long min = schema.limits().minProperties();
        Long max = schema.limits().maxProperties();
        if (min != null && map.size() < min) {
            error(path, "must have at least " + min + (min == 1 ? " entry" : " entries"));
        }
        if (max != null && map.size() > max) {
            error(path, "must have at most " + max + (max == 1 ? " entry" : " entries"));
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String field = String.valueOf(entry.getKey());
            StructuralSchema child = schema.properties().get(field);
            if (child != null) {
                check(entry.getValue(), child, join(path, field));
            } else if (schema.additionalProperties() != null) {
                check(entry.getValue(), schema.additionalProperties(), path + "[" + field + "]");
            } else if (!schema.traits().preserveUnknownFields() && !probe && schema.type() != null) {
                out.add(unknownField(join(path, field), field, schema.properties().keySet()));
            }
        }
    }

    private void checkList(List<?> list, StructuralSchema schema, String path) {
        Long min = schema.limits().minItems();
        Long max = schema.limits().maxItems();
        if (min != null && list.size() < min) {
            error(path, "must have at least " + min + (min == 1 ? " item" : " items"));
        }
        if (max != null && list.size() > max) {
            error(path, "must have at most " + max + (max == 1 ? " item" : " items"));
        }
        for (int i = 0; i < list.size(); i++) {
            if (schema.items() != null) {
                check(list.get(i), schema.items(), path + "[" + i + "]");
            }
        }
        String listType = schema.traits().listType();
        if ("set".equals(listType) || "map".equals(listType)) {
            Map<Object, Integer> seen = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                Object key = "set".equals(listType) ? normalize(list.get(i)) : mapKey(list.get(i), schema);
                Integer first = seen.putIfAbsent(key, i);
                if (first != null) {
                    error(path + "[" + i + "]", "duplicate " + ("set".equals(listType) ? "value " + render(list.get(i))
                            : "entry with " + describeKey(list.get(i), schema)) + " (first at " + path + "[" + first + "])");
                }
            }
        }
    }

    private void checkLimits(Object value, StructuralSchema schema, String path) {
        StructuralSchema.Limits limits = schema.limits();
        if (limits.enumValues() != null && limits.enumValues().stream().noneMatch(e -> normalize(e).equals(normalize(value)))) {
            String supported = limits.enumValues().stream().map(SchemaValidator::render).collect(Collectors.joining(", "));
            Optional<String> guess = value instanceof String s ? Suggestions.closest(s, limits.enumValues().stream()
                    .map(String::valueOf).toList()) : Optional.empty();
            error(path, "unsupported value " + render(value) + "; supported values: " + supported
                    + guess.map(g -> "; did you mean \"" + g + "\"?").orElse(""));
        }
        if (value instanceof String s) {
            long length = s.codePointCount(0, s.length());
            if (limits.minLength() != null && length < limits.minLength()) {
                error(path, "must be at least " + limits.minLength() + " character" + (limits.minLength() == 1 ? "" : "s") + " long");
            }
            if (limits.maxLength() != null && length > limits.maxLength()) {
                error(path, "must be at most " + limits.maxLength() + " characters long");
            }
            if (limits.pattern() != null && !limits.pattern().matcher(s).find()) {
                error(path, "must match the regular expression " + render(limits.pattern().pattern()));
            }
            Formats.problem(limits.format(), s).ifPresent(problem -> error(path, problem));
        } else if (value instanceof Number n) {
            BigDecimal number = new BigDecimal(n.toString());
            if (limits.minimum() != null) {
                int c = number.compareTo(limits.minimum());
                if (c < 0 || (c == 0 && limits.exclusiveMinimum())) {
                    error(path, "must be greater than " + (limits.exclusiveMinimum() ? "" : "or equal to ") + plain(limits.minimum()));
                }
            }
            if (limits.maximum() != null) {
                int c = number.compareTo(limits.maximum());
                if (c > 0 || (c == 0 && limits.exclusiveMaximum())) {
                    error(path, "must be less than " + (limits.exclusiveMaximum() ? "" : "or equal to ") + plain(limits.maximum()));
                }
            }
        }
    }

    private void checkJunctions(Object value, StructuralSchema schema, String path) {
        StructuralSchema.Junctions j = schema.junctions();
        if (j.isEmpty()) {
            return;
        }
        for (StructuralSchema all : j.allOf()) {
            check(value, all, path);
        }
        if (!j.anyOf().isEmpty() && j.anyOf().stream().noneMatch(s -> matches(value, s, path))) {
            error(path, "must match at least one of the schemas of anyOf");
        }
        if (!j.oneOf().isEmpty()) {
            long matched = j.oneOf().stream().filter(s -> matches(value, s, path)).count();
            if (matched != 1) {
                error(path, OneOfMessages.describe(j.oneOf(), value, matched));
            }
        }
        if (j.not() != null && matches(value, j.not(), path)) {
            error(path, "must not match the schema of not");
        }
    }

    private boolean matches(Object value, StructuralSchema schema, String path) {
        return new SchemaValidator(kind, new ArrayList<>(), new ArrayList<>(), true).check(value, schema, path);
    }

    private void checkRules(Object value, StructuralSchema schema, String path) {
        if (schema.rules().isEmpty()) {
            return;
        }
        Object self = CelValues.of(value, schema);
        for (CelRule rule : schema.rules()) {
            if (rule.isTransitionRule()) {
                continue;
            }
            String problem = rule.evaluate(kind.cel(), schema, self);
            if (problem != null) {
                String at = rule.fieldPath() == null ? path : path + rule.fieldPath();
                error(at, problem);
            }
        }
    }

    private static boolean typeMatches(Object value, StructuralSchema schema) {
        if (schema.traits().intOrString()) {
            return value instanceof String || isInteger(value);
        }
        if (schema.type() == null) {
            return true;
        }
        return switch (schema.type()) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "integer" -> isInteger(value);
            case "number" -> value instanceof Number;
            case "boolean" -> value instanceof Boolean;
            default -> true;
        };
    }

    /** A 64-bit integer; a number without a fraction counts, as JSON has one number type. */
    private static boolean isInteger(Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return true;
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 0x1p63;
        }
        return false;
    }

    private static String expected(StructuralSchema schema) {
        return schema.traits().intOrString() ? "integer or string" : schema.type();
    }

    private static Finding unknownField(String path, String field, java.util.Collection<String> known) {
        return Finding.error(path, "unknown field \"" + field + "\""
                + Suggestions.closest(field, known).map(g -> "; did you mean \"" + g + "\"?").orElse(""));
    }

    private void error(String path, String message) {
        out.add(Finding.error(path.isEmpty() ? "(object)" : path, message));
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static Object mapKey(Object item, StructuralSchema schema) {
        if (!(item instanceof Map<?, ?> map)) {
            return item;
        }
        List<Object> key = new ArrayList<>();
        for (String field : schema.traits().listMapKeys()) {
            key.add(normalize(map.get(field)));
        }
        return key;
    }

    private static String describeKey(Object item, StructuralSchema schema) {
        if (!(item instanceof Map<?, ?> map)) {
            return render(item);
        }
        return schema.traits().listMapKeys().stream().map(k -> k + " " + render(map.get(k)))
                .collect(Collectors.joining(", "));
    }

    /** Numbers compare by value whatever their Java type. */
    private static Object normalize(Object value) {
        if (value instanceof Number n && !(value instanceof BigDecimal)) {
            return new BigDecimal(n.toString()).stripTrailingZeros();
        }
        return value;
    }

    private static String plain(BigDecimal n) {
        return n.stripTrailingZeros().toPlainString();
    }

    static String render(Object value) {
        if (value instanceof String s) {
            String shown = s.length() > 60 ? s.substring(0, 57) + "..." : s;
            return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }
        return String.valueOf(value);
    }

    static String describe(Object value) {
        if (value instanceof String) {
            return "string " + render(value);
        }
        if (value instanceof Boolean) {
            return "boolean " + value;
        }
        if (value instanceof Number) {
            return (isInteger(value) ? "integer " : "number ") + value;
        }
        if (value instanceof Map) {
            return "object";
        }
        if (value instanceof List) {
            return "array";
        }
        return String.valueOf(value);
    }
}
