package dev.mizzen.pilot.xds;

import dev.mizzen.api.identity.CallerCredentials;
import dev.mizzen.pilot.model.Proxy;
import io.envoyproxy.envoy.config.core.v3.Node;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What an ADS stream needs from the server it runs in, and all it may ask of it: to be admitted, the current
 * push, the generator for its proxy, its limits, the metrics it counts into, and to say when it is open and
 * closed. Streams never see the server itself.
 */
interface StreamContext {
    /** Admits a stream's proxy from its first request ({@link ProxyAdmission}). */
    CompletableFuture<Proxy> admit(long streamId, Node node, Optional<CallerCredentials> credentials);

    /** The push being served; null before the first. */
    PushSnapshot current();

    Optional<XdsGenerator> generatorFor(Proxy proxy);

    XdsLimits limits();

    XdsMetrics metrics();

    /** Answers the debug types ({@code istio.io/debug...}). */
    XdsDebug debug();

    /** The wall clock, for what the debug views show (connection and send times). */
    java.time.Clock clock();

    /** The stream was admitted: it takes pushes from now on. */
    void opened(ProxyStream stream);

    /** The stream ended: it takes no more pushes. */
    void closed(ProxyStream stream);
}
