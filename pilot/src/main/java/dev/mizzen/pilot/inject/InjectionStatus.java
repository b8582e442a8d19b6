package dev.mizzen.pilot.inject;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sidecar.istio.io/status annotation: what the templates added (init containers, containers, volumes,
 * image pull secrets) and the revision, as Istio writes it (Go JSON, {@code null} for an empty list). Its
 * presence marks a pod as injected.
 */
final class InjectionStatus {
    private InjectionStatus() {
    }

    static String of(ObjectNode templatePod, String revision) {
        ObjectNode spec = Trees.obj(templatePod, "spec");
        return "{\"initContainers\":" + names(Trees.arr(spec, "initContainers"))
                + ",\"containers\":" + names(Trees.arr(spec, "containers"))
                + ",\"volumes\":" + names(Trees.arr(spec, "volumes"))
                + ",\"imagePullSecrets\":" + names(Trees.arr(spec, "imagePullSecrets"))
                + ",\"revision\":" + GoJson.quote(revision) + "}";
    }

    private static String names(ArrayNode items) {
        if (items == null || items.isEmpty()) {
            return "null";
        }
        StringBuilder out = new StringBuilder("[");
        for (ObjectNode item : Trees.objects(items)) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(GoJson.quote(Trees.text(item, "name")));
        }
        return out.append(']').toString();
    }
}
