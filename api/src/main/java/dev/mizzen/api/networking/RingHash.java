package dev.mizzen.api.networking;

/** Istio {@code ConsistentHashLB.RingHash}. */
public record RingHash(Long minimumRingSize) {
}
