package dev.mizzen.api.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable copies for the compact constructors of the config records: null becomes empty. */
public final class Copies {
    private Copies() {
    }

    public static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /**
     * Drops null values (a YAML key with no value) and keeps the source's iteration order, unlike
     * {@code Map.copyOf} whose order changes from one JVM run to the next: output built by walking a map
     * stays the same bytes for the same input.
     */
    public static <K, V> Map<K, V> map(Map<K, V> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        Map<K, V> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (key != null && value != null) {
                copy.put(key, value);
            }
        });
        return Collections.unmodifiableMap(copy);
    }
}
