package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.model.Proxy;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * What else happens when a proxy connects and disconnects (Istio's autoregistration controller OnConnect and
 * OnDisconnect). {@link #connected} runs after the proxy is admitted and before it is served: a future that fails
 * refuses the stream with the failure's status. {@link #disconnected} follows only a connection that was served.
 * Implementations must not block the calling gRPC thread.
 */
public interface ConnectionHooks {
    ConnectionHooks NONE = new ConnectionHooks() {
        @Override
        public CompletableFuture<Void> connected(Proxy proxy, Instant at) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void disconnected(Proxy proxy, Instant at) {
        }
    };

    CompletableFuture<Void> connected(Proxy proxy, Instant at);

    void disconnected(Proxy proxy, Instant at);
}
