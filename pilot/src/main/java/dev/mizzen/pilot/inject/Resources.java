package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the resource quantities of injected containers in canonical form ({@code 2000m} as {@code 2}), as
 * Kubernetes stores them and Istio's output shows them; a value that is not a quantity is an error rather
 * than a pod the apiserver refuses.
 */
final class Resources {
    private Resources() {
    }

    /** Canonicalizes in place the requests and limits of the named containers; returns the problems found. */
    static List<String> canonicalize(ObjectNode pod, Set<String> containers) {
        List<String> errors = new ArrayList<>();
        ObjectNode spec = Trees.obj(pod, "spec");
        for (String list : new String[]{"initContainers", "containers"}) {
            for (ObjectNode c : Trees.objects(Trees.arr(spec, list))) {
                if (!containers.contains(Trees.text(c, "name"))) {
                    continue;
                }
                errors.addAll(canonicalize(c));
            }
        }
        return errors;
    }

    /** Canonicalizes one container's requests and limits in place; returns the problems found. */
    static List<String> canonicalize(ObjectNode c) {
        List<String> errors = new ArrayList<>();
        ObjectNode resources = Trees.obj(c, "resources");
        for (String kind : new String[]{"requests", "limits"}) {
            ObjectNode amounts = Trees.obj(resources, kind);
            if (amounts == null) {
                continue;
            }
            for (Map.Entry<String, JsonNode> e : amounts.properties()) {
                JsonNode v = e.getValue();
                String text = v.isNumber() ? v.asString() : v.asString("");
                try {
                    e.setValue(Trees.NODES.stringNode(Quantity.parse(text).canonical()));
                } catch (IllegalArgumentException ex) {
                    errors.add("container " + Trees.text(c, "name") + " resources." + kind + "."
                            + e.getKey() + ": " + ex.getMessage());
                }
            }
        }
        return errors;
    }
}
