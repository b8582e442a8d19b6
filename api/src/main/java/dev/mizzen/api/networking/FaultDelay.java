package dev.mizzen.api.networking;

/** Istio {@code HTTPFaultInjection.Delay}; {@code percent} is deprecated in favour of {@code percentage}. */
public record FaultDelay(String fixedDelay, String exponentialDelay, Percent percentage, Integer percent) {
}
