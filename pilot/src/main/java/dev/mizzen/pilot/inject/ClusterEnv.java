package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * The sidecar's cluster and network identity (ISTIO_META_CLUSTER_ID, ISTIO_META_NETWORK) set last, whatever
 * the template wrote, so the pod's topology.istio.io/network label overrides the mesh-wide network. Same
 * placement as Istio: removed where they were, appended in name order.
 */
final class ClusterEnv {
    private ClusterEnv() {
    }

    static void apply(ObjectNode sidecar, Map<String, String> env) {
        ArrayNode list = Trees.arrOrCreate(sidecar, "env");
        for (int i = list.size() - 1; i >= 0; i--) {
            JsonNode item = list.get(i);
            if (item instanceof ObjectNode o && env.containsKey(Trees.text(o, "name"))) {
                list.remove(i);
            }
        }
        env.forEach((name, value) -> list.addObject().put("name", name).put("value", value));
    }
}
