package dev.mizzen.api.config;

/** Hears about config changes. Called on the store's event thread: keep it short and never block. */
@FunctionalInterface
public interface ConfigListener {
    void onChange(ConfigEvent event);
}
