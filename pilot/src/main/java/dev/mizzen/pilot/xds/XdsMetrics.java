package dev.mizzen.pilot.xds;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the xDS server measures, under Istio's names, types, labels, help texts and histogram buckets
 * ({@code pilot/pkg/xds/monitoring.go} and {@code pkg/xds/monitoring.go} of Istio): Istio's Grafana dashboards
 * query these. Names are given as Istio exports them; istiod's exposition writes them unchanged. Times are
 * histograms of seconds without a unit suffix, as Istio's ({@code WithoutUnits}).
 *
 * <p>Thread-safe: Micrometer meters are; the per-type meters are made once each, on first use.
 */
final class XdsMetrics {
    /** {@code pilot_xds_push_time} and {@code pilot_xds_send_time} buckets. */
    static final double[] PUSH_BUCKETS = {.01, .1, 1, 3, 5, 10, 20, 30};
    /** {@code pilot_proxy_convergence_time} and {@code pilot_proxy_queue_time} buckets. */
    static final double[] PROXY_BUCKETS = {.1, .5, 1, 3, 5, 10, 20, 30};
    /** {@code pilot_xds_config_size_bytes} buckets: 4M is gRPC's default limit, 40M an upper bound. */
    static final double[] SIZE_BUCKETS = {1, 10_000, 1_000_000, 4_000_000, 10_000_000, 40_000_000};

    private final MeterRegistry meters;
    final Counter secretRefusals;
    private final DistributionSummary sendTime;
    final DistributionSummary convergence;
    final DistributionSummary queueTime;
    private final Map<String, TypeMeters> byType = new ConcurrentHashMap<>();

    /** The meters labelled with one type ({@code cds}, {@code eds}, ...). */
    private record TypeMeters(Counter pushes, DistributionSummary pushTime, DistributionSummary size, Counter rejects,
                              Counter expiredNonces) {
    }

    XdsMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.secretRefusals = Counter.builder("pilot_sds_certificate_errors_total")
                .description("Total number of failures to fetch SDS key and certificate.").register(meters);
        this.sendTime = histogram("pilot_xds_send_time",
                "Total time in seconds Pilot takes to send generated configuration.", PUSH_BUCKETS).register(meters);
        this.convergence = histogram("pilot_proxy_convergence_time",
                "Delay in seconds between config change and a proxy receiving all required configuration.",
                PROXY_BUCKETS).register(meters);
        this.queueTime = histogram("pilot_proxy_queue_time",
                "Time in seconds, a proxy is in the push queue before being dequeued.", PROXY_BUCKETS).register(meters);
        Counter.builder("pilot_total_xds_internal_errors").description("Total number of internal XDS errors in pilot.")
                .register(meters);
        TypeUrls.PUSH_ORDER.forEach(this::of);
    }

    static DistributionSummary.Builder histogram(String name, String help, double[] buckets) {
        return DistributionSummary.builder(name).description(help).serviceLevelObjectives(buckets);
    }

    /** A response of {@code typeUrl} was sent: {@code bytes} long, written in {@code sendNanos}, answered in {@code pushNanos}. */
    void sent(String typeUrl, int bytes, long sendNanos, long pushNanos) {
        TypeMeters m = of(typeUrl);
        m.pushes.increment();
        m.size.record(bytes);
        m.pushTime.record(seconds(pushNanos));
        sendTime.record(seconds(sendNanos));
    }

    void rejected(String typeUrl) {
        of(typeUrl).rejects.increment();
    }

    void expiredNonce(String typeUrl) {
        of(typeUrl).expiredNonces.increment();
    }

    /** How many responses of each type were sent so far (Istio's {@code pilot_xds_pushes}). */
    Map<String, Long> pushesByType() {
        Map<String, Long> out = new java.util.TreeMap<>();
        byType.forEach((type, m) -> out.put(TypeUrls.metricType(type), (long) m.pushes.count()));
        return out;
    }

    static double seconds(long nanos) {
        return nanos / (double) TimeUnit.SECONDS.toNanos(1);
    }

    private TypeMeters of(String typeUrl) {
        return byType.computeIfAbsent(typeUrl, t -> {
            String type = TypeUrls.metricType(t);
            return new TypeMeters(
                    Counter.builder("pilot_xds_pushes").description("Pilot build and send errors for lds, rds, cds and eds.")
                            .tag("type", type).register(meters),
                    histogram("pilot_xds_push_time", "Total time in seconds Pilot takes to push lds, rds, cds and eds.",
                            PUSH_BUCKETS).tag("type", type).register(meters),
                    histogram("pilot_xds_config_size_bytes", "Distribution of configuration sizes pushed to clients",
                            SIZE_BUCKETS).tag("type", type).register(meters),
                    Counter.builder("pilot_total_xds_rejects")
                            .description("Total number of XDS responses from pilot rejected by proxy.")
                            .tag("type", type).register(meters),
                    Counter.builder("pilot_xds_expired_nonce")
                            .description("Total number of XDS requests with an expired nonce.")
                            .tag("type", type).register(meters));
        });
    }
}
