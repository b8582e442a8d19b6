package dev.mizzen.pilot.push;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.pilot.model.PushContext;
import dev.mizzen.pilot.model.Service;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The push pipeline's metrics under Istio's names, types, labels, help texts and buckets
 * ({@code pilot/pkg/xds/monitoring.go}, {@code pilot/pkg/model/push_context.go}): push triggers by reason, the
 * debounce and push context build times, and the size of the mesh of the current push. Also makes the
 * {@link PushStatus} of a push.
 *
 * <p>Thread-safe: triggers are counted from the sources' threads (Micrometer counters are); the gauges read the
 * current context through a supplier.
 */
final class PushMetrics {
    private final MeterRegistry meters;
    private final Map<String, Counter> triggers = new ConcurrentHashMap<>();
    private final DistributionSummary debounce;
    private final DistributionSummary contextInit;

    PushMetrics(MeterRegistry meters, Supplier<PushContext> current) {
        this.meters = meters;
        this.debounce = DistributionSummary.builder("pilot_debounce_time")
                .description("Delay in seconds between the first config enters debouncing and the merged push request "
                        + "is pushed into the push queue (includes pushcontext_init_seconds).")
                .serviceLevelObjectives(.01, .1, 1, 3, 5, 10, 20, 30).register(meters);
        this.contextInit = DistributionSummary.builder("pilot_pushcontext_init_seconds")
                .description("Total time in seconds Pilot takes to init pushContext.")
                .serviceLevelObjectives(.01, .1, 0.5, 1, 3, 5).register(meters);
        Gauge.builder("pilot_services", current, c -> c.get() == null ? 0 : c.get().services().size())
                .description("Total services known to pilot.").register(meters);
        Gauge.builder("pilot_virt_services", current,
                        c -> c.get() == null ? 0 : c.get().configs().list(ConfigKind.VIRTUAL_SERVICE).size())
                .description("Total virtual services known to pilot.").register(meters);
        Gauge.builder("pilot_eds_no_instances", current, c -> c.get() == null ? 0 : withoutEndpoints(c.get()).size())
                .description("Number of clusters without instances.").register(meters);
        // Istio counts listener conflicts here; Mizzen's listener builder never makes conflicting listeners
        // (a port's protocol is decided once per port), so these stay 0: exported for Istio's dashboards and alerts
        Gauge.builder("pilot_conflict_inbound_listener", () -> 0).description("Number of conflicting inbound listeners.")
                .register(meters);
        Gauge.builder("pilot_conflict_outbound_listener_tcp_over_current_tcp", () -> 0)
                .description("Number of conflicting tcp listeners with current tcp listener.").register(meters);
    }

    /** One change heard: Istio counts every trigger, by reason ({@code pilot_push_triggers}). */
    void triggered(PushRequest request) {
        for (String reason : request.reasons()) {
            triggers.computeIfAbsent(reason, r -> Counter.builder("pilot_push_triggers")
                    .description("Total number of times a push was triggered, labeled by reason for the push.")
                    .tag("type", r).register(meters)).increment();
        }
    }

    void debounced(long nanos) {
        debounce.record(nanos / 1e9);
    }

    void contextBuilt(long nanos) {
        contextInit.record(nanos / 1e9);
    }

    static PushStatus status(PushContext context, PushRequest request, Instant start, Instant end, Set<String> problems) {
        Map<String, Integer> configs = new TreeMap<>();
        for (ConfigKind<?> kind : ConfigKind.all()) {
            configs.put(kind.kind(), context.configs().list(kind).size());
        }
        Map<String, Map<String, String>> status = new TreeMap<>();
        Map<String, String> noInstances = new TreeMap<>();
        withoutEndpoints(context).forEach(s -> noInstances.put(s, "service has no endpoints"));
        if (!noInstances.isEmpty()) {
            status.put("pilot_eds_no_instances", noInstances);
        }
        if (!problems.isEmpty()) {
            Map<String, String> config = new TreeMap<>();
            for (String problem : problems) {
                int space = problem.indexOf(' ');
                String key = space > 0 ? problem.substring(0, space) : problem;
                config.merge(key, problem, (a, b) -> a + "; " + b);
            }
            status.put("mizzen_config_problems", config);
        }
        return new PushStatus(context.version(), start, end, request, context.services().size(), configs, status);
    }

    private static java.util.List<String> withoutEndpoints(PushContext context) {
        return context.services().stream().map(Service::hostname).filter(h -> context.endpoints(h).isEmpty()).toList();
    }
}
