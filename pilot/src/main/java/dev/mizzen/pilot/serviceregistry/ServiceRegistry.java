package dev.mizzen.pilot.serviceregistry;

/** Where services and endpoints come from. Implementations emit push requests when they change. */
public interface ServiceRegistry {
    RegistrySnapshot snapshot();

    boolean hasSynced();
}
