package dev.mizzen.api.networking;

/** Istio {@code Percent}: a percentage in 0..100. */
public record Percent(Double value) {
}
