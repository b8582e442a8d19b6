package dev.mizzen.bench.proxy;

/** Hears every ACK of a fleet; called on the proxy's stream thread under its lock, so it must be quick. */
@FunctionalInterface
public interface AckListener {
    void onAck(SimulatedProxy proxy, AcceptedResponse response, long ackNanos);
}
