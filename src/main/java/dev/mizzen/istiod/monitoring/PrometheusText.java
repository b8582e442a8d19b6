package dev.mizzen.istiod.monitoring;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;

import java.util.HashMap;
import java.util.Map;

/**
 * Writes a Micrometer Prometheus registry in Prometheus' text format 0.0.4, naming each series as Istio does.
 *
 * <p>Why not the registry's own {@code scrape()}: Prometheus' Java client always writes a counter as
 * {@code <name>_total}, while Istio exports its counters under their bare names ({@code pilot_xds_pushes},
 * {@code citadel_server_csr_count}: its exporter runs {@code WithoutCounterSuffixes}), and Istio's dashboards query
 * those names. So a counter whose Micrometer name is already in Prometheus form (no dots: the names we give after
 * Istio) is written exactly as named, with or without {@code _total}; a counter with a dotted Micrometer name (the
 * JVM binders') gets Prometheus' usual {@code _total}. Everything else (gauges, histograms with their classic
 * buckets, summaries) is written under the registry's own names. A family without help text gets its name as help,
 * so every family has HELP and TYPE.
 *
 * <p>Stateless; each call takes one consistent snapshot of the registry.
 */
final class PrometheusText {
    private PrometheusText() {
    }

    static String scrape(PrometheusMeterRegistry registry) {
        Map<String, String> counterNames = counterNames(registry);
        StringBuilder out = new StringBuilder(16 * 1024);
        MetricSnapshots snapshots = registry.getPrometheusRegistry().scrape();
        for (MetricSnapshot snapshot : snapshots) {
            if (snapshot.getDataPoints().isEmpty()) {
                continue;
            }
            String name = snapshot.getMetadata().getPrometheusName();
            if (snapshot instanceof CounterSnapshot c) {
                    String exposed = counterNames.getOrDefault(name, name + "_total");
                    header(out, exposed, snapshot, "counter");
                    c.getDataPoints().forEach(p -> sample(out, exposed, p.getLabels(), null, null, p.getValue()));
            } else if (snapshot instanceof GaugeSnapshot g) {
                    header(out, name, snapshot, "gauge");
                    g.getDataPoints().forEach(p -> sample(out, name, p.getLabels(), null, null, p.getValue()));
            } else if (snapshot instanceof HistogramSnapshot h) {
                    header(out, name, snapshot, "histogram");
                    for (HistogramSnapshot.HistogramDataPointSnapshot p : h.getDataPoints()) {
                        ClassicHistogramBuckets buckets = p.getClassicBuckets();
                        long cumulative = 0;
                        for (int i = 0; i < buckets.size(); i++) {
                            cumulative += buckets.getCount(i);
                            sample(out, name + "_bucket", p.getLabels(), "le", le(buckets.getUpperBound(i)), cumulative);
                        }
                        if (buckets.isEmpty() || buckets.getUpperBound(buckets.size() - 1) != Double.POSITIVE_INFINITY) {
                            sample(out, name + "_bucket", p.getLabels(), "le", "+Inf", p.hasCount() ? p.getCount() : cumulative);
                        }
                        sample(out, name + "_count", p.getLabels(), null, null, p.hasCount() ? p.getCount() : cumulative);
                        sample(out, name + "_sum", p.getLabels(), null, null, p.hasSum() ? p.getSum() : 0);
                    }
            } else if (snapshot instanceof SummarySnapshot s) {
                    header(out, name, snapshot, "summary");
                    for (SummarySnapshot.SummaryDataPointSnapshot p : s.getDataPoints()) {
                        for (Quantile q : p.getQuantiles()) {
                            sample(out, name, p.getLabels(), "quantile", le(q.getQuantile()), q.getValue());
                        }
                        sample(out, name + "_count", p.getLabels(), null, null, p.hasCount() ? p.getCount() : 0);
                        sample(out, name + "_sum", p.getLabels(), null, null, p.hasSum() ? p.getSum() : 0);
                    }
            } else if (snapshot instanceof InfoSnapshot i) {
                    header(out, name + "_info", snapshot, "gauge");
                    i.getDataPoints().forEach(p -> sample(out, name + "_info", p.getLabels(), null, null, 1));
            } else if (snapshot instanceof StateSetSnapshot s) {
                    header(out, name, snapshot, "gauge");
                    for (StateSetSnapshot.StateSetDataPointSnapshot p : s.getDataPoints()) {
                        for (int j = 0; j < p.size(); j++) {
                            sample(out, name, p.getLabels(), name, p.getName(j), p.isTrue(j) ? 1 : 0);
                        }
                    }
            } else if (snapshot instanceof UnknownSnapshot u) {
                    header(out, name, snapshot, "untyped");
                    u.getDataPoints().forEach(p -> sample(out, name, p.getLabels(), null, null, p.getValue()));
            }
        }
        return out.toString();
    }

    /** Prometheus name of a counter (as the registry's snapshot calls it) -> the name Istio exports it under. */
    private static Map<String, String> counterNames(PrometheusMeterRegistry registry) {
        Map<String, String> names = new HashMap<>();
        for (Meter meter : registry.getMeters()) {
            Meter.Type type = meter.getId().getType();
            String original = meter.getId().getName();
            if ((type == Meter.Type.COUNTER) && !original.contains(".")) {
                String base = original.endsWith("_total") ? original.substring(0, original.length() - 6) : original;
                names.put(base, original);
            }
        }
        return names;
    }

    private static void header(StringBuilder out, String name, MetricSnapshot snapshot, String type) {
        String help = snapshot.getMetadata().getHelp();
        out.append("# HELP ").append(name).append(' ')
                .append(escapeHelp(help == null || help.isBlank() ? name : help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, Labels labels, String extraName, String extraValue,
                               double value) {
        out.append(name);
        if (!labels.isEmpty() || extraName != null) {
            out.append('{');
            boolean first = true;
            for (Label label : labels) {
                out.append(first ? "" : ",").append(label.getName()).append("=\"").append(escapeLabel(label.getValue()))
                        .append('"');
                first = false;
            }
            if (extraName != null) {
                out.append(first ? "" : ",").append(extraName).append("=\"").append(escapeLabel(extraValue)).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
    }

    private static String le(double bound) {
        return bound == Double.POSITIVE_INFINITY ? "+Inf" : number(bound);
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
