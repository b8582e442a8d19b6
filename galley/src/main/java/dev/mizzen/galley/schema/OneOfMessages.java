package dev.mizzen.galley.schema;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Says what a failed {@code oneOf} means. Istio's CRDs spell "at most one of these fields" as
 * {@code oneOf: [{not: {anyOf: [{required: [a]}, {required: [b]}]}}, {required: [a]}, {required: [b]}]}; for
 * that shape the message names the fields, not the schema mechanics.
 */
final class OneOfMessages {
    private OneOfMessages() {
    }

    static String describe(List<StructuralSchema> branches, Object value, long matched) {
        Set<String> fields = new LinkedHashSet<>();
        for (StructuralSchema branch : branches) {
            if (!collectRequired(branch, fields)) {
                fields.clear();
                break;
            }
        }
        if (!fields.isEmpty() && value instanceof Map<?, ?> map) {
            List<String> present = new ArrayList<>();
            for (String field : fields) {
                if (map.containsKey(field)) {
                    present.add(field);
                }
            }
            if (present.size() > 1) {
                return "only one of " + quoted(fields) + " may be set, found " + quoted(present);
            }
        }
        return "must match exactly one of the schemas of oneOf, matched " + (matched == 0 ? "none" : matched);
    }

    /** True when the branch is only required fields, or "none of these required fields". */
    private static boolean collectRequired(StructuralSchema branch, Set<String> fields) {
        boolean plain = branch.type() == null && branch.properties().isEmpty() && branch.rules().isEmpty();
        if (!plain) {
            return false;
        }
        StructuralSchema.Junctions j = branch.junctions();
        if (j.isEmpty()) {
            fields.addAll(branch.required());
            return !branch.required().isEmpty();
        }
        if (j.not() != null && j.allOf().isEmpty() && j.oneOf().isEmpty() && j.anyOf().isEmpty()
                && branch.required().isEmpty()) {
            StructuralSchema not = j.not();
            for (StructuralSchema any : not.junctions().anyOf()) {
                if (!collectRequired(any, fields)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static String quoted(Iterable<String> fields) {
        List<String> list = new ArrayList<>();
        fields.forEach(f -> list.add("\"" + f + "\""));
        if (list.size() <= 2) {
            return String.join(" and ", list);
        }
        return list.subList(0, list.size() - 1).stream().collect(Collectors.joining(", ")) + " and " + list.get(list.size() - 1);
    }
}
