package dev.mizzen.pilot.xds;

import dev.mizzen.pilot.model.Proxy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Istio's {@code pilot_xds} gauge: connected proxies by the Istio version they report ({@code ISTIO_VERSION}).
 * The version is the client's text, so it is cut and the number of distinct values bounded: past
 * {@value #MAX_VERSIONS} of them, new ones count as {@code other}.
 *
 * <p>Thread-safe: streams open and close on gRPC threads; counts are atomic, the maps concurrent.
 */
final class ProxyVersions {
    private static final int MAX_VERSIONS = 32;
    private static final String UNKNOWN = "unknown";

    private final MeterRegistry meters;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<Long, String> byStream = new ConcurrentHashMap<>();

    ProxyVersions(MeterRegistry meters) {
        this.meters = meters;
    }

    void opened(long streamId, Proxy proxy) {
        String version = proxy.metadata().getOrDefault("ISTIO_VERSION", "");
        version = version.isEmpty() ? UNKNOWN : dev.mizzen.api.logging.ClientText.name(version, 64);
        if (!counts.containsKey(version) && counts.size() >= MAX_VERSIONS) {
            version = "other";
        }
        byStream.put(streamId, version);
        counts.computeIfAbsent(version, v -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("pilot_xds", count, AtomicInteger::get)
                    .description("Number of endpoints connected to this pilot using XDS.")
                    .tag("version", v).register(meters);
            return count;
        }).incrementAndGet();
    }

    void closed(long streamId) {
        String version = byStream.remove(streamId);
        if (version != null) {
            counts.get(version).decrementAndGet();
        }
    }
}
