package dev.mizzen.galley.analysis;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Kubernetes equality selectors from a label set ({@code labels.SelectorFromSet}). */
final class Selectors {
    private Selectors() {
    }

    /** True when every label of the selector is on the object; the empty selector selects everything. */
    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The selector as Kubernetes prints it: {@code app=reviews,version=v1}, keys sorted. */
    static String text(Map<String, String> selector) {
        return new TreeMap<>(selector).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
