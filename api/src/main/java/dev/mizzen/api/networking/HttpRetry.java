package dev.mizzen.api.networking;

/** Istio {@code HTTPRetry}; timeouts are raw duration strings. */
public record HttpRetry(
        Integer attempts,
        String perTryTimeout,
        String retryOn,
        Boolean retryRemoteLocalities,
        Boolean retryIgnorePreviousHosts,
        String backoff) {
}
