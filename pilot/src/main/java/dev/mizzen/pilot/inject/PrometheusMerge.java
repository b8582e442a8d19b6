package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Istio's metrics merging: the pod's prometheus.io annotations are pointed at the agent
 * ({@code :15020/stats/prometheus}), which serves Envoy's metrics merged with the app's; the app's own
 * scrape settings move into the sidecar's ISTIO_PROMETHEUS_ANNOTATIONS. Skipped when the pod sets
 * prometheus.io/scrape false, or merging is off (prometheus.istio.io/merge-metrics, mesh enablePrometheusMerge).
 * Annotation names are compared as Prometheus sanitizes them ({@code prometheus.io/scrape} and
 * {@code prometheus-io/scrape} are the same).
 */
final class PrometheusMerge {
    private static final String SCRAPE = "prometheus_io_scrape";
    private static final String PORT = "prometheus_io_port";
    private static final String PATH = "prometheus_io_path";

    private PrometheusMerge() {
    }

    static void apply(ObjectNode pod, ObjectNode sidecar, JsonNode meshConfig, int statusPort) {
        ObjectNode annotations = Trees.objOrCreate(Trees.objOrCreate(pod, "metadata"), "annotations");
        Map<String, String> current = Trees.stringMap(annotations);
        if (!scrape(current) || !enabled(current, meshConfig)) {
            return;
        }
        String target = Integer.toString(statusPort);
        String port = find(current, PORT);
        if (target.equals(port)) {
            return; // already pointed at the agent: the user's choice, or an earlier injection
        }
        String scrape = find(current, SCRAPE);
        String path = find(current, PATH);
        if (sidecar != null && (scrape != null || path != null || port != null)) {
            ObjectNode config = Trees.object();
            config.put("scrape", scrape == null ? "" : scrape);
            config.put("path", path == null ? "" : path);
            config.put("port", port == null ? "" : port);
            ObjectNode env = Trees.arrOrCreate(sidecar, "env").addObject();
            env.put("name", "ISTIO_PROMETHEUS_ANNOTATIONS");
            env.put("value", GoJson.write(config));
        }
        List<String> remove = new ArrayList<>();
        for (String key : current.keySet()) {
            String s = sanitize(key);
            if (s.equals(SCRAPE) || s.equals(PORT) || s.equals(PATH)) {
                remove.add(key);
            }
        }
        remove.forEach(annotations::remove);
        annotations.put("prometheus.io/port", target);
        annotations.put("prometheus.io/path", "/stats/prometheus");
        annotations.put("prometheus.io/scrape", "true");
    }

    private static boolean scrape(Map<String, String> annotations) {
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            if (sanitize(e.getKey()).equals(SCRAPE)) {
                Boolean b = GoBool.parse(e.getValue());
                if (b != null) {
                    return b;
                }
            }
        }
        return true;
    }

    private static boolean enabled(Map<String, String> annotations, JsonNode meshConfig) {
        Boolean fromPod = GoBool.parse(annotations.get(Annotations.PROMETHEUS_MERGE));
        if (fromPod != null) {
            return fromPod;
        }
        JsonNode mesh = meshConfig.get("enablePrometheusMerge");
        return mesh == null || mesh.isNull() || mesh.asBoolean(true);
    }

    private static String find(Map<String, String> annotations, String sanitized) {
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            if (sanitize(e.getKey()).equals(sanitized)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Prometheus' label-name sanitizing: anything but letters, digits and _ becomes _. */
    private static String sanitize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            out.append(keep ? c : '_');
        }
        return out.toString();
    }
}
