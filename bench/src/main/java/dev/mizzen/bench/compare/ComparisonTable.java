package dev.mizzen.bench.compare;

import dev.mizzen.bench.load.Figure;
import dev.mizzen.bench.load.LoadReport;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The two runs side by side: per figure Mizzen's value, istiod's, and the ratio Mizzen / istiod (below 1: Mizzen
 * uses less or is faster), held against the targets where it sets one. Every row is printed, also those
 * Mizzen loses. Pure.
 */
public final class ComparisonTable {
    /**
     * One row.
     *
     * @param maxRatio the target: Mizzen / istiod at most this; 0 for none
     */
    public record Row(String key, String label, double maxRatio) {
    }

    public static final List<Row> ROWS = List.of(
            new Row("storm.seconds", "connect storm: all proxies converged", 1),
            new Row("storm.p50Seconds", "connect storm: half converged", 0),
            new Row("storm.serverCpuSeconds", "connect storm: server CPU", 0),
            new Row("warmStorm.seconds", "reconnect storm, server warm: all proxies converged", 1),
            new Row("warmStorm.serverCpuSeconds", "reconnect storm: server CPU", 0),
            new Row("config.serverCpuSeconds", "CPU per full push (VirtualService edit, median)", 0.5),
            new Row("config.serverJitSeconds", "... of which JIT compiler threads (a JVM's warm-up; 0 for Go)", 0),
            new Row("config.seconds", "VirtualService edit -> all proxies ACKed (median)", 0),
            new Row("server.heapPerProxyKiB", "server memory per proxy (live heap after GC)", 0.5),
            new Row("server.rssPerProxyKiB", "server RSS per proxy", 0),
            new Row("server.heapIdleMiB", "server live heap, mesh loaded, no proxies", 0),
            new Row("server.rssIdleMiB", "server RSS, mesh loaded, no proxies", 0),
            new Row("server.rssConnectedMiB", "server RSS, all proxies connected", 0),
            new Row("churn.p50Ms", "endpoint change -> all affected ACKed, p50", 0),
            new Row("churn.p99Ms", "endpoint change -> all affected ACKed, p99", 1),
            new Row("churn.serverCpuMsPerChange", "CPU per endpoint change", 0),
            new Row("churn.serverJitMsPerChange", "... of which JIT compiler threads", 0),
            new Row("storm.bytesPerProxyKiB", "connect storm: bytes accepted per proxy", 0));

    private ComparisonTable() {
    }

    static String render(LoadReport mizzen, LoadReport istiod) {
        Map<String, Figure> m = byKey(mizzen);
        Map<String, Figure> i = byKey(istiod);
        StringBuilder out = new StringBuilder();
        out.append("| figure | Mizzen | istiod | Mizzen / istiod | target | met |\n|---|---|---|---|---|---|\n");
        for (String key : List.of("run.shape", "run.proxies", "storm.config", "run.loadAverage",
                "setup.writeSeconds", "setup.caughtUpSeconds", "storm.refused")) {
            out.append("| ").append(Optional.ofNullable(m.get(key)).map(Figure::label).orElse(key)).append(" | ")
                    .append(shown(m, key)).append(" | ").append(shown(i, key)).append(" |  |  |  |\n");
        }
        for (Row row : ROWS) {
            Optional<Double> ratio = ratio(m.get(row.key()), i.get(row.key()));
            String target = row.maxRatio() > 0 ? String.format(Locale.ROOT, "<= %s x", trim(row.maxRatio())) : "";
            String met = row.maxRatio() <= 0 ? "" : ratio.map(r -> r <= row.maxRatio() ? "yes" : "NO").orElse("NO");
            out.append("| ").append(row.label()).append(" | ").append(shown(m, row.key())).append(" | ")
                    .append(shown(i, row.key())).append(" | ")
                    .append(ratio.map(r -> String.format(Locale.ROOT, "%.2f x", r)).orElse("n/a")).append(" | ")
                    .append(target).append(" | ").append(met).append(" |\n");
        }
        out.append("| NACKs / stream errors | ").append(mizzen.nacks()).append(" / ").append(mizzen.streamErrors())
                .append(" | ").append(istiod.nacks()).append(" / ").append(istiod.streamErrors()).append(" |  |  |  |\n");
        out.append("| every proxy converged, every change arrived | ").append(mizzen.converged() ? "yes" : "NO")
                .append(" | ").append(istiod.converged() ? "yes" : "NO").append(" |  |  |  |\n");
        return out.toString();
    }

    /** Mizzen / istiod, where both were measured (negative values mean "not measured") and istiod's is not zero. */
    static Optional<Double> ratio(Figure mizzen, Figure istiod) {
        if (mizzen == null || istiod == null || !(mizzen.value() instanceof Number a)
                || !(istiod.value() instanceof Number b)) {
            return Optional.empty();
        }
        if (a.doubleValue() < 0 || b.doubleValue() <= 0) {
            return Optional.empty();
        }
        return Optional.of(a.doubleValue() / b.doubleValue());
    }

    private static String shown(Map<String, Figure> figures, String key) {
        Figure f = figures.get(key);
        return f == null ? "missing" : f.shown();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static Map<String, Figure> byKey(LoadReport report) {
        return report.figures().stream().collect(Collectors.toMap(Figure::key, Function.identity(), (a, b) -> a));
    }
}
