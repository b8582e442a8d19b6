package dev.mizzen.api.networking;

/** Istio {@code WarmupConfiguration}: slow start of new endpoints. */
public record WarmupConfiguration(String duration, Double minimumPercent, Double aggression) {
}
