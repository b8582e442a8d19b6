package dev.mizzen.bench.proxy;

/**
 * What simulated proxies report to whoever measures them. Called on the proxy's stream thread while it
 * holds its own lock: implementations must be quick and must not call back into the proxy.
 */
public interface ProxyEvents {
    /** The proxy accepted a response and sent its ACK at {@code ackNanos} (System.nanoTime). */
    void onAck(SimulatedProxy proxy, AcceptedResponse response, long ackNanos);

    /** The proxy holds, for the first time, everything its config refers to, all of it ACKed. */
    void onFirstConverged(SimulatedProxy proxy, long nanos);

    /** The proxy rejected a response: never expected of istiod. */
    void onNack(SimulatedProxy proxy, String typeUrl, String reason);

    /** The server refused the new stream (it paces new streams); the proxy connects again after a backoff. */
    void onRefused(SimulatedProxy proxy);

    /** The stream failed or the server closed it. */
    void onStreamError(SimulatedProxy proxy, Throwable error);
}
