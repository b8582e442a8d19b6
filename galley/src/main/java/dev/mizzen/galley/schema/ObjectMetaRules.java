package dev.mizzen.galley.schema;

import dev.mizzen.galley.validation.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the apiserver's strict decoding of {@code metadata} (ObjectMeta) refuses: fields it does not have
 * ({@code metadata.nmae}), and labels or annotations whose values are not strings ({@code version: 1} must be
 * quoted). Names and label syntax are the webhook's and the apiserver's object rules, not the schema's.
 */
final class ObjectMetaRules {
    private static final Set<String> FIELDS = Set.of("name", "generateName", "namespace", "selfLink", "uid",
            "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
            "labels", "annotations", "ownerReferences", "finalizers", "managedFields");
    private static final Set<String> STRINGS = Set.of("name", "generateName", "namespace");

    private ObjectMetaRules() {
    }

    static List<Finding> validate(Object metadata) {
        List<Finding> out = new ArrayList<>();
        if (metadata == null) {
            return out;
        }
        if (!(metadata instanceof Map<?, ?> meta)) {
            out.add(Finding.error("metadata", "must be of type object, not " + SchemaValidator.describe(metadata)));
            return out;
        }
        for (Map.Entry<?, ?> e : meta.entrySet()) {
            String field = String.valueOf(e.getKey());
            String path = "metadata." + field;
            if (!FIELDS.contains(field)) {
                out.add(Finding.error(path, "unknown field \"" + field + "\""
                        + Suggestions.closest(field, FIELDS).map(g -> "; did you mean \"" + g + "\"?").orElse("")));
            } else if (STRINGS.contains(field) && e.getValue() != null && !(e.getValue() instanceof String)) {
                out.add(Finding.error(path, "must be of type string, not " + SchemaValidator.describe(e.getValue())));
            } else if (field.equals("labels") || field.equals("annotations")) {
                stringMap(e.getValue(), path, out);
            }
        }
        return out;
    }

    private static void stringMap(Object value, String path, List<Finding> out) {
        if (value == null) {
            return;
        }
        if (!(value instanceof Map<?, ?> map)) {
            out.add(Finding.error(path, "must be of type object, not " + SchemaValidator.describe(value)));
            return;
        }
        map.forEach((k, v) -> {
            if (!(v instanceof String)) {
                out.add(Finding.error(path + "[" + k + "]", "must be of type string, not "
                        + (v == null ? "null" : SchemaValidator.describe(v)) + "; quote the value"));
            }
        });
    }
}
