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
 * <p>A stream's label is worked out again from its proxy when it closes, not remembered per stream: labels are never
 * forgotten, so a version counted under its own label (or as {@code other}) when it opened still is when it closes.
 *
 * <p>Thread-safe: streams open and close on gRPC threads, under this object's lock (so a label is decided and
 * added at once); the gauges read the atomic counts.
 */
final class ProxyVersions {
    private static final int MAX_VERSIONS = 32;
    private static final String UNKNOWN = "unknown";

    private final MeterRegistry meters;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    ProxyVersions(MeterRegistry meters) {
        this.meters = meters;
    }

    synchronized void opened(Proxy proxy) {
        counts.computeIfAbsent(label(proxy), v -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("pilot_xds", count, AtomicInteger::get)
                    .description("Number of endpoints connected to this pilot using XDS.")
                    .tag("version", v).register(meters);
            return count;
        }).incrementAndGet();
    }

    /** A stream of {@code proxy} that {@link #opened} counted has closed. */
    synchronized void closed(Proxy proxy) {
        AtomicInteger count = counts.get(label(proxy));
        if (count != null) {
            count.decrementAndGet();
        }
    }

    private String label(Proxy proxy) {
        String version = proxy.metadata().getOrDefault("ISTIO_VERSION", "");
        version = version.isEmpty() ? UNKNOWN : dev.mizzen.api.logging.ClientText.name(version, 64);
        return !counts.containsKey(version) && counts.size() >= MAX_VERSIONS ? "other" : version;
    }
}
