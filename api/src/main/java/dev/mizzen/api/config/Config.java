package dev.mizzen.api.config;

import java.util.Comparator;
import java.util.Objects;

/**
 * One Istio config object: its key, metadata and typed spec.
 *
 * @param <S> the spec type, e.g. {@code VirtualService}
 */
public record Config<S>(ConfigKey key, ConfigMeta meta, S spec) {
    /** Istio's precedence among conflicting objects: oldest first, then by namespace/name. */
    public static final Comparator<Config<?>> BY_CREATION = Comparator
            .comparing((Config<?> c) -> c.meta().creationTimestamp())
            .thenComparing(c -> c.key().namespace())
            .thenComparing(c -> c.key().name());

    public Config {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(spec, "spec");
    }

    public String namespace() {
        return key.namespace();
    }

    public String name() {
        return key.name();
    }
}
