package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * Kubernetes' strategic merge patch for Pods, the subset injection needs: objects merge key by key; lists whose
 * Go field declares a patch merge key (containers and volumes by name, env by name, volumeMounts by mountPath,
 * ports by containerPort, ...) merge item by item, items of the patch that are new being appended in order;
 * every other list is replaced. One deliberate difference: a null in the patch is ignored rather than
 * deleting the field, so a template can add and change but never remove what the user wrote.
 */
final class StrategicMerge {
    private enum Kind { POD, META, POD_SPEC, CONTAINER, OTHER }

    private record ListRule(String mergeKey, Kind items) {
    }

    private static final Map<Kind, Map<String, ListRule>> LISTS = Map.of(
            Kind.META, Map.of("ownerReferences", new ListRule("uid", Kind.OTHER)),
            Kind.POD_SPEC, Map.of(
                    "containers", new ListRule("name", Kind.CONTAINER),
                    "initContainers", new ListRule("name", Kind.CONTAINER),
                    "ephemeralContainers", new ListRule("name", Kind.CONTAINER),
                    "volumes", new ListRule("name", Kind.OTHER),
                    "imagePullSecrets", new ListRule("name", Kind.OTHER),
                    "hostAliases", new ListRule("ip", Kind.OTHER),
                    "resourceClaims", new ListRule("name", Kind.OTHER),
                    "schedulingGates", new ListRule("name", Kind.OTHER)),
            Kind.CONTAINER, Map.of(
                    "env", new ListRule("name", Kind.OTHER),
                    "ports", new ListRule("containerPort", Kind.OTHER),
                    "volumeMounts", new ListRule("mountPath", Kind.OTHER),
                    "volumeDevices", new ListRule("devicePath", Kind.OTHER),
                    "resizePolicy", new ListRule("resourceName", Kind.OTHER)));

    private static final Map<Kind, Map<String, Kind>> CHILDREN = Map.of(
            Kind.POD, Map.of("metadata", Kind.META, "spec", Kind.POD_SPEC));

    private StrategicMerge() {
    }

    /** Merges {@code patch} (a partial pod) into {@code pod}, in place. */
    static void mergePod(ObjectNode pod, ObjectNode patch) {
        merge(pod, patch, Kind.POD);
    }

    /** Merges {@code patch} into the container list {@code field} ("containers", "initContainers") of {@code pod}. */
    static void mergeContainer(ObjectNode pod, String field, ObjectNode container) {
        ObjectNode patch = Trees.object();
        patch.putObject("spec").putArray(field).add(container);
        mergePod(pod, patch);
    }

    private static void merge(ObjectNode target, ObjectNode patch, Kind kind) {
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String field = e.getKey();
            JsonNode value = e.getValue();
            if (value == null || value.isNull()) {
                continue;
            }
            JsonNode current = target.get(field);
            ListRule rule = LISTS.getOrDefault(kind, Map.of()).get(field);
            if (value instanceof ObjectNode patchObject) {
                if (current instanceof ObjectNode currentObject) {
                    merge(currentObject, patchObject, CHILDREN.getOrDefault(kind, Map.of()).getOrDefault(field, Kind.OTHER));
                } else {
                    target.set(field, withoutNulls(patchObject));
                }
            } else if (value instanceof ArrayNode patchList && rule != null && current instanceof ArrayNode list) {
                mergeList(list, patchList, rule);
            } else {
                target.set(field, withoutNulls(value));
            }
        }
    }

    private static void mergeList(ArrayNode list, ArrayNode patch, ListRule rule) {
        for (JsonNode item : patch) {
            if (!(item instanceof ObjectNode patchItem) || !patchItem.has(rule.mergeKey())) {
                list.add(withoutNulls(item));
                continue;
            }
            ObjectNode match = find(list, rule.mergeKey(), patchItem.get(rule.mergeKey()));
            if (match != null) {
                merge(match, patchItem, rule.items());
            } else {
                list.add(withoutNulls(patchItem));
            }
        }
    }

    private static ObjectNode find(ArrayNode list, String key, JsonNode value) {
        for (JsonNode item : list) {
            if (item instanceof ObjectNode o && value.equals(o.get(key))) {
                return o;
            }
        }
        return null;
    }

    /** A copy without null-valued fields (Go's typed decoding drops them: {@code emptyDir:} alone means none). */
    static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode o) {
            ObjectNode out = Trees.object();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (!e.getValue().isNull()) {
                    out.set(e.getKey(), withoutNulls(e.getValue()));
                }
            }
            return out;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = Trees.NODES.arrayNode();
            for (JsonNode item : a) {
                out.add(withoutNulls(item));
            }
            return out;
        }
        return node.deepCopy();
    }

    static List<String> names(ArrayNode containers) {
        return Trees.objects(containers).stream().map(c -> Trees.text(c, "name")).toList();
    }
}
