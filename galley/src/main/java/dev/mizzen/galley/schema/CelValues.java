package dev.mizzen.galley.schema;

import com.google.protobuf.NullValue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain value as CEL sees it under its schema, as the apiserver converts unstructured objects: integers are
 * {@code int}, numbers {@code double} (a {@code 5} where a number is expected is {@code 5.0}), fields the
 * schema does not declare are pruned (unless unknown fields are preserved), null is CEL's null.
 * Called only on values that passed the structural checks.
 */
final class CelValues {
    private CelValues() {
    }

    static Object of(Object value, StructuralSchema schema) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (schema == null || schema.type() == null || schema.traits().intOrString()) {
            return generic(value);
        }
        return switch (schema.type()) {
            case "integer" -> ((Number) value).longValue();
            case "number" -> ((Number) value).doubleValue();
            case "array" -> {
                List<Object> list = new ArrayList<>();
                for (Object item : (List<?>) value) {
                    list.add(of(item, schema.items()));
                }
                yield list;
            }
            case "object" -> object((Map<?, ?>) value, schema);
            default -> value;
        };
    }

    private static Map<String, Object> object(Map<?, ?> map, StructuralSchema schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            StructuralSchema field = schema.properties().get(key);
            if (field != null) {
                out.put(key, of(e.getValue(), field));
            } else if (schema.additionalProperties() != null) {
                out.put(key, of(e.getValue(), schema.additionalProperties()));
            } else if (schema.traits().preserveUnknownFields()) {
                out.put(key, generic(e.getValue()));
            }
        }
        return out;
    }

    private static Object generic(Object value) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof BigInteger big) {
            return big.doubleValue();
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(generic(item)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), generic(v)));
            return out;
        }
        return value;
    }
}
