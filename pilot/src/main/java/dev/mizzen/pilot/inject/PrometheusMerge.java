package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Istio's metrics merging: the pod's prometheus.io annotations are pointed at the agent
 * ({@code :15020/stats/prometheus}), which serves Envoy's metrics merged with the app's; the app's own
 * scrape settings move into the sidecar's ISTIO_PROMETHEUS_ANNOTATIONS. Skipped when the pod sets
 * prometheus.io/scrape false, or merging is off (prometheus.istio.io/merge-metrics, mesh enablePrometheusMerge).
 * Several app endpoints go in prometheus.istio.io/scrape-targets ({@code port:path,...}, path /metrics by
 * default): the first also fills the legacy port and path for older agents. A target or legacy port that is not
 * a port, is the agent's own or one Istio's data plane reserves is refused, as Istio refuses it. Annotation names
 * are compared as Prometheus sanitizes them ({@code prometheus.io/scrape} and {@code prometheus-io/scrape} are
 * the same). Also Istio's secure-port annotation: a sidecar with ENVOY_SECURE_MERGED_METRICS_PORT gets
 * prometheus.istio.io/secure-port unless the pod sets it.
 */
final class PrometheusMerge {
    private static final String SCRAPE = "prometheus_io_scrape";
    private static final String PORT = "prometheus_io_port";
    private static final String PATH = "prometheus_io_path";
    private static final String TARGETS = "prometheus_istio_io_scrape_targets";
    private static final String SECURE_PORT = "prometheus_istio_io_secure_port";

    /** Data-plane ports of Istio's sidecar and agent, which no scrape target may name (Istio's list and reasons). */
    private static final Map<String, String> RESERVED = Map.of("15000", "Envoy admin",
            "15001", "outbound traffic capture", "15004", "pilot debug", "15006", "inbound traffic capture",
            "15008", "HBONE tunnel", "15020", "pilot-agent status / merged Prometheus", "15021", "Envoy health",
            "15053", "DNS proxy", "15090", "Envoy Prometheus (already merged)");

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
        String targetsText = find(current, TARGETS);
        List<String[]> targets = targetsText == null ? List.of() : targets(targetsText);
        if (!targets.isEmpty()) {
            port = targets.get(0)[0];
            path = targets.get(0)[1];
            for (String[] t : targets) {
                check("invalid prometheus scrape targets: ", "target port", t[0], target);
            }
        } else if (port != null && !port.isEmpty()) {
            check("invalid prometheus scrape configuration: ", "port", port, target);
        }
        if (sidecar != null && (scrape != null || path != null || port != null || !targets.isEmpty())) {
            ObjectNode config = Trees.object();
            config.put("scrape", scrape == null ? "" : scrape);
            config.put("path", path == null ? "" : path);
            config.put("port", port == null ? "" : port);
            if (!targets.isEmpty()) {
                ArrayNode list = config.putArray("targets");
                targets.forEach(t -> list.addObject().put("port", t[0]).put("path", t[1]));
            }
            ObjectNode env = Trees.arrOrCreate(sidecar, "env").addObject();
            env.put("name", "ISTIO_PROMETHEUS_ANNOTATIONS");
            env.put("value", GoJson.write(config));
        }
        List<String> remove = new ArrayList<>();
        for (String key : current.keySet()) {
            String s = sanitize(key);
            if (s.equals(SCRAPE) || s.equals(PORT) || s.equals(PATH) || s.equals(TARGETS)) {
                remove.add(key);
            }
        }
        remove.forEach(annotations::remove);
        annotations.put("prometheus.io/port", target);
        annotations.put("prometheus.io/path", "/stats/prometheus");
        annotations.put("prometheus.io/scrape", "true");
    }

    /** Clears the scrape annotations when they already point at the agent's {@code statusPort} (re-injection). */
    static void clearIfAtAgent(ObjectNode annotations, int statusPort) {
        Map<String, String> current = Trees.stringMap(annotations);
        if (!Integer.toString(statusPort).equals(find(current, PORT))) {
            return;
        }
        for (String key : current.keySet()) {
            String s = sanitize(key);
            if (s.equals(SCRAPE) || s.equals(PORT) || s.equals(PATH) || s.equals(TARGETS)) {
                annotations.remove(key);
            }
        }
    }

    /** Istio's ParseScrapeTargets: {@code port:path} pairs, path /metrics when empty; a target without port fails. */
    static List<String[]> targets(String text) {
        List<String[]> out = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            entry = entry.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String port = (colon < 0 ? entry : entry.substring(0, colon)).trim();
            String path = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (port.isEmpty()) {
                return List.of(); // Istio logs the parse error and ignores the annotation
            }
            out.add(new String[]{port, path.isEmpty() ? "/metrics" : path});
        }
        return out;
    }

    private static void check(String prefix, String what, String port, String agentPort) {
        int n;
        try {
            n = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > 65535) {
            throw new IllegalArgumentException(prefix + "invalid " + what + " \"" + port + "\"");
        }
        String canonical = Integer.toString(n);
        if (canonical.equals(agentPort)) {
            throw new IllegalArgumentException(prefix + what + " " + port + " conflicts with agent port");
        }
        if (RESERVED.containsKey(canonical)) {
            throw new IllegalArgumentException(prefix + what + " " + port + " is reserved for Istio ("
                    + RESERVED.get(canonical) + ") and cannot be scraped");
        }
    }

    /** prometheus.istio.io/secure-port from the sidecar's ENVOY_SECURE_MERGED_METRICS_PORT, unless the pod sets it. */
    static void applySecurePort(ObjectNode pod, ObjectNode sidecar) {
        ObjectNode annotations = Trees.objOrCreate(Trees.objOrCreate(pod, "metadata"), "annotations");
        if (sidecar == null || find(Trees.stringMap(annotations), SECURE_PORT) != null) {
            return;
        }
        for (ObjectNode env : Trees.objects(Trees.arr(sidecar, "env"))) {
            String value = Trees.text(env, "value");
            if ("ENVOY_SECURE_MERGED_METRICS_PORT".equals(Trees.text(env, "name")) && !value.isEmpty()
                    && !value.equals("0")) {
                annotations.put("prometheus.istio.io/secure-port", value);
                return;
            }
        }
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
