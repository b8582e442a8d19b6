package dev.mizzen.pilot.testing.simulation;

/** A route's (or its virtual host's) retry policy: Envoy retries {@code numRetries} times on {@code retryOn}. */
public record RetryInfo(int numRetries, String retryOn, String perTryTimeout) {
    @Override
    public String toString() {
        return numRetries + " on " + retryOn + (perTryTimeout.isEmpty() ? "" : " per try " + perTryTimeout);
    }
}
