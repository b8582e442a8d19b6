package dev.mizzen.api.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every valid Istio config object at one moment, across kinds: what a push is built from, so that it never
 * mixes a VirtualService of one moment with a DestinationRule of another. Immutable.
 */
public final class ConfigSnapshot {
    public static final ConfigSnapshot EMPTY = new ConfigSnapshot(Map.of());

    private final Map<ConfigKind<?>, List<Config<?>>> byKind;

    private ConfigSnapshot(Map<ConfigKind<?>, List<Config<?>>> byKind) {
        this.byKind = byKind;
    }

    /** A snapshot of these objects, whatever their kinds. */
    public static ConfigSnapshot of(Collection<? extends Config<?>> configs) {
        Map<ConfigKind<?>, List<Config<?>>> grouped = new HashMap<>();
        for (Config<?> c : configs) {
            grouped.computeIfAbsent(c.key().kind(), k -> new ArrayList<>()).add(c);
        }
        Map<ConfigKind<?>, List<Config<?>>> frozen = new HashMap<>();
        grouped.forEach((kind, list) -> frozen.put(kind, List.copyOf(list)));
        return new ConfigSnapshot(Map.copyOf(frozen));
    }

    /** Every object of a kind, in no particular order. */
    @SuppressWarnings("unchecked")
    public <S> List<Config<S>> list(ConfigKind<S> kind) {
        // every config under a kind was put there by its key's kind, so its spec is that kind's record
        return (List<Config<S>>) (List<?>) byKind.getOrDefault(kind, List.of());
    }

    public int size() {
        return byKind.values().stream().mapToInt(List::size).sum();
    }
}
