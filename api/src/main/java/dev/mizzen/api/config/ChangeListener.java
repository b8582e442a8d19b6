package dev.mizzen.api.config;

/** Hears about changes. Called on the source's event thread: keep it short and never block. */
@FunctionalInterface
public interface ChangeListener {
    void onChange(ChangeEvent event);
}
