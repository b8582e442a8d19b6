package dev.mizzen.pilot.inject;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' strategic merge patch for Pods, the subset injection needs: objects merge key by key; lists whose
 * Go field declares a patch merge key (containers and volumes by name, env by name, volumeMounts by mountPath,
 * ports by containerPort, ...) merge item by item and are ordered as Kubernetes orders them
 * ({@link #mergeList}); every other list is replaced. One deliberate difference: a null in the patch is ignored rather than
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

    /**
     * Merges a keyed list as Kubernetes does (mergeSlice, then normalizeElementOrder): patch items merge into the
     * items with the same key or are added; then the patch's items, in patch order, are interleaved with the
     * items only the original has, in original order: a patch item that was in the original keeps its place
     * relative to them, a new one goes before the original items still to come.
     */
    private static void mergeList(ArrayNode list, ArrayNode patch, ListRule rule) {
        String key = rule.mergeKey();
        List<JsonNode> serverOrder = new ArrayList<>();
        list.forEach(serverOrder::add);
        List<JsonNode> merged = new ArrayList<>(serverOrder);
        List<JsonNode> patchItems = new ArrayList<>();
        for (JsonNode item : patch) {
            if (!(item instanceof ObjectNode patchItem) || !patchItem.has(key)) {
                JsonNode added = withoutNulls(item);
                merged.add(added);
                patchItems.add(added);
                continue;
            }
            ObjectNode match = find(merged, key, patchItem.get(key));
            if (match != null) {
                merge(match, patchItem, rule.items());
                if (patchItems.stream().noneMatch(x -> x == match)) {
                    patchItems.add(match);
                }
            } else {
                JsonNode added = withoutNulls(patchItem);
                merged.add(added);
                patchItems.add(added);
            }
        }
        List<JsonNode> serverOnly = new ArrayList<>();
        for (JsonNode item : merged) {
            if (patchItems.stream().noneMatch(x -> x == item)) {
                serverOnly.add(item);
            }
        }
        list.removeAll();
        int i = 0;
        int j = 0;
        while (i < serverOnly.size() || j < patchItems.size()) {
            if (j >= patchItems.size()) {
                list.add(serverOnly.get(i++));
            } else if (i >= serverOnly.size()) {
                list.add(patchItems.get(j++));
            } else {
                int li = index(serverOrder, serverOnly.get(i), key);
                int ri = index(serverOrder, patchItems.get(j), key);
                list.add(li >= 0 && ri >= 0 && li < ri ? serverOnly.get(i++) : patchItems.get(j++));
            }
        }
    }

    private static int index(List<JsonNode> order, JsonNode item, String key) {
        JsonNode value = item.get(key);
        for (int i = 0; value != null && i < order.size(); i++) {
            if (value.equals(order.get(i).get(key))) {
                return i;
            }
        }
        return -1;
    }

    private static ObjectNode find(List<JsonNode> list, String key, JsonNode value) {
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
