package dev.mizzen.pilot.inject;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Containers a pod declares under a template container's name (a custom {@code istio-proxy}, or the app
 * containers grpc-agent adds env to) win over the template: after the merge their fields are merged back on
 * top, image {@code auto} meaning "keep the injected image", and they are recorded (image auto left out, as
 * Istio records them) in proxy.istio.io/overrides
 * so a later injection can apply them again. A custom istio-proxy also sets the user id iptables exempts.
 */
final class ContainerOverrides {
    private static final String AUTO_IMAGE = "auto";

    private ContainerOverrides() {
    }

    /**
     * With native sidecars the template's istio-proxy is an init container, while a user customizes it under
     * containers: move it over so the two merge.
     */
    static void moveCustomProxy(ObjectNode pod, ObjectNode templatePod) {
        ObjectNode spec = Trees.obj(pod, "spec");
        ArrayNode containers = Trees.arr(spec, "containers");
        if (Trees.named(Trees.arr(Trees.obj(templatePod, "spec"), "initContainers"), Annotations.PROXY_CONTAINER) == null
                || containers == null) {
            return;
        }
        for (int i = 0; i < containers.size(); i++) {
            if (containers.get(i) instanceof ObjectNode c && Annotations.PROXY_CONTAINER.equals(Trees.text(c, "name"))) {
                containers.remove(i);
                Trees.arrOrCreate(spec, "initContainers").add(c);
                return;
            }
        }
    }

    /**
     * Re-applies the original pod's versions of the template's containers onto {@code merged}: from the pod's
     * recorded proxy.istio.io/overrides first, else from its containers; a container that an earlier injection
     * added (its status annotation lists it) is left to the template, and the overrides are recorded only on a
     * first injection, as Istio does.
     */
    static void reapply(ObjectNode merged, ObjectNode original, ObjectNode templatePod) {
        ObjectNode originalSpec = Trees.obj(original, "spec");
        ObjectNode templateSpec = Trees.obj(templatePod, "spec");
        Reinjection earlier = Reinjection.of(Trees.stringMap(original.path("metadata").path("annotations")));
        JsonNode recorded = recordedOverrides(original);
        ArrayNode containers = Trees.NODES.arrayNode();
        ArrayNode initContainers = Trees.NODES.arrayNode();
        for (ObjectNode c : Trees.objects(Trees.arr(templateSpec, "containers"))) {
            String name = Trees.text(c, "name");
            if (earlier != null && earlier.containers().contains(name)) {
                continue;
            }
            ObjectNode match = Trees.named(Trees.arr(recorded, "containers"), name);
            if (match == null) {
                match = Trees.named(Trees.arr(originalSpec, "containers"), name);
            }
            if (match != null) {
                ObjectNode overlay = overlay(match);
                containers.add(recorded(overlay));
                StrategicMerge.mergeContainer(merged, "containers", overlay.deepCopy());
            }
        }
        for (ObjectNode c : Trees.objects(Trees.arr(templateSpec, "initContainers"))) {
            String name = Trees.text(c, "name");
            if (earlier != null && earlier.initContainers().contains(name)) {
                continue;
            }
            ObjectNode match = Trees.named(Trees.arr(recorded, "initContainers"), name);
            if (match == null) {
                match = Trees.named(Trees.arr(originalSpec, "containers"), name);
            }
            if (match == null) {
                match = Trees.named(Trees.arr(originalSpec, "initContainers"), name);
            }
            if (match != null) {
                ObjectNode overlay = overlay(match);
                initContainers.add(recorded(overlay));
                StrategicMerge.mergeContainer(merged, "initContainers", overlay.deepCopy());
            }
        }
        if (earlier == null && (!containers.isEmpty() || !initContainers.isEmpty())) {
            StringBuilder json = new StringBuilder("{");
            if (!containers.isEmpty()) {
                json.append("\"containers\":");
                list(containers, json);
            }
            if (!initContainers.isEmpty()) {
                json.append(containers.isEmpty() ? "" : ",").append("\"initContainers\":");
                list(initContainers, json);
            }
            json.append('}');
            Trees.objOrCreate(Trees.objOrCreate(merged, "metadata"), "annotations")
                    .put(Annotations.PROXY_OVERRIDES, json.toString());
        }
        adjustInitContainerUser(merged, original);
    }

    private static void list(ArrayNode items, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            GoJson.writeContainer(items.get(i), out);
        }
        out.append(']');
    }

    /** The pod's proxy.istio.io/overrides ({containers, initContainers}), or null when absent or unreadable. */
    static JsonNode recordedOverrides(ObjectNode pod) {
        String text = Trees.text(Trees.obj(Trees.obj(pod, "metadata"), "annotations"), Annotations.PROXY_OVERRIDES);
        if (text.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = Trees.JSON.readTree(text);
            return node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The container as the annotation records it: quantities canonical, as Kubernetes' typed container has them. */
    private static ObjectNode recorded(ObjectNode overlay) {
        ObjectNode copy = overlay.deepCopy();
        Resources.canonicalize(copy);
        return copy;
    }

    private static ObjectNode overlay(ObjectNode container) {
        ObjectNode copy = container.deepCopy();
        if (AUTO_IMAGE.equals(Trees.text(copy, "image"))) {
            copy.remove("image");
        }
        return copy;
    }

    /**
     * A custom istio-proxy running as another user: iptables must exempt that uid ({@code -u}), and
     * istio-validation runs as the proxy does. Under TPROXY the proxy must stay root.
     */
    private static void adjustInitContainerUser(ObjectNode merged, ObjectNode original) {
        ObjectNode originalSpec = Trees.obj(original, "spec");
        ObjectNode custom = Trees.named(Trees.arr(originalSpec, "containers"), Annotations.PROXY_CONTAINER);
        if (custom == null) {
            custom = Trees.named(Trees.arr(originalSpec, "initContainers"), Annotations.PROXY_CONTAINER);
        }
        ObjectNode sc = Trees.obj(custom, "securityContext");
        if (sc == null || (!sc.has("runAsUser") && !sc.has("runAsGroup"))) {
            return;
        }
        ObjectNode spec = Trees.obj(merged, "spec");
        ArrayNode init = Trees.arr(spec, "initContainers");
        ObjectNode initContainer = Trees.named(init, Annotations.INIT_CONTAINER);
        if (initContainer == null) {
            initContainer = Trees.named(init, Annotations.VALIDATION_CONTAINER);
        }
        if (initContainer == null) {
            return;
        }
        String mode = Trees.text(Trees.obj(merged, "metadata").path("annotations"), Annotations.INTERCEPTION_MODE);
        boolean tproxy = "TPROXY".equals(mode) || argFollowing(initContainer, "-m").equals("TPROXY");
        if (tproxy && sc.has("runAsUser")) {
            ObjectNode proxy = Trees.named(Trees.arr(spec, "containers"), Annotations.PROXY_CONTAINER);
            if (proxy == null) {
                proxy = Trees.named(init, Annotations.PROXY_CONTAINER);
            }
            if (proxy != null) {
                Trees.objOrCreate(proxy, "securityContext").put("runAsUser", 0);
            }
        }
        if (!tproxy && Annotations.VALIDATION_CONTAINER.equals(Trees.text(initContainer, "name"))) {
            ObjectNode isc = Trees.objOrCreate(initContainer, "securityContext");
            for (String f : new String[]{"runAsUser", "runAsGroup"}) {
                if (sc.has(f)) {
                    isc.set(f, sc.get(f).deepCopy());
                }
            }
        }
        JsonNode uid = sc.get("runAsUser");
        if (uid == null || !uid.canConvertToLong() || uid.asLong() == 0) {
            return;
        }
        ArrayNode args = Trees.arr(initContainer, "args");
        for (int i = 0; args != null && i + 1 < args.size(); i++) {
            if ("-u".equals(args.get(i).asString(""))) {
                args.set(i + 1, Trees.NODES.stringNode(Long.toString(uid.asLong())));
                return;
            }
        }
    }

    private static String argFollowing(ObjectNode container, String flag) {
        ArrayNode args = Trees.arr(container, "args");
        for (int i = 0; args != null && i + 1 < args.size(); i++) {
            if (flag.equals(args.get(i).asString(""))) {
                return args.get(i + 1).asString("");
            }
        }
        return "";
    }
}
