package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shape checks on both ends of injection: the pod that comes in must be one we can read (so a malformed object
 * is a clear denial, not an exception deep in a template), and the pod that goes out must still be a pod
 * Kubernetes will run (unique container names, every mount backed by a volume), so a bad template or setting
 * never yields a broken pod.
 */
final class PodChecks {
    private PodChecks() {
    }

    /** Problems that make the input unreadable as a pod; empty when it is fine. */
    static List<String> input(JsonNode pod) {
        List<String> errors = new ArrayList<>();
        if (!(pod instanceof ObjectNode)) {
            errors.add("the object is not a JSON object");
            return errors;
        }
        JsonNode meta = pod.get("metadata");
        if (meta != null && !meta.isNull() && !meta.isObject()) {
            errors.add("metadata is not an object");
        } else if (meta != null) {
            for (String field : new String[]{"labels", "annotations"}) {
                JsonNode m = meta.get(field);
                if (m != null && !m.isNull() && !m.isObject()) {
                    errors.add("metadata." + field + " is not an object");
                } else if (m != null) {
                    m.properties().forEach(e -> {
                        if (!e.getValue().isString()) {
                            errors.add("metadata." + field + "['" + e.getKey() + "'] is not a string");
                        }
                    });
                }
            }
        }
        JsonNode spec = pod.get("spec");
        if (!(spec instanceof ObjectNode)) {
            errors.add("the pod has no spec");
            return errors;
        }
        JsonNode containers = spec.get("containers");
        if (containers == null || !containers.isArray() || containers.isEmpty()) {
            errors.add("the pod has no containers");
        }
        for (String list : new String[]{"containers", "initContainers"}) {
            JsonNode items = spec.get(list);
            if (items == null || items.isNull()) {
                continue;
            }
            if (!items.isArray()) {
                errors.add("spec." + list + " is not a list");
                continue;
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode c = items.get(i);
                if (!c.isObject() || !c.path("name").isString() || c.path("name").asString().isEmpty()) {
                    errors.add("spec." + list + "[" + i + "] has no name");
                } else if (c.has("ports") && !c.get("ports").isArray()) {
                    errors.add("spec." + list + "[" + i + "].ports is not a list");
                }
            }
        }
        JsonNode volumes = spec.get("volumes");
        if (volumes != null && !volumes.isNull() && !volumes.isArray()) {
            errors.add("spec.volumes is not a list");
        }
        return errors;
    }

    /**
     * Problems that would make Kubernetes refuse (or fail to start) the injected pod; empty when it is fine.
     * Images and mounts are checked on the containers the templates touched ({@code injected}), the rest
     * being the user's.
     */
    static List<String> output(ObjectNode pod, Set<String> injected) {
        List<String> errors = new ArrayList<>();
        ObjectNode spec = Trees.obj(pod, "spec");
        Set<String> volumes = new HashSet<>();
        for (ObjectNode v : Trees.objects(Trees.arr(spec, "volumes"))) {
            if (!volumes.add(Trees.text(v, "name"))) {
                errors.add("volume " + Trees.text(v, "name") + " is defined twice");
            }
        }
        Set<String> names = new HashSet<>();
        for (String list : new String[]{"initContainers", "containers"}) {
            for (ObjectNode c : Trees.objects(Trees.arr(spec, list))) {
                String name = Trees.text(c, "name");
                if (!names.add(name)) {
                    errors.add("container " + name + " is defined twice");
                }
                if (!injected.contains(name)) {
                    continue;
                }
                if (Trees.text(c, "image").isEmpty()) {
                    errors.add("container " + name + " has no image");
                }
                for (ObjectNode m : Trees.objects(Trees.arr(c, "volumeMounts"))) {
                    if (!volumes.contains(Trees.text(m, "name"))) {
                        errors.add("container " + name + " mounts volume " + Trees.text(m, "name")
                                + ", which the pod does not define");
                    }
                }
            }
        }
        return errors;
    }
}
