package dev.mizzen.api.config;

/** A config object was added, updated or deleted. */
public record ConfigEvent(ConfigKey key, Type type) {
    public enum Type { ADDED, UPDATED, DELETED }
}
