package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON/YAML trees injection works on (Kubernetes objects as Jackson trees, field order kept) and the few
 * null-safe accessors every step needs. The mappers are thread-safe and shared.
 */
final class Trees {
    static final ObjectMapper JSON = JsonMapper.builder().build();
    static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
            .disable(YAMLWriteFeature.SPLIT_LINES)
            .build();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Trees() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** The object at {@code field}, or null when absent or not an object. */
    static ObjectNode obj(JsonNode node, String field) {
        JsonNode child = node == null ? null : node.get(field);
        return child instanceof ObjectNode o ? o : null;
    }

    /** The object at {@code field}, created (replacing a non-object) when missing. */
    static ObjectNode objOrCreate(ObjectNode node, String field) {
        ObjectNode child = obj(node, field);
        if (child == null) {
            child = node.putObject(field);
        }
        return child;
    }

    /** The array at {@code field}, or null when absent or not an array. */
    static ArrayNode arr(JsonNode node, String field) {
        JsonNode child = node == null ? null : node.get(field);
        return child instanceof ArrayNode a ? a : null;
    }

    static ArrayNode arrOrCreate(ObjectNode node, String field) {
        ArrayNode child = arr(node, field);
        if (child == null) {
            child = node.putArray(field);
        }
        return child;
    }

    /** A string field, or "" when absent or not textual. */
    static String text(JsonNode node, String field) {
        JsonNode child = node == null ? null : node.get(field);
        return child != null && child.isString() ? child.asString() : "";
    }

    /** A map of string values (labels, annotations); non-string values are rendered as text. */
    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                JsonNode v = e.getValue();
                if (v != null && !v.isNull()) {
                    out.put(e.getKey(), v.isString() ? v.asString() : v.toString());
                }
            }
        }
        return out;
    }

    /** The objects of an array (non-objects skipped). */
    static List<ObjectNode> objects(ArrayNode array) {
        List<ObjectNode> out = new ArrayList<>();
        if (array != null) {
            for (JsonNode n : array) {
                if (n instanceof ObjectNode o) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /** The first object in the array whose {@code name} field equals name, or null. */
    static ObjectNode named(ArrayNode array, String name) {
        for (ObjectNode o : objects(array)) {
            if (name.equals(text(o, "name"))) {
                return o;
            }
        }
        return null;
    }

    /** Plain Java maps and lists of a tree, as the template engine reads them. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new LinkedHashMap<>();
        }
        return JSON.convertValue(node, LinkedHashMap.class);
    }

    static JsonNode toTree(Object value) {
        return JSON.valueToTree(value);
    }

    /**
     * Deep merge of {@code overlay} onto a copy of {@code base}: objects merge key by key, anything else is
     * replaced, and a null removes the key; how Helm merges a values file onto the chart's defaults.
     */
    static ObjectNode overlay(ObjectNode base, ObjectNode overlay) {
        ObjectNode out = base.deepCopy();
        mergeInto(out, overlay);
        return out;
    }

    private static void mergeInto(ObjectNode target, ObjectNode overlay) {
        for (Map.Entry<String, JsonNode> e : overlay.properties()) {
            JsonNode current = target.get(e.getKey());
            if (e.getValue().isNull()) {
                target.remove(e.getKey());
            } else if (current instanceof ObjectNode co && e.getValue() instanceof ObjectNode ov) {
                mergeInto(co, ov);
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }
}
