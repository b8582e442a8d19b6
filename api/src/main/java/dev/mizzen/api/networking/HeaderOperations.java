package dev.mizzen.api.networking;

import dev.mizzen.api.config.Copies;

import java.util.List;
import java.util.Map;

/** Istio {@code Headers.HeaderOperations}: overwrite, append, remove. */
public record HeaderOperations(Map<String, String> set, Map<String, String> add, List<String> remove) {
    public HeaderOperations {
        set = Copies.map(set);
        add = Copies.map(add);
        remove = Copies.list(remove);
    }
}
