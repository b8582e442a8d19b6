package dev.mizzen.api.networking;

/** Istio {@code ConsistentHashLB.MagLev}. */
public record Maglev(Long tableSize) {
}
