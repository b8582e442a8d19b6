package dev.mizzen.galley.validation;

import java.util.Set;

/**
 * Enum fields are kept as strings by the config records; their CRD schemas (and Istio's proto parser) accept
 * only the listed names, so anything else is an error here too.
 */
final class Enums {
    private Enums() {
    }

    static void check(Findings out, FieldPath at, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            out.error(at, "unsupported value \"" + value + "\"; expected one of " + String.join(", ", sorted(allowed)));
        }
    }

    private static Iterable<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    /** Counts the non-null values: for one-of groups such as exact/prefix/regex. */
    static int countSet(Object... values) {
        int n = 0;
        for (Object v : values) {
            if (v != null) {
                n++;
            }
        }
        return n;
    }
}
