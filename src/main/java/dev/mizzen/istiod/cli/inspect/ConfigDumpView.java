package dev.mizzen.istiod.cli.inspect;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The resources of an Envoy admin config dump (istiod's {@code /debug/config_dump}, protobuf JSON), by kind, in
 * istioctl's order: clusters and endpoints by service, then subset, port and direction; listeners by port, then
 * address; routes by name. Read-only over the parsed JSON.
 */
record ConfigDumpView(JsonNode dump) {
    static final String TYPE_PREFIX = "type.googleapis.com/envoy.admin.v3.";

    List<JsonNode> clusters() {
        List<JsonNode> out = new ArrayList<>();
        section("ClustersConfigDump").path("dynamicActiveClusters").forEach(c -> add(out, c.path("cluster")));
        section("ClustersConfigDump").path("staticClusters").forEach(c -> add(out, c.path("cluster")));
        out.sort(Comparator.comparing(c -> ClusterName.of(c.path("name").asString(""))));
        return out;
    }

    List<JsonNode> listeners() {
        List<JsonNode> out = new ArrayList<>();
        section("ListenersConfigDump").path("dynamicListeners").forEach(l -> add(out, l.path("activeState").path("listener")));
        section("ListenersConfigDump").path("staticListeners").forEach(l -> add(out, l.path("listener")));
        return out;
    }

    List<JsonNode> routes() {
        List<JsonNode> out = new ArrayList<>();
        section("RoutesConfigDump").path("dynamicRouteConfigs").forEach(r -> add(out, r.path("routeConfig")));
        section("RoutesConfigDump").path("staticRouteConfigs").forEach(r -> add(out, r.path("routeConfig")));
        out.sort(Comparator.comparing(r -> r.path("name").asString("")));
        return out;
    }

    List<JsonNode> endpoints() {
        List<JsonNode> out = new ArrayList<>();
        section("EndpointsConfigDump").path("dynamicEndpointConfigs").forEach(e -> add(out, e.path("endpointConfig")));
        section("EndpointsConfigDump").path("staticEndpointConfigs").forEach(e -> add(out, e.path("endpointConfig")));
        out.sort(Comparator.comparing(e -> ClusterName.of(e.path("clusterName").asString(""))));
        return out;
    }

    /** The secrets section as istiod dumped it (its private keys already redacted by istiod). */
    JsonNode secretsSection() {
        return section("SecretsConfigDump");
    }

    List<JsonNode> secrets() {
        List<JsonNode> out = new ArrayList<>();
        section("SecretsConfigDump").path("dynamicActiveSecrets").forEach(out::add);
        return out;
    }

    private JsonNode section(String type) {
        for (JsonNode config : dump.path("configs")) {
            if ((TYPE_PREFIX + type).equals(config.path("@type").asString(""))) {
                return config;
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    /** A resource as istioctl prints it: the message itself, without the {@code @type} of the Any it came in. */
    private static void add(List<JsonNode> out, JsonNode resource) {
        if (resource.isObject()) {
            ObjectNode copy = ((ObjectNode) resource).deepCopy();
            copy.remove("@type");
            out.add(copy);
        }
    }

    /**
     * Istio's cluster names {@code direction|port|subset|fqdn} ({@code model.ParseSubsetKey}), with istioctl's
     * order; other names sort as a service name with no port.
     */
    record ClusterName(String direction, int port, String subset, String fqdn) implements Comparable<ClusterName> {
        static ClusterName of(String name) {
            String[] parts = name.split("\\|", -1);
            if (parts.length > 3) {
                int port;
                try {
                    port = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    port = 0;
                }
                return new ClusterName(parts[0], port, parts[2], parts[3]);
            }
            return new ClusterName("", 0, "", name);
        }

        boolean istio() {
            return !direction.isEmpty();
        }

        @Override
        public int compareTo(ClusterName o) {
            return Comparator.comparing(ClusterName::fqdn).thenComparing(ClusterName::subset)
                    .thenComparingInt(ClusterName::port).thenComparing(ClusterName::direction).compare(this, o);
        }
    }
}
