package dev.mizzen.bench.load;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one load run, printed as a table and as JSON from the same list, so both always agree.
 *
 * @param converged    every proxy converged in the connect storm and every measured change arrived
 * @param nacks        NACKs sent by simulated proxies plus those istiod counted (never expected)
 * @param streamErrors streams that failed while the run still needed them
 * @param problems     the first NACK and stream-failure reasons
 */
public record LoadReport(List<Figure> figures, boolean converged, int nacks, int streamErrors, List<String> problems) {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public LoadReport {
        figures = List.copyOf(figures);
        problems = List.copyOf(problems);
    }

    /** A Markdown table: figure, value, target, met. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("| figure | value | target | met |\n|---|---|---|---|\n");
        for (Figure f : figures) {
            out.append("| ").append(f.label()).append(" | ").append(f.shown()).append(" | ")
                    .append(f.target()).append(" | ")
                    .append(f.met() == null ? "" : f.met() ? "yes" : "NO").append(" |\n");
        }
        return out.toString();
    }

    /** The figures by key, each with its target where it has one. */
    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> targets = new LinkedHashMap<>();
        for (Figure f : figures) {
            values.put(f.key(), f.value());
            if (f.met() != null) {
                targets.put(f.key(), Map.of("target", f.target(), "met", f.met()));
            }
        }
        root.put("figures", values);
        root.put("targets", targets);
        root.put("converged", converged);
        root.put("nacks", nacks);
        root.put("streamErrors", streamErrors);
        root.put("problems", problems);
        return JSON.writeValueAsString(root);
    }
}
