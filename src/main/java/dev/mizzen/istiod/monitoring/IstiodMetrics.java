package dev.mizzen.istiod.monitoring;

import dev.mizzen.api.config.ChangeEvent;
import dev.mizzen.istiod.BuildInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * istiod's own metrics and the process's: Istio's {@code istiod_uptime_seconds}, {@code pilot_info} and
 * {@code istio_build} ({@code pilot/pkg/bootstrap/monitoring.go}, {@code pkg/version/stats.go}); the Kubernetes
 * events istiod hears, as Istio's {@code pilot_k8s_cfg_events} and {@code pilot_k8s_reg_events}; Micrometer's JVM
 * binders; and Prometheus' standard process metrics ({@link ProcessMetrics}), which Istio's dashboards read.
 *
 * <p>Thread-safe: events are counted from the sources' threads into Micrometer counters made once per label set.
 */
public final class IstiodMetrics {
    private final MeterRegistry meters;
    private final Map<String, Counter> events = new ConcurrentHashMap<>();
    private final long started = System.nanoTime();

    private IstiodMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public static IstiodMetrics bind(MeterRegistry meters, BuildInfo build) {
        IstiodMetrics metrics = new IstiodMetrics(meters);
        Gauge.builder("istiod_uptime_seconds", metrics, m -> (System.nanoTime() - m.started) / 1e9)
                .description("Current istiod server uptime in seconds").register(meters);
        Gauge.builder("pilot_info", () -> 1).description("Pilot version and build information.")
                .tag("version", build.toString()).register(meters);
        Gauge.builder("istio_build", () -> 1).description("Istio component build info")
                .tag("component", "pilot").tag("tag", build.tag()).register(meters);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
        ProcessMetrics.bindTo(meters);
        return metrics;
    }

    /** An event of the config store: Istio's {@code pilot_k8s_cfg_events{type=<Kind>,event=add|update|delete}}. */
    public void configEvent(ChangeEvent event) {
        if (event instanceof ChangeEvent.ConfigChanged c) {
            count("pilot_k8s_cfg_events", "Events from k8s config.", c.key().kind().kind(), event.type());
        }
    }

    /** An event of the service registry: Istio's {@code pilot_k8s_reg_events{type=Services|EndpointSlice|Secrets,event}}. */
    public void registryEvent(ChangeEvent event) {
        String type = event instanceof ChangeEvent.ServiceChanged ? "Services"
                : event instanceof ChangeEvent.EndpointsChanged ? "EndpointSlice"
                : event instanceof ChangeEvent.CredentialChanged ? "Secrets" : null;
        if (type != null) {
            count("pilot_k8s_reg_events", "Events from k8s registry.", type, event.type());
        }
    }

    private void count(String name, String help, String type, ChangeEvent.Type event) {
        String verb = switch (event) {
            case ADDED -> "add";
            case UPDATED -> "update";
            case DELETED -> "delete";
        };
        events.computeIfAbsent(name + "|" + type + "|" + verb, k -> Counter.builder(name).description(help)
                .tag("type", type).tag("event", verb.toLowerCase(Locale.ROOT)).register(meters)).increment();
    }
}
