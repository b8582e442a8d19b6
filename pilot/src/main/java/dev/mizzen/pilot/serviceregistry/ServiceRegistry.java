package dev.mizzen.pilot.serviceregistry;

import dev.mizzen.api.config.ChangeListener;

/**
 * Where services, endpoints and credentials come from: one consistent view at a time, and an event for each
 * change (the same events the config store sends).
 */
public interface ServiceRegistry {
    RegistrySnapshot snapshot();

    /** Registers a listener that hears about every change after it was added. */
    void addListener(ChangeListener listener);

    boolean hasSynced();
}
