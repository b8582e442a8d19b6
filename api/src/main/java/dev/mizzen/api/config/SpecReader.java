package dev.mizzen.api.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads the {@code spec} of an Istio object into its kind's record ({@link ConfigKind#specType()}).
 *
 * <p>Reading is lenient where Istio is (unknown fields are ignored, enums stay strings, numbers may be
 * quoted) and strict where a value cannot be typed: a string for a number, a fraction for an integer, a
 * scalar for a list or object, a null list element. Those fail with a {@link SpecReadException} whose path
 * is in Istio's form; no Jackson exception escapes. Null map values (a YAML key without a value) are dropped.
 *
 * <p>Thread-safety: stateless; the shared {@link JsonMapper} is immutable and thread-safe.
 */
public final class SpecReader {
    private static final int MAX_RENDERED_VALUE = 60;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Integer, c -> c
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Float, c -> c
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            // a null list element is an error with its index; a null map value is dropped
            .withConfigOverride(List.class, o -> o.setNullHandling(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
            .withConfigOverride(Map.class, o -> o.setNullHandling(JsonSetter.Value.forContentNulls(Nulls.SKIP)))
            // writing: compact (no nulls, no empty lists/maps/strings) and the same bytes for the same value
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_EMPTY))
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    /** Turns a Map into a tree as it is: every entry, in the map's order. */
    private static final JsonMapper TREE_CONVERTER = MAPPER.rebuild()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.ALWAYS))
            .disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private SpecReader() {
    }

    /**
     * Reads a spec tree into the record of {@code kind}.
     *
     * @param specTree a {@code Map<String, Object>} (as fabric8's {@code GenericKubernetesResource} holds it),
     *                 a Jackson {@link JsonNode}, or null (no spec: an empty record)
     * @param <S>      the record type, {@code kind.specType()}
     * @throws SpecReadException when the tree does not fit the record's types
     */
    public static <S> S read(ConfigKind<S> kind, Object specTree) {
        Objects.requireNonNull(kind, "kind");
        JsonNode tree = toTree(specTree);
        try {
            return MAPPER.treeToValue(tree, kind.specType());
        } catch (JacksonException e) {
            throw translate(e, tree);
        }
    }

    /**
     * The configured mapper, for other modules writing or reading config records (JSON goldens etc.). It
     * ignores unknown properties and leaves absent ones null; it writes no null or empty values and sorts
     * map keys.
     */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    private static JsonNode toTree(Object specTree) {
        JsonNode node;
        try {
            node = specTree instanceof JsonNode n ? n : TREE_CONVERTER.valueToTree(specTree);
        } catch (JacksonException e) {
            throw new SpecReadException("spec", "cannot read the spec: " + e.getOriginalMessage(), e);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return MAPPER.createObjectNode();
        }
        return node;
    }

    private static SpecReadException translate(JacksonException e, JsonNode tree) {
        String path = fieldPath(e.getPath());
        JsonNode value = locate(tree, e.getPath());
        Class<?> target = targetType(e);
        String detail;
        if (e instanceof InvalidNullException) {
            detail = "cannot read null" + (target == null ? "" : " as " + describe(target));
        } else if (target != null && (e instanceof MismatchedInputException || e instanceof InputCoercionException)) {
            detail = "cannot read " + render(value) + " as " + describe(target)
                    + (outOfRange(value, target) ? " (out of range)" : "");
        } else if (e instanceof ValueInstantiationException && e.getCause() != null) {
            Throwable cause = e.getCause();
            detail = "invalid value: "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
        } else {
            detail = e.getOriginalMessage();
        }
        return new SpecReadException(path, detail, e);
    }

    private static String fieldPath(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder("spec");
        for (JacksonException.Reference ref : references) {
            if (ref.getPropertyName() != null) {
                path.append('.').append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The node the path points at, or null when the path does not resolve in the tree. */
    private static JsonNode locate(JsonNode tree, List<JacksonException.Reference> references) {
        JsonNode node = tree;
        for (JacksonException.Reference ref : references) {
            if (node == null) {
                return null;
            }
            if (ref.getPropertyName() != null && node.isObject()) {
                node = node.get(ref.getPropertyName());
            } else if (ref.getIndex() >= 0 && node.isArray()) {
                node = node.get(ref.getIndex());
            } else {
                return null;
            }
        }
        return node;
    }

    private static Class<?> targetType(JacksonException e) {
        if (e instanceof MismatchedInputException m) {
            return m.getTargetType();
        }
        if (e instanceof InputCoercionException c) {
            return c.getTargetType();
        }
        return null;
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == Byte.class || type == byte.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class
                || type == BigDecimal.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a map";
        }
        return "an object";
    }

    private static boolean outOfRange(JsonNode value, Class<?> target) {
        if (value == null || !value.isIntegralNumber()) {
            return false;
        }
        if (target == Integer.class || target == int.class) {
            return !value.canConvertToInt();
        }
        if (target == Long.class || target == long.class) {
            return !value.canConvertToLong();
        }
        return false;
    }

    private static String render(JsonNode value) {
        if (value == null) {
            return "the value";
        }
        String text;
        try {
            text = MAPPER.writeValueAsString(value);
        } catch (JacksonException e) {
            text = value.toString();
        }
        return text.length() <= MAX_RENDERED_VALUE ? text : text.substring(0, MAX_RENDERED_VALUE - 3) + "...";
    }
}
