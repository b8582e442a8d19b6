package dev.mizzen.api.config;

import java.util.List;

/**
 * Read access to the validated Istio config, plus change events. Galley implements it; pilot reads it.
 * Implementations are thread-safe; {@link #list} returns an immutable snapshot.
 */
public interface ConfigStore {
    /** Every valid object of a kind, in no particular order. */
    <S> List<Config<S>> list(ConfigKind kind);

    /** Registers a listener that hears about every change after it was added. */
    void addListener(ConfigListener listener);

    /** True once the initial list of every kind has been read. */
    boolean hasSynced();
}
