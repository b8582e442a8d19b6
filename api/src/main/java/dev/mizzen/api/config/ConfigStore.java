package dev.mizzen.api.config;

/**
 * Read access to the validated Istio config, plus change events. Galley implements it; pilot reads it.
 * Implementations are thread-safe.
 */
public interface ConfigStore {
    /** Every valid object now, of every kind, as one consistent view. */
    ConfigSnapshot snapshot();

    /** Registers a listener that hears about every change after it was added. */
    void addListener(ChangeListener listener);

    /** True once the initial list of every kind has been read. */
    boolean hasSynced();
}
