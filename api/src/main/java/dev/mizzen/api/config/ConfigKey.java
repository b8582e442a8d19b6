package dev.mizzen.api.config;

import java.util.Comparator;
import java.util.Objects;

/** Identifies one config object: kind, namespace and name. */
public record ConfigKey(ConfigKind<?> kind, String namespace, String name) implements Comparable<ConfigKey> {
    private static final Comparator<ConfigKey> ORDER = Comparator.<ConfigKey, ConfigKind<?>>comparing(ConfigKey::kind)
            .thenComparing(ConfigKey::namespace)
            .thenComparing(ConfigKey::name);

    public ConfigKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    public static ConfigKey of(ConfigKind<?> kind, String namespace, String name) {
        return new ConfigKey(kind, namespace, name);
    }

    @Override
    public int compareTo(ConfigKey other) {
        return ORDER.compare(this, other);
    }

    /** {@code VirtualService/default/reviews}, the form our log lines use. */
    @Override
    public String toString() {
        return kind.kind() + "/" + namespace + "/" + name;
    }
}
