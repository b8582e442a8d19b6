package dev.mizzen.pilot.inject;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Injecting a pod that was injected before, as Istio does (stripPod, reinsertOverrides): the templates see the
 * pod as it was before the earlier injection (the containers its sidecar.istio.io/status lists removed, metrics
 * annotations that point at the agent cleared, the status annotation gone, the user's overrides from
 * proxy.istio.io/overrides put back), while the result is merged onto the pod as it is, so the earlier
 * sidecar is updated in place. Injecting the output again gives the same pod.
 *
 * @param containers     containers the earlier injection added (sidecar.istio.io/status)
 * @param initContainers init containers it added
 */
record Reinjection(Set<String> containers, Set<String> initContainers) {
    /** The earlier injection's record, or null when the pod carries no readable status annotation. */
    static Reinjection of(Map<String, String> annotations) {
        String status = annotations.get(Annotations.STATUS);
        if (status == null) {
            return null;
        }
        try {
            JsonNode node = Trees.JSON.readTree(status);
            if (!node.isObject()) {
                return null;
            }
            return new Reinjection(names(node.get("containers")), names(node.get("initContainers")));
        } catch (JacksonException e) {
            return null;
        }
    }

    private static Set<String> names(JsonNode list) {
        Set<String> out = new LinkedHashSet<>();
        if (list != null && list.isArray()) {
            list.forEach(n -> out.add(n.asString("")));
        }
        return out;
    }

    /** The pod the templates see: a copy without what the earlier injection added. */
    ObjectNode strip(ObjectNode pod, int meshStatusPort) {
        ObjectNode out = pod.deepCopy();
        ObjectNode spec = Trees.obj(out, "spec");
        remove(Trees.arr(spec, "containers"), containers);
        remove(Trees.arr(spec, "initContainers"), initContainers);
        ObjectNode annotations = Trees.obj(Trees.obj(out, "metadata"), "annotations");
        if (annotations != null) {
            PrometheusMerge.clearIfAtAgent(annotations, meshStatusPort);
            annotations.remove(Annotations.STATUS);
        }
        return out;
    }

    private static void remove(ArrayNode list, Set<String> names) {
        for (int i = list == null ? -1 : list.size() - 1; i >= 0; i--) {
            if (names.contains(Trees.text(list.get(i), "name"))) {
                list.remove(i);
            }
        }
    }

    /**
     * The containers of proxy.istio.io/overrides that the pod no longer has, added back (a copy), so a template
     * that customizes a user's container sees it again after the strip.
     */
    static ObjectNode reinsertOverrides(ObjectNode pod) {
        JsonNode overrides = ContainerOverrides.recordedOverrides(pod);
        if (overrides == null) {
            return pod;
        }
        ObjectNode out = pod.deepCopy();
        ObjectNode spec = Trees.objOrCreate(out, "spec");
        for (String list : new String[]{"containers", "initContainers"}) {
            for (ObjectNode c : Trees.objects(Trees.arr(overrides, list))) {
                if (Trees.named(Trees.arr(spec, list), Trees.text(c, "name")) == null) {
                    Trees.arrOrCreate(spec, list).add(c.deepCopy());
                }
            }
        }
        return out;
    }
}
